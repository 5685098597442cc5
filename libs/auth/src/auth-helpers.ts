import { Injectable } from '@nestjs/common';
import { PasswordHasher, RuleGuard } from '@lib/records';
import { AuthAlertService } from './auth-alert.service';
import { MfaService } from './mfa/mfa.service';

/** Password and rule checks the auth endpoints share. */
@Injectable()
export class AuthHelpers {
  constructor(
    readonly hasher: PasswordHasher,
    readonly rules: RuleGuard,
    /** Login alerts (new IP + User-Agent), called once by AuthService.authResponse. */
    readonly alerts: AuthAlertService,
    /** The second-factor check, called once by AuthService.authResponse. */
    readonly mfa: MfaService,
  ) {}
}

import { Inject, Injectable, Optional } from '@nestjs/common';
import { HookPoints } from '@lib/core';
import { NoRecordHooks, PasswordHasher, RecordHooks, RuleGuard } from '@lib/records';
import { AuthAlertService } from './auth-alert.service';
import { MfaService } from './mfa/mfa.service';

/** Password and rule checks the auth endpoints share. */
@Injectable()
export class AuthHelpers {
  /** The hooks lib's request hooks (`onRecordAuthRequest`), when mounted. */
  readonly hooks: RecordHooks;

  constructor(
    readonly hasher: PasswordHasher,
    readonly rules: RuleGuard,
    /** Login alerts (new IP + User-Agent), called once by AuthService.authResponse. */
    readonly alerts: AuthAlertService,
    /** The second-factor check, called once by AuthService.authResponse. */
    readonly mfa: MfaService,
    @Optional() @Inject(RecordHooks) hooks: RecordHooks | null = null,
    /** The hook points fired by name (`onRecordAuthRefreshRequest`), when mounted. */
    @Optional() @Inject(HookPoints) readonly points: HookPoints | null = null,
  ) {
    this.hooks = hooks ?? new NoRecordHooks();
  }

  private dummy: Promise<string> | null = null;

  /** A hash of the default cost to compare against when the identity is unknown (made once). */
  dummyHash(): Promise<string> {
    this.dummy ??= this.hasher.hash('nestbase-timing-equaliser');
    return this.dummy;
  }
}

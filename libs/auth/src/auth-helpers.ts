import { Injectable } from '@nestjs/common';
import { PasswordHasher, RuleGuard } from '@lib/records';

/** Password and rule checks the auth endpoints share. */
@Injectable()
export class AuthHelpers {
  constructor(
    readonly hasher: PasswordHasher,
    readonly rules: RuleGuard,
  ) {}
}

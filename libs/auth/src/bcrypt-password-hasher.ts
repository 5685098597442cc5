import { Inject, Injectable } from '@nestjs/common';
import * as bcrypt from 'bcrypt';
import { AppConfig } from '@lib/core';
import { PasswordHasher } from '@lib/records';

@Injectable()
export class BcryptPasswordHasher extends PasswordHasher {
  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    super();
  }

  override hash(plain: string, cost?: number): Promise<string> {
    return bcrypt.hash(plain, cost ?? this.config.bcryptCost);
  }

  override async verify(plain: string, hash: string): Promise<boolean> {
    if (!hash.startsWith('$2')) {
      return false;
    }
    return bcrypt.compare(plain, hash);
  }
}

import type { Provider, Type } from '@nestjs/common';
import { MfaRepository } from './mfa/mfa.repository';
import { MfaService } from './mfa/mfa.service';
import { OtpAuthService } from './otp/otp-auth.service';
import { OtpMailerService } from './otp/otp-mailer.service';
import { OtpRequestService } from './otp/otp-request.service';
import { OtpStoreService } from './otp/otp-store.service';
import { OtpController } from './otp/otp.controller';
import { OtpRepository } from './otp/otp.repository';
import { TypeormMfaRepository } from './typeorm/typeorm-mfa.repository';
import { TypeormOtpRepository } from './typeorm/typeorm-otp.repository';

/** OTP and MFA: what AuthApiModule mounts for them (the rate limits are in AuthCoreModule). */
export const LOGIN_FACTOR_PROVIDERS: Provider[] = [
  { provide: OtpRepository, useClass: TypeormOtpRepository },
  { provide: MfaRepository, useClass: TypeormMfaRepository },
  MfaService,
  OtpStoreService,
  OtpMailerService,
  OtpRequestService,
  OtpAuthService,
];

export const LOGIN_FACTOR_CONTROLLERS: Type[] = [OtpController];

import type { Provider, Type } from '@nestjs/common';
import { MfaRepository } from './mfa/mfa.repository';
import { MfaService } from './mfa/mfa.service';
import { OtpAuthService } from './otp/otp-auth.service';
import { OtpMailerService } from './otp/otp-mailer.service';
import { OtpRequestService } from './otp/otp-request.service';
import { OtpStoreService } from './otp/otp-store.service';
import { OtpController } from './otp/otp.controller';
import { OtpRepository } from './otp/otp.repository';
import { RateLimitService } from './rate-limit/rate-limit.service';
import { RATE_LIMIT_STORE_PROVIDER } from './rate-limit/rate-limit-store.provider';
import { TypeormMfaRepository } from './typeorm/typeorm-mfa.repository';
import { TypeormOtpRepository } from './typeorm/typeorm-otp.repository';

/** OTP, MFA and the auth rate limits: what AuthApiModule mounts for them. */
export const LOGIN_FACTOR_PROVIDERS: Provider[] = [
  { provide: OtpRepository, useClass: TypeormOtpRepository },
  { provide: MfaRepository, useClass: TypeormMfaRepository },
  RATE_LIMIT_STORE_PROVIDER,
  RateLimitService,
  MfaService,
  OtpStoreService,
  OtpMailerService,
  OtpRequestService,
  OtpAuthService,
];

export const LOGIN_FACTOR_CONTROLLERS: Type[] = [OtpController];

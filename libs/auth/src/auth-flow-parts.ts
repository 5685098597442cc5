import type { Provider, Type } from '@nestjs/common';
import { ActionTokenService } from './action-token.service';
import { AuthAccountService } from './auth-account.service';
import { AuthAlertService } from './auth-alert.service';
import { AuthMethodsController } from './auth-methods.controller';
import { AuthMethodsService } from './auth-methods.service';
import { AuthOriginRepository } from './auth-origin.repository';
import { AuthRecordRepository } from './auth-record.repository';
import { EmailChangeController } from './email-change.controller';
import { EmailChangeService } from './email-change.service';
import { ImpersonateController } from './impersonate.controller';
import { ImpersonateService } from './impersonate.service';
import { AuthMailService } from './mail/auth-mail.service';
import { PasswordResetController } from './password-reset.controller';
import { PasswordResetService } from './password-reset.service';
import { ResendLimiter } from './resend-limiter';
import { TestEmailController } from './test-email.controller';
import { TestEmailService } from './test-email.service';
import { TutorialController } from './tutorial.controller';
import { TutorialService } from './tutorial.service';
import { TypeormAuthOriginRepository } from './typeorm/typeorm-auth-origin.repository';
import { TypeormAuthRecordRepository } from './typeorm/typeorm-auth-record.repository';
import { VerificationController } from './verification.controller';
import { VerificationService } from './verification.service';

/**
 * auth-methods, the mail flows (verification, password reset, email change), login alerts,
 * impersonation, the test email and the tutorial's endpoints: what AuthApiModule mounts for them.
 */
export const AUTH_FLOW_PROVIDERS: Provider[] = [
  { provide: AuthRecordRepository, useClass: TypeormAuthRecordRepository },
  { provide: AuthOriginRepository, useClass: TypeormAuthOriginRepository },
  AuthMailService,
  AuthAccountService,
  AuthAlertService,
  ActionTokenService,
  ResendLimiter,
  AuthMethodsService,
  VerificationService,
  PasswordResetService,
  EmailChangeService,
  ImpersonateService,
  TestEmailService,
  TutorialService,
];

export const AUTH_FLOW_CONTROLLERS: Type[] = [
  AuthMethodsController,
  VerificationController,
  PasswordResetController,
  EmailChangeController,
  ImpersonateController,
  TestEmailController,
  TutorialController,
];

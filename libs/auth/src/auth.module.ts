import { Global, Inject, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AppConfig } from '@lib/core';
import { PasswordHasher, RecordsCoreModule } from '@lib/records';
import { AuthController } from './auth.controller';
import { MailerService } from './mail/mailer.service';
import { AuthHelpers } from './auth-helpers';
import { AuthService } from './auth.service';
import { BcryptPasswordHasher } from './bcrypt-password-hasher';
import { RequestAuthGuard } from './request-auth.guard';
import { RateLimitService } from './rate-limit/rate-limit.service';
import { RateLimitStore } from './rate-limit/rate-limit.store';
import { RATE_LIMIT_STORE_PROVIDER } from './rate-limit/rate-limit-store.provider';
import { RequestRateLimiter } from './rate-limit/request-rate-limiter';
import { SuperusersService } from './superusers.service';
import { InstallerService } from './installer.service';
import { DashboardInstaller } from '@lib/core';
import { OAuth2RedirectSinks } from './oauth2/oauth2-redirect-sink';
import { TokenService } from './token.service';
import { OAUTH2_CONTROLLERS, OAUTH2_PROVIDERS } from './oauth2/oauth2-parts';
import { AUTH_FLOW_CONTROLLERS, AUTH_FLOW_PROVIDERS } from './auth-flow-parts';
import { OAuth2ProvidersService } from './oauth2/oauth2-providers.service';
import { LOGIN_FACTOR_CONTROLLERS, LOGIN_FACTOR_PROVIDERS } from './login-factor-parts';

/**
 * Token verification, password hashing, the request-auth guard and the rate limits of every route (counters in
 * Redis when `REDIS_URL` is set): mounted by every app.
 */
@Global()
@Module({
  imports: [RecordsCoreModule],
  providers: [
    { provide: PasswordHasher, useClass: BcryptPasswordHasher },
    TokenService,
    RequestAuthGuard,
    { provide: APP_GUARD, useExisting: RequestAuthGuard },
    SuperusersService,
    InstallerService,
    { provide: DashboardInstaller, useExisting: InstallerService },
    OAuth2RedirectSinks,
    RATE_LIMIT_STORE_PROVIDER,
    RateLimitService,
    RequestRateLimiter,
  ],
  exports: [
    OAuth2RedirectSinks,
    PasswordHasher,
    TokenService,
    RequestAuthGuard,
    SuperusersService,
    RateLimitService,
    RateLimitStore,
    DashboardInstaller,
  ],
})
export class AuthCoreModule implements OnApplicationBootstrap {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly superusers: SuperusersService,
    private readonly installer: InstallerService,
  ) {}

  /** `PB_ADMIN_EMAIL` + `PB_ADMIN_PASSWORD` upsert a superuser at start. */
  async onApplicationBootstrap(): Promise<void> {
    const { email, password } = this.config.admin;
    if (email && password) {
      const result = await this.superusers.upsert(email, password);
      new Logger('Superusers').log(`superuser ${email} ${result} from PB_ADMIN_EMAIL`);
      await this.installer.removePlaceholder();
    }
  }
}

/** The auth endpoints. Each endpoint family has its own controller; add yours to the lists. */
@Module({
  imports: [RecordsCoreModule],
  providers: [
    AuthService,
    AuthHelpers,
    MailerService,
    ...OAUTH2_PROVIDERS,
    ...AUTH_FLOW_PROVIDERS,
    ...LOGIN_FACTOR_PROVIDERS,
  ],
  controllers: [AuthController, ...OAUTH2_CONTROLLERS, ...AUTH_FLOW_CONTROLLERS, ...LOGIN_FACTOR_CONTROLLERS],
  exports: [AuthService, MailerService, OAuth2ProvidersService],
})
export class AuthApiModule {}

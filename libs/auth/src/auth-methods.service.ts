import { Injectable } from '@nestjs/common';
import { AuthService } from './auth.service';
import { OAuth2ProvidersService } from './oauth2/oauth2-providers.service';

interface Toggle {
  enabled?: boolean;
  duration?: number;
}

/** `GET /api/collections/{c}/auth-methods` (reference §2.2), with the legacy keys older SDKs read. */
@Injectable()
export class AuthMethodsService {
  constructor(
    private readonly auth: AuthService,
    private readonly oauth2: OAuth2ProvidersService,
  ) {}

  list(idOrName: string) {
    const c = this.auth.authCollection(idOrName);
    const passwordAuth = c.passwordAuth as { enabled?: boolean; identityFields?: string[] } | undefined;
    const passwordEnabled = passwordAuth?.enabled === true;
    const identityFields = passwordEnabled ? [...(passwordAuth?.identityFields ?? [])] : [];
    const providers = this.oauth2.list(c);
    return {
      password: { enabled: passwordEnabled, identityFields },
      oauth2: { enabled: this.oauth2.options(c).enabled, providers },
      mfa: this.toggle(c.mfa as Toggle | undefined),
      otp: this.toggle(c.otp as Toggle | undefined),
      authProviders: providers,
      usernamePassword: identityFields.includes('username'),
      emailPassword: identityFields.includes('email'),
    };
  }

  private toggle(options: Toggle | undefined): { enabled: boolean; duration: number } {
    return options?.enabled
      ? { enabled: true, duration: Number(options.duration ?? 0) }
      : { enabled: false, duration: 0 };
  }
}

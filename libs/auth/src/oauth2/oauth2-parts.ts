import type { Provider, Type } from '@nestjs/common';
import { AnonymousAuthController } from '../anonymous/anonymous-auth.controller';
import { AnonymousAuthService } from '../anonymous/anonymous-auth.service';
import { AppleClientSecretController } from './apple-client-secret.controller';
import { AppleClientSecretService } from './apple-client-secret.service';
import { AppleNameCache } from './apple-name-cache';
import { OAuth2AccountRepository } from './oauth2-account.repository';
import { OAuth2AccountService } from './oauth2-account.service';
import { OAuth2AvatarService } from './oauth2-avatar.service';
import { OAuth2AuthService } from './oauth2-auth.service';
import { OAuth2ClientService } from './oauth2-client.service';
import { OAuth2Controller } from './oauth2.controller';
import { OAuth2ProvidersService } from './oauth2-providers.service';
import { OAuth2RedirectController } from './oauth2-redirect.controller';
import { OAuth2RedirectService } from './oauth2-redirect.service';
import { TypeormOAuth2AccountRepository } from './typeorm/typeorm-oauth2-account.repository';

/** The OAuth2 and anonymous-auth providers AuthApiModule mounts. */
export const OAUTH2_PROVIDERS: Provider[] = [
  { provide: OAuth2AccountRepository, useClass: TypeormOAuth2AccountRepository },
  OAuth2ProvidersService,
  OAuth2ClientService,
  OAuth2AccountService,
  OAuth2AvatarService,
  OAuth2AuthService,
  OAuth2RedirectService,
  AnonymousAuthService,
  AppleClientSecretService,
  AppleNameCache,
];

export const OAUTH2_CONTROLLERS: Type[] = [
  OAuth2Controller,
  OAuth2RedirectController,
  AnonymousAuthController,
  AppleClientSecretController,
];

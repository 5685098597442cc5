export { AuthCoreModule, AuthApiModule } from './auth.module';
export { TokenService } from './token.service';
export type { TokenType, TokenClaims } from './token.service';
export { SuperusersService } from './superusers.service';
export { RequestAuthGuard } from './request-auth.guard';

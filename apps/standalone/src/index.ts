// The package entry (`import { NestBase } from 'nestbase'`): the app class, the hook API's types, errors
// and route helpers. The root index.js loads this compiled file after the @lib path aliases.
export { NestBase } from './nestbase';
export type { NestBaseOptions } from './nestbase';
export { ApiError, BadRequestError, ForbiddenError, NotFoundError, UnauthorizedError } from '@lib/core';
export { HooksApp, HookRecord, requireAuth, requireGuestOnly, requireSuperuserAuth } from '@lib/hooks';
export type {
  CronEvent,
  HookCollection,
  HookData,
  HookRequestInfo,
  LifecycleEvent,
  MailerEvent,
  RecordEvent,
  RecordRequestEvent,
  RouteEvent,
  RouteMiddleware,
  RouteRequest,
} from '@lib/hooks';

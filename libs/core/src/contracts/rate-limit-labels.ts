/**
 * The actions a `<collection>:<action>` / `*:<action>` rate-limit rule may name: PocketBase's (record CRUD,
 * auth, file), nestbase's `authAnonymously`, and the failed-login counters `authFailure` (per identity and
 * client address) and `authFailureIP` (per client address). The auth lib maps routes onto them; the settings
 * refuse a rule naming anything else, since no route would ever match it.
 */
export const RATE_LIMIT_ACTIONS: ReadonlySet<string> = new Set([
  'list',
  'view',
  'create',
  'update',
  'delete',
  'file',
  'listAuthMethods',
  'authRefresh',
  'auth',
  'authWithPassword',
  'authWithOAuth2',
  'authWithOTP',
  'authAnonymously',
  'requestOTP',
  'requestPasswordReset',
  'confirmPasswordReset',
  'requestVerification',
  'confirmVerification',
  'requestEmailChange',
  'confirmEmailChange',
  'authFailure',
  'authFailureIP',
]);

/** The failed-login counters: a rule for them may have `maxRequests: 0` (that counter off). */
export const AUTH_FAILURE_ACTIONS: ReadonlySet<string> = new Set(['authFailure', 'authFailureIP']);

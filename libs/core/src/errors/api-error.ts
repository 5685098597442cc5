/** A field error as PocketBase sends it under `data`: `{ code, message, params? }`, nested for structured input. */
export interface FieldError {
  code: string;
  message: string;
  params?: Record<string, unknown>;
}
/** Field errors keyed by field name; values are FieldError objects or nested FieldErrors. */
export type FieldErrors = Record<string, unknown>;

/**
 * Every error a service throws that a client may see. The platform filter turns it into
 * PocketBase's envelope `{ status, message, data }`; anything else becomes a generic 500.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly data: FieldErrors = {},
  ) {
    super(message);
  }
}

/** An error answered with its own JSON body instead of the envelope (e.g. MFA's 401 `{mfaId}`). */
export class RawBodyError extends ApiError {
  constructor(
    status: number,
    message: string,
    readonly body: Record<string, unknown>,
  ) {
    super(status, message);
  }
}

export class BadRequestError extends ApiError {
  constructor(message = 'Something went wrong while processing your request.', data: FieldErrors = {}) {
    super(400, message, data);
  }
}

export class ValidationFailed extends ApiError {
  constructor(fields: FieldErrors, message = 'Failed to process the request.') {
    super(400, message, fields);
  }
}

export class UnauthorizedError extends ApiError {
  constructor(message = 'Missing or invalid authentication.') {
    super(401, message);
  }
}

export class ForbiddenError extends ApiError {
  constructor(message = 'You are not allowed to perform this request.') {
    super(403, message);
  }
}

export class NotFoundError extends ApiError {
  constructor(message = "The requested resource wasn't found.") {
    super(404, message);
  }
}

export class PayloadTooLargeError extends ApiError {
  constructor(message = 'Request entity too large.') {
    super(413, message);
  }
}

/** A dependency (the database, Redis) is busy or down for a moment: the client may try again. */
export class ServiceUnavailableError extends ApiError {
  constructor(message = 'The service is temporarily unavailable, please try again.') {
    super(503, message);
  }
}

/** Shorthand for a `{ code, message }` field error. */
export function fieldError(code: string, message: string, params?: Record<string, unknown>): FieldError {
  return params ? { code, message, params } : { code, message };
}

/** What an error response said, kept on the request for the request log (`data.error`, `data.details`). */
export interface RequestError {
  message: string;
  details: string;
}

const REQUEST_ERROR = Symbol('nestbase.requestError');

type ErrorCarrier = { [REQUEST_ERROR]?: RequestError };

export function setRequestError(request: unknown, error: RequestError): void {
  if (request && typeof request === 'object') {
    (request as ErrorCarrier)[REQUEST_ERROR] = error;
  }
}

export function getRequestError(request: unknown): RequestError | null {
  return (request as ErrorCarrier | null)?.[REQUEST_ERROR] ?? null;
}

import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { INTERNAL_SECRET_HEADER } from './internal-secret.guard';

const TIMEOUT_MS = 10_000;

/** HTTP calls to the records service's internal endpoints (`--records`), with the shared secret. */
@Injectable()
export class RecordsServiceClient {
  private readonly base: string;
  private readonly secret: string;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.base = config.records.url;
    this.secret = config.internal.secret;
  }

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(this.base + path, {
      method,
      headers: {
        [INTERNAL_SECRET_HEADER]: this.secret,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await res.text();
    if (!res.ok) {
      throw new Error(`${method} ${path} on the records service: ${res.status} ${text.slice(0, 200)}`);
    }
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { INTERNAL_SECRET_HEADER } from './internal-secret.guard';

const TIMEOUT_MS = 10_000;

/** The base URLs of `--records` (comma-separated: replicas of the records service). */
export function recordsServiceUrls(config: AppConfig): string[] {
  return config.records.url.split(',').filter((url) => url !== '');
}

/**
 * HTTP calls to the records service's internal endpoints (`--records`), with the shared secret. With several
 * URLs the calls take turns over them, and a call that can't reach one (connection refused, reset, timeout)
 * goes to the next: the internal calls only read (rule checks, collections) or append (log batches).
 */
@Injectable()
export class RecordsServiceClient {
  private readonly bases: string[];
  private readonly secret: string;
  private turn = 0;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.bases = recordsServiceUrls(config);
    this.secret = config.internal.secret;
  }

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const first = this.turn++ % this.bases.length;
    for (let i = 0; ; i++) {
      const base = this.bases[(first + i) % this.bases.length];
      try {
        return await this.callOne<T>(base, method, path, body);
      } catch (error) {
        if (!(error instanceof TypeError || (error as Error).name === 'TimeoutError') || i + 1 >= this.bases.length) {
          throw error;
        }
      }
    }
  }

  private async callOne<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(base + path, {
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

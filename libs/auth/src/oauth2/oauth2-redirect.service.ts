import { Injectable } from '@nestjs/common';
import { AppleNameCache } from './apple-name-cache';
import { OAuth2RedirectSinks } from './oauth2-redirect-sink';

export interface RedirectPage {
  status: number;
  html: string;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function page(status: number, title: string, detail: string): RedirectPage {
  const html =
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
    `<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p></body></html>`;
  return { status, html };
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * `GET`/`POST /api/oauth2-redirect`: validates what the provider sent and hands it to the waiting
 * realtime client. Without the admin UI, the outcome is a short HTML page (4xx on failure).
 */
@Injectable()
export class OAuth2RedirectService {
  constructor(
    private readonly sink: OAuth2RedirectSinks,
    private readonly appleNames: AppleNameCache,
  ) {}

  async handle(params: Record<string, unknown>, ip: string): Promise<RedirectPage> {
    const state = text(params.state);
    const code = text(params.code);
    const error = text(params.error);
    if (!state) {
      return page(400, 'OAuth2 authentication failed', 'The redirect is missing its "state" parameter.');
    }
    if (error) {
      const description = text(params.error_description);
      return page(400, 'OAuth2 authentication failed', `The provider answered: ${error} ${description}`.trim());
    }
    if (!code) {
      return page(400, 'OAuth2 authentication failed', 'The redirect is missing its "code" parameter.');
    }
    // Apple's form post carries the user's name (first sign-in only): kept for the code exchange.
    await this.appleNames.remember(code, text(params.user));
    if (!(await this.sink.deliver({ state, code, error }, ip))) {
      return page(
        400,
        'OAuth2 authentication failed',
        'No realtime client is waiting for this authorization (unknown or closed "state"). ' +
          'Exchange the code with POST /api/collections/{collection}/auth-with-oauth2 instead.',
      );
    }
    return page(200, 'Authentication complete', 'You can close this window and return to the application.');
  }
}

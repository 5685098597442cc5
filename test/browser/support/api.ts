// Checks through the API (what the UI did must be visible there), with plain fetch.
export class Api {
  token = '';
  constructor(readonly baseUrl: string) {}

  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    token = this.token,
  ): Promise<{ status: number; json: T }> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: { ...(token ? { Authorization: token } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : {}) as T };
  }

  async ok<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.call<T>(method, path, body);
    if (res.status >= 300) {
      throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.json)}`);
    }
    return res.json;
  }

  async signIn(collection: string, identity: string, password: string): Promise<string> {
    const res = await this.call<{ token: string }>(
      'POST',
      `/api/collections/${collection}/auth-with-password`,
      { identity, password },
      '',
    );
    if (res.status !== 200) {
      throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.json)}`);
    }
    return res.json.token;
  }
}

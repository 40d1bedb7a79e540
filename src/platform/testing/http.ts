import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/**
 * A browser without a browser, for app.inject tests of HTML pages: keeps cookies, and posts forms
 * with the CSRF token of the last page it loaded (as a browser would send the hidden field).
 */
export class FormClient {
  cookies = new Map<string, string>();
  csrf: string | undefined;
  last: LightMyRequestResponse | undefined;

  constructor(private readonly app: FastifyInstance) {}

  private remember(response: LightMyRequestResponse): LightMyRequestResponse {
    const header = response.headers['set-cookie'];
    for (const cookie of Array.isArray(header) ? header : header ? [header] : []) {
      const [pair] = cookie.split(';');
      const [name, ...value] = pair!.split('=');
      if (/expires=Thu, 01 Jan 1970/i.test(cookie) || value.join('=') === '') this.cookies.delete(name!);
      else this.cookies.set(name!, value.join('='));
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
    if (token) this.csrf = token;
    this.last = response;
    return response;
  }

  private get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.remember(await this.app.inject({ method: 'GET', url, headers: { accept: 'text/html', cookie: this.cookieHeader } }));
  }

  /** Posts a form; the CSRF token of the last page is added unless `_csrf` is given (or null to leave it out). */
  async post(url: string, fields: Record<string, string | null> = {}): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams();
    const withToken = { _csrf: this.csrf ?? null, ...fields };
    for (const [name, value] of Object.entries(withToken)) if (value !== null) body.set(name, value);
    return this.remember(
      await this.app.inject({
        method: 'POST',
        url,
        headers: { accept: 'text/html', cookie: this.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' },
        payload: body.toString(),
      }),
    );
  }
}

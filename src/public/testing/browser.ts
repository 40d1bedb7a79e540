import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Kysely } from 'kysely';
import { buildApp, type App } from '../../app.ts';
import { loadConfig } from '../../platform/config.ts';
import type { Database } from '../../platform/db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../../platform/testing/databases.ts';

// Browser tests for the public pages: the real app listening on 127.0.0.1, Debian's chromium driven
// by playwright-core (launched, and checked with axe, by platform/testing/browser.ts), and a second
// local "partner" site (a different origin) that frames the widget and stands in for the quick
// exit's neutral site. Nothing may reach any other host.

export interface LocalContext {
  context: BrowserContext;
  /** Addresses chromium tried to reach off this machine (none resolves, so all fail). */
  blocked: string[];
  /** Console messages about Content Security Policy violations. */
  cspViolations: string[];
}

/** A browser context that records any attempt to reach another host, and CSP violations. */
export async function newLocalContext(
  browser: Browser,
  options: { javaScriptEnabled?: boolean; viewport?: { width: number; height: number } } = {},
): Promise<LocalContext> {
  const context = await browser.newContext({
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    viewport: options.viewport ?? { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  context.setDefaultTimeout(10_000);
  const blocked: string[] = [];
  const cspViolations: string[] = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol === 'data:' || url.protocol === 'about:' || url.hostname === '127.0.0.1' || url.hostname === 'localhost') return;
    blocked.push(url.href);
  });
  context.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  return { context, blocked, cspViolations };
}

/** Bytes sent over the wire for a page and everything it loaded except images (compressed as sent). */
export async function pageWeight(page: Page, url: string): Promise<{ bytes: number; resources: Array<{ url: string; bytes: number }> }> {
  const requests: Array<import('playwright-core').Request> = [];
  const listener = (request: import('playwright-core').Request) => requests.push(request);
  page.on('requestfinished', listener);
  await page.goto(url, { waitUntil: 'load' });
  page.off('requestfinished', listener);
  const resources: Array<{ url: string; bytes: number }> = [];
  for (const request of requests) {
    if (request.resourceType() === 'image' || request.frame() !== page.mainFrame()) continue;
    const sizes = await request.sizes();
    resources.push({ url: request.url(), bytes: sizes.responseBodySize + sizes.responseHeadersSize });
  }
  return { bytes: resources.reduce((total, resource) => total + resource.bytes, 0), resources };
}

/** A second local site: the quick exit's neutral page and partner pages that embed the widget. */
export interface PartnerSite {
  url: string;
  /** Set once Frontdoor is listening, so partner pages can point at it. */
  frontdoorUrl: string;
  close(): Promise<void>;
}

export async function startPartnerSite(): Promise<PartnerSite> {
  const site: PartnerSite = { url: '', frontdoorUrl: '', close: async () => {} };
  const pageFor = (title: string, body: string) =>
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`;
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://partner');
    let html: string | undefined;
    if (url.pathname === '/neutral') html = pageFor('Weather forecast', '<p>Sunny spells.</p>');
    if (url.pathname === '/partner-iframe') {
      html = pageFor(
        'Ayrshire Community Hub',
        `<p>Find a walk near you:</p><iframe src="${site.frontdoorUrl}/embed?category=walking-groups&amp;area=north-ayrshire" title="Find support near you" width="100%" height="640"></iframe>`,
      );
    }
    if (url.pathname === '/partner-script') {
      html = pageFor(
        'Ayrshire Community Hub',
        `<p>Find a walk near you:</p><script src="${site.frontdoorUrl}/embed.js" data-category="walking-groups" data-area="north-ayrshire" data-title="Walks in North Ayrshire" async></script>`,
      );
    }
    if (url.pathname === '/partner-frames-service') {
      html = pageFor('Framing test', `<iframe src="${site.frontdoorUrl}/" title="Frontdoor home" width="600" height="400"></iframe>`);
    }
    if (!html) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  site.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  site.close = () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return site;
}

export interface RunningSite<T> {
  url: string;
  app: App;
  database: TestDatabase;
  data: T;
  close(): Promise<void>;
}

/** The real app on a fresh PGlite database with the given data, listening on 127.0.0.1 at a free port. */
export async function startFrontdoor<T>(options: { quickExitUrl: string; seed: (db: Kysely<Database>) => Promise<T> }): Promise<RunningSite<T>> {
  const database = await createTestDatabase('pglite');
  const data = await options.seed(database.db);
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', QUICK_EXIT_URL: options.quickExitUrl });
  const app = await buildApp({ config, database });
  await app.services.searchSync.loadAll();
  const address = await app.app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: address,
    app,
    database,
    data,
    async close() {
      await app.app.close();
      await database.close();
    },
  };
}

import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildApp, type App, type AppOptions } from '../../app.ts';
import { loadConfig } from '../config.ts';
import type { EngineName } from '../db/engine.ts';
import { createTestDatabase, type TestDatabase } from './databases.ts';

/**
 * Browser tests: the real app listening on 127.0.0.1 (a free port) on a fresh test database, and
 * Debian's Chromium driven by playwright-core. Page objects take a `Page` and the base URL:
 *
 *   const site = await startBrowserTest();
 *   const page = await site.newPage();
 *   await page.goto(site.url('/sign-in'));
 *   await expectNoAxeViolations(page);
 *   await site.close();
 */

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const WCAG_22_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/** Debian's Chromium, headless, unable to reach any host but this machine. */
export async function launchBrowser(): Promise<Browser> {
  try {
    return await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // No name resolves except this machine's, so no request can leave it. (Intercepting every
        // request with page.route instead would also switch off the HTTP cache and slow every page.)
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
      ],
    });
  } catch (error) {
    throw new Error(`Cannot start Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH): ${(error as Error).message}`);
  }
}

export interface BrowserTest {
  built: App;
  database: TestDatabase;
  browser: Browser;
  baseUrl: string;
  /** Where the app writes mail (the development mail page at /dev/mail shows it). */
  mailDir: string;
  url(pathname: string): string;
  /** A fresh browser profile: its own cookies, so two people can use the site at once. */
  newContext(): Promise<BrowserContext>;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function startBrowserTest(options: { engine?: EngineName; env?: Record<string, string>; app?: Partial<AppOptions> } = {}): Promise<BrowserTest> {
  const database = await createTestDatabase(options.engine ?? 'pglite');
  const mailDir = await fs.mkdtemp(path.join(os.tmpdir(), 'frontdoor-browser-mail-'));
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', RUN_JOBS: 'true', MAIL_DIR: mailDir, HOST: '127.0.0.1', PORT: '0', ...options.env });
  const built = await buildApp({ config, database, jobPollMs: 100, ...options.app });
  const address = await built.app.listen({ host: '127.0.0.1', port: 0 });
  let browser: Browser;
  try {
    browser = await launchBrowser();
  } catch (error) {
    await built.app.close();
    await database.close();
    throw error;
  }
  const contexts: BrowserContext[] = [];
  const newContext = async () => {
    const context = await browser.newContext({ baseURL: address });
    contexts.push(context);
    return context;
  };
  return {
    built,
    database,
    browser,
    baseUrl: address,
    mailDir,
    url: (pathname) => new URL(pathname, address).href,
    newContext,
    async newPage() {
      return (await newContext()).newPage();
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await built.app.close();
      await database.close();
      await fs.rm(mailDir, { recursive: true, force: true });
    },
  };
}

const require = createRequire(import.meta.url);
let axeSource: Promise<string> | undefined;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

/**
 * Runs axe-core on the page against WCAG 2.0, 2.1 and 2.2 A and AA; returns the violations. The
 * script is evaluated through the DevTools protocol, which the page's content security policy does
 * not govern, and only once per page.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const hasAxe = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe !== 'undefined');
  if (!hasAxe) {
    axeSource ??= fs.readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
    await page.evaluate(await axeSource);
  }
  return page.evaluate(async (tags) => {
    const { axe, document } = globalThis as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: AxeViolation[] }> }; document: unknown };
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map((node) => ({ target: node.target, failureSummary: node.failureSummary })),
    }));
  }, WCAG_22_AA_TAGS);
}

export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help}\n${violation.nodes.map((node) => `    ${JSON.stringify(node.target)} ${node.failureSummary ?? ''}`).join('\n')}`)
    .join('\n');
}

/** Fails with a readable list when the page has any WCAG 2.2 A or AA violation. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const violations = await axeViolations(page);
  if (violations.length > 0) throw new Error(`Accessibility violations on ${page.url()}:\n${describeViolations(violations)}`);
}

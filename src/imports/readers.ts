import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { dataPackageItems } from '../openreferral/tabular/read.ts';
import type { FeedItem } from './importer.ts';
import type { HsdsService } from './mapping.ts';

// Where services come from: an ORUK 3.0 API (crawled), or a JSON dump on disk. Each reader is a
// feed: the items (services, or records it could not read, with the reason), the faults it met
// (network errors, malformed pages; recovered or not), and whether it read everything the source has.

export interface Feed {
  items: AsyncIterable<FeedItem>;
  faults(): string[];
  isComplete(): boolean;
  /** How many services the source says it has, once known (for the progress bar). */
  total(): number | undefined;
}

export interface CrawlOptions {
  perPage?: number;
  /** Milliseconds before a request is abandoned (and retried). */
  timeoutMs?: number;
  /** Tries per request, the first included. */
  attempts?: number;
  /** The wait before the nth retry is about backoffMs × 2^(n−1), plus up to as much again at random. */
  backoffMs?: number;
  /** Service detail requests in flight at once. */
  concurrency?: number;
  /** Tests pass a fixed random source. */
  random?: () => number;
  fetch?: typeof fetch;
  /** Called whenever the total becomes known. */
  onTotal?: (total: number) => void;
}

class RetryableFault extends Error {}

/**
 * Crawls an ORUK API: every page of {base}/services, then {base}/services/{id} for each service.
 * Timeouts, 5xx and 429 answers, and pages that are not the JSON they should be are retried with
 * exponential backoff and jitter; each failed attempt is reported as a fault. A request that fails
 * every attempt leaves the crawl incomplete (so the import inactivates nothing) but the crawl goes on.
 */
export function crawlOpenReferralApi(baseUrl: string, options: CrawlOptions = {}): Feed {
  const base = baseUrl.replace(/\/+$/, '');
  const perPage = options.perPage ?? 100;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const attempts = Math.max(1, options.attempts ?? 4);
  const backoffMs = options.backoffMs ?? 1_000;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const random = options.random ?? Math.random;
  const doFetch = options.fetch ?? fetch;
  const faults: string[] = [];
  let complete = true;
  let total: number | undefined;

  async function getJson(url: string, check: (body: unknown) => string | undefined): Promise<unknown | undefined> {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let problem: string;
      let retryable = true;
      try {
        const response = await doFetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
        if (response.status >= 500 || response.status === 429) {
          await response.body?.cancel();
          throw new RetryableFault(`HTTP ${response.status}`);
        }
        if (!response.ok) {
          await response.body?.cancel();
          retryable = false;
          throw new Error(`HTTP ${response.status}`);
        }
        const textBody = await response.text();
        let body: unknown;
        try {
          body = JSON.parse(textBody);
        } catch {
          throw new RetryableFault('the answer is not valid JSON');
        }
        const wrong = check(body);
        if (wrong) throw new RetryableFault(wrong);
        if (attempt > 1) faults.push(`GET ${url}: succeeded on attempt ${attempt}.`);
        return body;
      } catch (error) {
        const e = error as Error;
        problem = e.name === 'TimeoutError' || e.name === 'AbortError' ? `no answer within ${timeoutMs} ms` : e instanceof RetryableFault || !retryable ? e.message : `network error (${e.message})`;
        if (!retryable) {
          faults.push(`GET ${url}: ${problem}; not retried.`);
          return undefined;
        }
      }
      if (attempt < attempts) {
        const wait = Math.round(backoffMs * 2 ** (attempt - 1) * (1 + random()));
        faults.push(`GET ${url}: ${problem} (attempt ${attempt} of ${attempts}); retrying in ${wait} ms.`);
        await new Promise((resolve) => setTimeout(resolve, wait));
      } else {
        faults.push(`GET ${url}: ${problem} (attempt ${attempt} of ${attempts}); gave up.`);
      }
    }
    return undefined;
  }

  const pageCheck = (body: unknown) => {
    const page = body as { contents?: unknown; total_pages?: unknown } | null;
    if (!page || typeof page !== 'object' || !Array.isArray(page.contents)) return 'the page has no "contents" list';
    if (typeof page.total_pages !== 'number') return 'the page has no "total_pages"';
    return undefined;
  };
  const serviceCheck = (body: unknown) => (body && typeof body === 'object' && !Array.isArray(body) ? undefined : 'the answer is not a service object');

  async function* pages(): AsyncGenerator<string[]> {
    let totalPages = 1;
    for (let page = 1; page <= totalPages; page++) {
      const body = (await getJson(`${base}/services?page=${page}&per_page=${perPage}`, pageCheck)) as { contents: Array<Record<string, unknown>>; total_pages: number; total_items?: number } | undefined;
      if (!body) {
        complete = false;
        if (page === 1) return; // Without the first page we do not know how many there are.
        continue;
      }
      if (page === 1) {
        totalPages = body.total_pages;
        if (typeof body.total_items === 'number') {
          total = body.total_items;
          options.onTotal?.(total);
        }
      }
      yield body.contents.map((service) => (typeof service?.id === 'string' ? service.id : '')).filter(Boolean);
    }
  }

  async function* items(): AsyncGenerator<FeedItem> {
    for await (const ids of pages()) {
      for (let start = 0; start < ids.length; start += concurrency) {
        const chunk = ids.slice(start, start + concurrency);
        const results = await Promise.all(chunk.map((id) => getJson(`${base}/services/${encodeURIComponent(id)}`, serviceCheck)));
        for (const [index, result] of results.entries()) {
          if (result === undefined) {
            complete = false;
            yield { rejected: { sourceRecordId: chunk[index]!, reason: 'The service could not be fetched (see the faults).' } };
          } else {
            yield result as HsdsService;
          }
        }
      }
    }
  }

  return { items: items(), faults: () => faults, isComplete: () => complete, total: () => total };
}

/**
 * A JSON dump: an array of service objects, an ORUK list envelope ({ contents: [...] }), one service
 * object, or NDJSON (one service per line; a line that is not JSON is rejected, the rest still read).
 */
export function readJsonDump(file: string): Feed {
  const faults: string[] = [];
  let complete = true;
  let total: number | undefined;

  function* fromValue(value: unknown): Generator<FeedItem> {
    const list = Array.isArray(value) ? value : value && typeof value === 'object' && Array.isArray((value as { contents?: unknown }).contents) ? (value as { contents: unknown[] }).contents : [value];
    total = list.length;
    for (const item of list) yield item as HsdsService;
  }

  async function* items(): AsyncGenerator<FeedItem> {
    let first: string | undefined;
    const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
    let lineNumber = 0;
    let ndjson = false;
    try {
      for await (const line of lines) {
        lineNumber++;
        if (!line.trim()) continue;
        if (first === undefined) {
          first = line;
          try {
            const value = JSON.parse(line);
            // A whole array or envelope on one line is not NDJSON; its items are read below.
            if (Array.isArray(value) || (value && typeof value === 'object' && Array.isArray(value.contents))) {
              yield* fromValue(value);
              continue;
            }
            ndjson = true;
            yield value as HsdsService;
          } catch {
            break; // Not one JSON value per line: read the file whole.
          }
          continue;
        }
        if (!ndjson) {
          faults.push(`${file}: unexpected text after the JSON value on line ${lineNumber}.`);
          complete = false;
          break;
        }
        try {
          yield JSON.parse(line) as HsdsService;
        } catch {
          yield { rejected: { sourceRecordId: `line ${lineNumber}`, reason: `Line ${lineNumber} is not valid JSON.` } };
        }
      }
    } finally {
      lines.close();
    }
    if (first === undefined) {
      // An empty file says nothing about the source: inactivating everything it gave us would be wrong.
      faults.push(`${file} is empty.`);
      complete = false;
      return;
    }
    if (ndjson || total !== undefined) return;
    let value: unknown;
    try {
      value = JSON.parse(await fs.readFile(file, 'utf8'));
    } catch (error) {
      faults.push(`${file} is not valid JSON or NDJSON: ${(error as Error).message}`);
      complete = false;
      return;
    }
    yield* fromValue(value);
  }

  return { items: items(), faults: () => faults, isComplete: () => complete, total: () => total };
}

/**
 * An HSDS tabular data package (a folder or zip of CSV files with datapackage.json, or the path of its
 * datapackage.json), read by the export half's package reader: services, and rows it could not use
 * (a child row naming no parent, a service whose organisation is missing…) as rejections in line.
 * A package that cannot be opened stops the import (nothing is inactivated).
 */
export function readDataPackageFeed(location: string): Feed {
  let complete = false;
  let total = 0;
  async function* items(): AsyncGenerator<FeedItem> {
    for await (const item of dataPackageItems(location)) {
      if (!('rejected' in item && !('id' in item))) total++;
      yield item as FeedItem;
    }
    complete = true;
  }
  return { items: items(), faults: () => [], isComplete: () => complete, total: () => (complete ? total : undefined) };
}

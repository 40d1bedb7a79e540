// The Open Referral crawl benchmark: `npm run bench:crawl` (options: --services 100000; --keep to keep
// the database afterwards; --database NAME to crawl a database kept earlier without generating again).
//
// On PostgreSQL (a throw-away database, made and dropped through BENCH_ADMIN_URL: see
// bench/lib/databases.ts), it generates that many services, starts the app on
// loopback, and crawls the feed from a separate process exactly as an aggregator would: every page of
// /openreferral/services at per_page=100, one request at a time, then the same with full=true and every
// page of /openreferral/service_at_locations. It prints p50/p95/p99 per page and pages per second.
// Not a CI test: the numbers depend on the machine. Results are kept in bench/RESULTS.md.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { openPostgresDatabase } from '../src/platform/db/engine.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { generateServices } from '../src/openreferral/testing/generate.ts';
import { benchDatabaseUrl, createBenchDatabase, dropBenchDatabase } from './lib/databases.ts';

interface CrawlResult {
  label: string;
  pages: number;
  records: number;
  seconds: number;
  latencies: number[];
  statuses: Record<string, number>;
}

const PER_PAGE = 100;

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

/** Runs in the child process: one request at a time, like a polite crawler, timing each whole answer. */
async function crawl(baseUrl: string, path: string, label: string): Promise<CrawlResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let records = 0;
  let totalPages = 1;
  const started = performance.now();
  for (let page = 1; page <= totalPages; page++) {
    const separator = path.includes('?') ? '&' : '?';
    const before = performance.now();
    const response = await fetch(`${baseUrl}${path}${separator}per_page=${PER_PAGE}&page=${page}`);
    const body = (await response.json()) as { total_pages: number; contents: unknown[] };
    latencies.push(performance.now() - before);
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    if (response.status !== 200) throw new Error(`${label} page ${page}: HTTP ${response.status}`);
    totalPages = body.total_pages;
    records += body.contents.length;
  }
  return { label, pages: latencies.length, records, seconds: (performance.now() - started) / 1000, latencies, statuses };
}

/**
 * The same number of requests to /healthz, which touches no database: the latency floor this machine
 * gives any request at the moment (on a shared, busy machine it is far from zero).
 */
async function control(baseUrl: string): Promise<CrawlResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const started = performance.now();
  for (let n = 0; n < 1000; n++) {
    const before = performance.now();
    const response = await fetch(`${baseUrl}/healthz`);
    await response.arrayBuffer();
    latencies.push(performance.now() - before);
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
  }
  return { label: 'control: /healthz', pages: latencies.length, records: 0, seconds: (performance.now() - started) / 1000, latencies, statuses };
}

async function crawler(baseUrl: string): Promise<void> {
  // A short warm-up, as a long-running server would have had.
  for (let page = 1; page <= 5; page++) await fetch(`${baseUrl}/openreferral/services?per_page=${PER_PAGE}&page=${page}`).then((r) => r.arrayBuffer());
  const results = [
    await control(baseUrl),
    await crawl(baseUrl, '/openreferral/services', 'services'),
    await crawl(baseUrl, '/openreferral/services?full=true', 'services, full=true'),
    await crawl(baseUrl, '/openreferral/service_at_locations', 'service_at_locations'),
  ];
  process.send!(results);
}

function report(results: CrawlResult[]): void {
  const rows = results.map((result) => {
    const sorted = [...result.latencies].sort((a, b) => a - b);
    return {
      crawl: result.label,
      pages: result.pages,
      records: result.records,
      'p50 ms': percentile(sorted, 0.5).toFixed(1),
      'p95 ms': percentile(sorted, 0.95).toFixed(1),
      'p99 ms': percentile(sorted, 0.99).toFixed(1),
      'max ms': sorted[sorted.length - 1]!.toFixed(1),
      'pages/s': (result.pages / result.seconds).toFixed(1),
      statuses: JSON.stringify(result.statuses),
    };
  });
  console.table(rows);
}

async function generate(database: Awaited<ReturnType<typeof openPostgresDatabase>>, count: number): Promise<void> {
  const generating = performance.now();
  let lastShown = 0;
  await generateServices(database.db, {
    count,
    seed: 42,
    batchSize: 2000,
    onProgress: (done) => {
      if (done - lastShown >= 10_000 || done === count) {
        lastShown = done;
        console.error(`  generated ${done.toLocaleString('en-GB')} services`);
      }
    },
  });
  await sql`vacuum analyze`.execute(database.db);
  console.error(`  data ready in ${((performance.now() - generating) / 1000).toFixed(0)} s`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { services: { type: 'string', default: '100000' }, keep: { type: 'boolean', default: false }, database: { type: 'string' } },
  });
  const count = Number(values.services);
  const reuse = values.database !== undefined;
  const name = values.database ?? `frontdoor_bench_crawl_${randomBytes(4).toString('hex')}`;
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`Not a database name: ${name}`);
  if (!reuse) await createBenchDatabase(name);
  const url = benchDatabaseUrl(name);
  console.error(reuse ? `Open Referral crawl: the database ${name}, kept earlier` : `Open Referral crawl: ${count.toLocaleString('en-GB')} services in the throw-away database ${name}`);
  console.error(`Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, Node ${process.version}; load average ${os.loadavg().map((load) => load.toFixed(1)).join(', ')}`);

  const database = await openPostgresDatabase(url, 10);
  let app: Awaited<ReturnType<typeof buildApp>>['app'] | undefined;
  try {
    await migrateToLatest(database.db);
    if (!reuse) await generate(database, count);

    // Production settings, as a deployment runs; mail goes to a port nothing listens on (the crawl sends none).
    const config = loadConfig({
      NODE_ENV: 'production', LOG_LEVEL: 'silent', DATABASE_URL: url, SESSION_SECRET: randomBytes(24).toString('hex'),
      SECRETS_KEY: randomBytes(24).toString('hex'), SMTP_URL: 'smtp://127.0.0.1:2525',
    });
    ({ app } = await buildApp({ config, database }));
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    console.error(`  app listening on ${address}; crawling from a separate process, one page at a time, per_page=${PER_PAGE}`);

    const child = fork(fileURLToPath(import.meta.url), ['--crawl', address], { execArgv: ['--import', 'tsx'] });
    const results = await new Promise<CrawlResult[]>((resolve, reject) => {
      child.once('message', (message) => resolve(message as CrawlResult[]));
      child.once('error', reject);
      child.once('exit', (code) => (code ? reject(new Error(`the crawler exited with ${code}`)) : undefined));
    });
    child.kill();
    report(results);
    console.error(`Load average (1, 5, 15 minutes) at the end: ${os.loadavg().map((load) => load.toFixed(1)).join(', ')} on ${os.cpus().length} CPUs`);
  } finally {
    await app?.close();
    await database.close();
    if (!values.keep && !reuse) {
      await dropBenchDatabase(name);
    } else {
      console.error(`Kept the database ${url}`);
    }
  }
}

const crawlIndex = process.argv.indexOf('--crawl');
if (crawlIndex >= 0) {
  await crawler(process.argv[crawlIndex + 1]!);
} else {
  await main();
}

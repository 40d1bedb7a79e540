/**
 * Search benchmark: `npm run bench:search` (the full matrix of issue 4) or
 * `npm run bench:search -- --engines postgres --sizes 100000 --requests 2000`.
 *
 * For each engine and size it generates the services (kept between runs), then
 *  1. runs each kind of search as bare SQL (full-text with an expression GIN index, distance with a
 *     bounding box and haversine, facets with GROUP BY) from this process, 10 at a time;
 *  2. starts the real server in a child process and drives GET /api/v1/search over loopback at 10
 *     concurrent connections with a fixed mix of kinds, every response including facets: once with
 *     the server's search cache as shipped and once with it off (`--cache on|off|both`), since the
 *     fixed mix repeats its searches and a cache answers repeats without searching;
 * and prints p50/p95/p99 and requests a second per kind, with the HTTP/SQL ratio.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import type { EngineName } from '../src/platform/db/engine.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import type { Database } from '../src/platform/db/schema.ts';
import { createProgress } from '../src/platform/progress.ts';
import { BENCHMARK_VOCABULARY, generateBenchmarkServices } from '../src/directory/demo/benchmark.ts';
import { drive, formatMs, markdownTable, summarise } from './lib/stats.ts';
import { openBenchDatabase } from './lib/databases.ts';

const ROOT = path.join(import.meta.dirname, '..');
const CONCURRENCY = 10;
const SEED = 7;

// Places the mix searches near: each resolves offline to a point and its council area.
const POSTCODES = ['KA12 8AA', 'G12 8QQ', 'EH1 1YZ', 'AB10 1XG', 'IV2 3PX', 'DG1 2BD', 'PA1 1JR', 'KY1 1XR', 'DD1 4HN', 'FK8 2ET'];

type Kind = 'text ~0.5%' | 'text ~5%' | 'text ~30%' | 'postcode only' | 'text+postcode+2 filters' | 'page 5 of broad';
const KINDS: Kind[] = ['text ~0.5%', 'text ~5%', 'text ~30%', 'postcode only', 'text+postcode+2 filters', 'page 5 of broad'];

interface Query {
  q?: string;
  near?: string;
  latitude?: number;
  longitude?: number;
  category?: string;
  free?: boolean;
  page: number;
}

function queryFor(kind: Kind, sequence: number): Query {
  const near = POSTCODES[sequence % POSTCODES.length]!;
  switch (kind) {
    case 'text ~0.5%':
      return { q: BENCHMARK_VOCABULARY.rare, page: 1 };
    case 'text ~5%':
      return { q: BENCHMARK_VOCABULARY.medium, page: 1 };
    case 'text ~30%':
      return { q: BENCHMARK_VOCABULARY.common, page: 1 };
    case 'postcode only':
      return { near, page: 1 };
    case 'text+postcode+2 filters':
      return { q: BENCHMARK_VOCABULARY.medium, near, category: 'physical-activity', free: true, page: 1 };
    case 'page 5 of broad':
      return { q: BENCHMARK_VOCABULARY.common, page: 5 };
  }
}

function searchUrl(base: string, query: Query): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.near) params.set('near', query.near);
  if (query.category) params.set('category', query.category);
  if (query.free !== undefined) params.set('free', String(query.free));
  if (query.page > 1) params.set('page', String(query.page));
  return `${base}/api/v1/search?${params}`;
}

// ---------------------------------------------------------------------------------------------
// Data

async function ensureServices(db: Kysely<Database>, size: number): Promise<void> {
  await migrateToLatest(db);
  const { count } = await db.selectFrom('service').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  if (Number(count) === size) return;
  if (Number(count) > 0) {
    console.error(`  found ${count} services, wanted ${size}: regenerating`);
    await sql`truncate organization, service, location cascade`.execute(db);
  }
  const started = performance.now();
  await generateBenchmarkServices(db, { count: size, seed: SEED, progress: createProgress(`  generating ${size} services`, size) });
  const seconds = (performance.now() - started) / 1000;
  console.error(`  generated ${size} services in ${seconds.toFixed(1)} s (${Math.round(size / seconds)} a second)`);
}

// ---------------------------------------------------------------------------------------------
// Bare SQL: the same searches without the in-memory index, as a baseline

const FTS = sql`to_tsvector('english', s.name || ' ' || s.summary || ' ' || s.description)`;

async function prepareSql(db: Kysely<Database>): Promise<void> {
  // A benchmark-only index: the app does not search in SQL, but a fair baseline needs one.
  await sql`create index if not exists bench_service_fts on service using gin (to_tsvector('english', name || ' ' || summary || ' ' || description))`.execute(db);
  await sql`analyze`.execute(db);
}

const POINTS = new Map<string, { latitude: number; longitude: number; councilArea: string }>();

async function sqlSearch(db: Kysely<Database>, query: Query): Promise<void> {
  const point = query.near ? POINTS.get(query.near)! : undefined;
  const radiusMiles = 10;
  const latitudeSpan = radiusMiles / 69;
  const longitudeSpan = point ? radiusMiles / (69 * Math.cos((point.latitude * Math.PI) / 180)) : 0;
  const textCondition = query.q ? sql`and ${FTS} @@ plainto_tsquery('english', ${query.q})` : sql``;
  const rank = query.q ? sql`ts_rank_cd(${FTS}, plainto_tsquery('english', ${query.q}))` : sql`1.0`;
  const placeCondition = point
    ? sql`and (exists (
          select 1 from service_at_location sal join location l on l.id = sal.location_id
          where sal.service_id = s.id
            and l.latitude between ${point.latitude - latitudeSpan} and ${point.latitude + latitudeSpan}
            and l.longitude between ${point.longitude - longitudeSpan} and ${point.longitude + longitudeSpan}
            and 3958.8 * 2 * asin(sqrt(power(sin(radians(l.latitude - ${point.latitude}) / 2), 2)
                + cos(radians(${point.latitude})) * cos(radians(l.latitude)) * power(sin(radians(l.longitude - ${point.longitude}) / 2), 2))) <= ${radiusMiles})
        or exists (select 1 from service_area a where a.service_id = s.id
                   and (a.area_name = ${point.councilArea} or a.area_type in ('scotland', 'uk'))))`
    : sql``;
  const freeCondition = query.free !== undefined ? sql`and m.free_of_charge = ${query.free}` : sql``;
  const categoryCondition = query.category
    ? sql`and exists (select 1 from attribute a join taxonomy_term t on t.id = a.taxonomy_term_id
                      left join taxonomy_term p on p.id = t.parent_id
                      where a.service_id = m.id and (t.code = ${query.category} or p.code = ${query.category}))`
    : sql``;
  const offset = (query.page - 1) * 20;
  await sql`
    with matched as materialized (
      select s.id, s.name, s.free_of_charge, s.access_routes, s.delivery_modes, ${rank} as rank
      from service s join organization o on o.id = s.organization_id
      where s.status in ('active', 'temporarily closed') and o.listed ${textCondition} ${placeCondition}
    ),
    filtered as materialized (select * from matched m where true ${freeCondition} ${categoryCondition})
    select
      (select count(*) from filtered) as total,
      (select json_agg(r) from (select id, name from filtered order by rank desc, name limit 20 offset ${offset}) r) as results,
      (select json_agg(f) from (select t.code, count(*) from matched m join attribute a on a.service_id = m.id
                                join taxonomy_term t on t.id = a.taxonomy_term_id group by t.code) f) as term_facets,
      (select json_agg(f) from (select v, count(*) from matched m, unnest(m.access_routes) v group by v) f) as access_facets,
      (select json_agg(f) from (select v, count(*) from matched m, unnest(m.delivery_modes) v group by v) f) as mode_facets,
      (select json_agg(f) from (select free_of_charge, count(*) from matched group by free_of_charge) f) as free_facets
  `.execute(db);
}

// ---------------------------------------------------------------------------------------------
// HTTP: the real server in its own process

async function startServer(engine: EngineName, database: { url?: string; dataDir?: string }, cacheEntries: number): Promise<{ base: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--max-old-space-size=12288', '--import', 'tsx', path.join(ROOT, 'src', 'server.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      SESSION_SECRET: 'benchmark-only-secret-benchmark-only-secret',
      SECRETS_KEY: 'benchmark-only-secret-benchmark-only-secret',
      // Production settings demand a mail server; the benchmark sends no mail and runs no jobs.
      SMTP_URL: 'smtp://127.0.0.1:2525',
      RUN_JOBS: 'false',
      PORT: '0',
      SEED_DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
      SEARCH_CACHE_ENTRIES: String(cacheEntries),
      ...(engine === 'postgres' ? { DATABASE_URL: database.url! } : { DATA_DIR: database.dataDir!, DATABASE_URL: '' }),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearInterval(timer);
        resolve(match[1]!);
      }
    }, 100);
    child.on('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`server exited with ${code}: ${output}`));
    });
  });
  return {
    base,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

// ---------------------------------------------------------------------------------------------

/** The product's default cache, and none: the second shows what every search costs when it is new. */
const CACHE_SETTINGS = { on: 500, off: 0 } as const;

async function benchmark(engine: EngineName, size: number, requests: number, sqlPerKind: number, caches: Array<keyof typeof CACHE_SETTINGS>): Promise<string[][]> {
  console.error(`\n${engine}, ${size.toLocaleString('en-GB')} services`);
  const database = await openBenchDatabase(engine, 'search', size, CONCURRENCY);
  await ensureServices(database.handle.db, size);
  await prepareSql(database.handle.db);

  // Resolve the mix's postcodes once, through the app's own geography.
  const { createGeographyService } = await import('../src/geography/service.ts');
  const { createPostcodeRepository } = await import('../src/geography/repository.ts');
  const geography = createGeographyService({ postcodes: createPostcodeRepository(database.handle.db) });
  for (const postcode of POSTCODES) {
    const resolved = await geography.resolve(postcode);
    if (!resolved.ok) throw new Error(`benchmark postcode ${postcode} does not resolve`);
    POINTS.set(postcode, { latitude: resolved.place.latitude, longitude: resolved.place.longitude, councilArea: resolved.place.councilArea?.name ?? '' });
  }

  const sqlRun = await drive(sqlPerKind * KINDS.length, CONCURRENCY, (sequence) => {
    const kind = KINDS[sequence % KINDS.length]!;
    return { kind, run: () => sqlSearch(database.handle.db, queryFor(kind, sequence)) };
  });
  await database.handle.close();

  const rows: string[][] = [];
  for (const cache of caches) rows.push(...(await driveServer(engine, size, requests, database, cache, sqlRun)));
  return rows;
}

async function driveServer(
  engine: EngineName,
  size: number,
  requests: number,
  database: { url?: string; dataDir?: string },
  cache: keyof typeof CACHE_SETTINGS,
  sqlRun: Awaited<ReturnType<typeof drive>>,
): Promise<string[][]> {
  const server = await startServer(engine, database, CACHE_SETTINGS[cache]);
  try {
    // The server listens at once and loads its index behind /readyz; at a million services that takes
    // minutes, longer than a client waits for an answer.
    const loading = performance.now();
    while ((await fetch(`${server.base}/readyz`).catch(() => undefined))?.status !== 200) await new Promise((resolve) => setTimeout(resolve, 500));
    console.error(`  search index loaded in ${((performance.now() - loading) / 1000).toFixed(1)} s (cache ${cache})`);
    // A lean client: Node's fetch spent 1.2 ms of CPU on each request here, more than the server did,
    // on a machine whose two cores run both. Keep-alive connections, gzip accepted (as API clients
    // and browsers do), every answer unpacked and parsed, and its facets checked.
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const get = (url: string) =>
      new Promise<void>((resolve, reject) => {
        http
          .get(url, { agent, headers: { 'accept-encoding': 'gzip' } }, (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('error', reject);
            response.on('end', () => {
              try {
                const raw = Buffer.concat(chunks);
                const text = (response.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
                if (response.statusCode !== 200) throw new Error(`${response.statusCode} ${text}`);
                const body = JSON.parse(text) as { facets?: unknown };
                if (!body.facets) throw new Error('a response without facets');
                resolve();
              } catch (error) {
                reject(error);
              }
            });
          })
          .on('error', reject);
      });
    await drive(Math.min(300, requests), CONCURRENCY, (sequence) => {
      const kind = KINDS[sequence % KINDS.length]!;
      return { kind, run: () => get(searchUrl(server.base, queryFor(kind, sequence))) };
    });
    const httpRun = await drive(requests, CONCURRENCY, (sequence) => {
      const kind = KINDS[sequence % KINDS.length]!;
      return { kind, run: () => get(searchUrl(server.base, queryFor(kind, sequence))) };
    });
    if (httpRun.errors > 0) console.error(`  ${httpRun.errors} HTTP requests failed`);
    const rows: string[][] = [];
    for (const kind of KINDS) {
      const http = summarise(httpRun.samples.get(kind) ?? [], httpRun.wallSeconds);
      const bare = summarise(sqlRun.samples.get(kind) ?? [], sqlRun.wallSeconds);
      rows.push([
        engine,
        size.toLocaleString('en-GB'),
        cache,
        kind,
        formatMs(http.p50),
        formatMs(http.p95),
        formatMs(http.p99),
        http.perSecond.toFixed(0),
        formatMs(bare.p50),
        formatMs(bare.p95),
        formatMs(bare.p99),
        (http.p95 / bare.p95).toFixed(2),
      ]);
    }
    rows.push([engine, size.toLocaleString('en-GB'), cache, '**all kinds**', '', '', '', (requests / httpRun.wallSeconds).toFixed(0), '', '', '', '']);
    agent.destroy();
    return rows;
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      engines: { type: 'string' },
      sizes: { type: 'string' },
      requests: { type: 'string', default: '3000' },
      // Bare SQL is slow at this size (seconds a query for broad searches), so it gets fewer samples.
      'sql-per-kind': { type: 'string', default: '50' },
      clean: { type: 'boolean', default: false },
      // on: the server's default search cache; off: every search computed afresh; both: one after the other.
      cache: { type: 'string', default: 'both' },
    },
  });
  const requests = Number(values.requests);
  const plan: Array<[EngineName, number]> =
    values.engines || values.sizes
      ? (values.engines ?? 'pglite,postgres').split(',').flatMap((engine) =>
          (values.sizes ?? '100000').split(',').map((size) => [engine as EngineName, Number(size)] as [EngineName, number]),
        )
      : [
          ['pglite', 100_000],
          ['postgres', 10_000],
          ['postgres', 100_000],
          ['postgres', 1_000_000],
        ];
  if (values.clean) await rm(path.join(ROOT, 'var', 'bench'), { recursive: true, force: true });
  const rows: string[][] = [];
  const caches = values.cache === 'both' ? (['on', 'off'] as const) : [values.cache as keyof typeof CACHE_SETTINGS];
  if (!caches.every((cache) => cache in CACHE_SETTINGS)) throw new Error('--cache must be on, off or both');
  for (const [engine, size] of plan) rows.push(...(await benchmark(engine, size, requests, Number(values['sql-per-kind']), [...caches])));
  console.log(
    `\n${markdownTable(
      ['engine', 'services', 'cache', 'kind', 'HTTP p50 ms', 'HTTP p95 ms', 'HTTP p99 ms', 'HTTP req/s', 'SQL p50 ms', 'SQL p95 ms', 'SQL p99 ms', 'p95 HTTP/SQL'],
      rows,
    )}`,
  );
  console.log(`\n${requests} HTTP requests per engine and size at ${CONCURRENCY} concurrent connections; req/s per kind is that kind's share of the mix.`);
  await stat(ROOT);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * Export benchmark: `npm run bench:export` (10,000, 100,000 and 1,000,000 services on PostgreSQL) or
 * `npm run bench:export -- --engines postgres --sizes 100000 --formats ndjson`.
 *
 * For each engine and size it generates the services once (the benchmark seeder, seed 7, kept in a
 * database named frontdoor_bench_export_N, or var/bench/export-pglite-N), then runs each export in a
 * child process of its own, so that each run's peak memory is its own: the child streams the export
 * (the same code as `npm run export` and the HTTP downloads) into a sink that counts the bytes, and
 * samples process.memoryUsage() every 100 ms. The data package's CSV files are written to a real
 * temporary folder and zipped from there; only the finished zip is counted rather than kept.
 * Flat memory means the peak does not grow with the number of services.
 */
import { spawnSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import type { EngineName } from '../src/platform/db/engine.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import type { Database } from '../src/platform/db/schema.ts';
import { createProgress } from '../src/platform/progress.ts';
import { generateBenchmarkServices } from '../src/directory/demo/benchmark.ts';
import { createExportSource, dataPackageRecordCount, dataPackageZip, DEFAULT_EXPORT_PAGE_SIZE, ndjsonPages } from '../src/openreferral/tabular/export.ts';
import { markdownTable } from './lib/stats.ts';
import { openBenchDatabase } from './lib/databases.ts';

const ROOT = path.join(import.meta.dirname, '..');
const SEED = 7;
type Format = 'ndjson' | 'datapackage';

async function ensureServices(db: Kysely<Database>, size: number): Promise<void> {
  await migrateToLatest(db);
  const { count } = await db.selectFrom('service').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  if (Number(count) === size) {
    // Freshly generated tables have no planner statistics until autovacuum gets round to them, and
    // without them the batch loaders' "in (500 ids)" lookups are planned as scans of whole tables.
    // A directory in use has them; so does the benchmark.
    await sql`analyze`.execute(db);
    return;
  }
  if (Number(count) > 0) {
    console.error(`  found ${count} services, wanted ${size}: regenerating`);
    await sql`truncate organization, service, location cascade`.execute(db);
  }
  const started = performance.now();
  await generateBenchmarkServices(db, { count: size, seed: SEED, progress: createProgress(`  generating ${size} services`, size) });
  console.error(`  generated ${size} services in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await sql`analyze`.execute(db);
}

interface RunResult {
  engine: EngineName;
  size: number;
  format: Format;
  services: number;
  records: number;
  seconds: number;
  bytes: number;
  peakRssMb: number;
  peakHeapMb: number;
  baselineRssMb: number;
}

/** Child: one export, measured. Prints its result as one JSON line on stdout. */
async function child(engine: EngineName, size: number, format: Format, pageSize: number): Promise<void> {
  const handle = (await openBenchDatabase(engine, 'export', size, 4)).handle;
  const source = createExportSource(handle.db);
  const { services } = await source.exportCounts();
  const total = format === 'ndjson' ? services : await dataPackageRecordCount(source);
  const baselineRss = process.memoryUsage().rss;
  let peakRss = baselineRss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sample = () => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  };
  const sampler = setInterval(sample, 100);
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback();
    },
  });
  const progress = createProgress(`  ${engine} ${size} ${format}`, total, { plain: true, intervalMs: 10_000 });
  let records = 0;
  const onProgress = (count: number) => {
    records += count;
    progress.increment(count);
  };
  const started = performance.now();
  const tmpDir = path.join(ROOT, 'var', 'bench');
  await mkdir(tmpDir, { recursive: true });
  const stream = format === 'ndjson' ? Readable.from(ndjsonPages(source, { pageSize, onProgress })) : await dataPackageZip(source, { pageSize, onProgress, tmpDir });
  await pipeline(stream, sink);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  sample();
  progress.stop();
  await handle.close();
  const mb = (value: number) => Math.round((value / 1024 / 1024) * 10) / 10;
  const result: RunResult = { engine, size, format, services, records, seconds, bytes, peakRssMb: mb(peakRss), peakHeapMb: mb(peakHeap), baselineRssMb: mb(baselineRss) };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      engines: { type: 'string', default: 'postgres' },
      sizes: { type: 'string', default: '10000,100000,1000000' },
      formats: { type: 'string', default: 'ndjson,datapackage' },
      'page-size': { type: 'string', default: String(DEFAULT_EXPORT_PAGE_SIZE) },
      child: { type: 'boolean', default: false },
    },
  });
  const engines = values.engines.split(',') as EngineName[];
  const sizes = values.sizes.split(',').map((size) => Number(size.replace(/[_,]/g, '')));
  const formats = values.formats.split(',') as Format[];
  const pageSize = Number(values['page-size']);
  if (values.child) return child(engines[0]!, sizes[0]!, formats[0]!, pageSize);

  const results: RunResult[] = [];
  for (const engine of engines) {
    for (const size of sizes) {
      console.error(`${engine}, ${size.toLocaleString('en-GB')} services`);
      const handle = (await openBenchDatabase(engine, 'export', size, 4)).handle;
      await ensureServices(handle.db, size);
      await handle.close();
      for (const format of formats) {
        const run = spawnSync(
          process.execPath,
          ['--import', 'tsx', 'bench/export.ts', '--child', '--engines', engine, '--sizes', String(size), '--formats', format, '--page-size', String(pageSize)],
          { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 1 << 20 },
        );
        if (run.status !== 0) throw new Error(`The ${format} export of ${size} services failed.`);
        results.push(JSON.parse(run.stdout.trim().split('\n').pop()!) as RunResult);
      }
    }
  }
  const number = (value: number) => Math.round(value).toLocaleString('en-GB');
  console.log(
    markdownTable(
      ['engine', 'services', 'format', 'records read', 'seconds', 'services/s', 'output MB', 'peak RSS MB', 'peak heap MB', 'RSS at start MB'],
      results.map((result) => [
        result.engine,
        number(result.size),
        result.format,
        number(result.records),
        result.seconds.toFixed(1),
        number(result.services / result.seconds),
        (result.bytes / 1024 / 1024).toFixed(1),
        result.peakRssMb.toFixed(1),
        result.peakHeapMb.toFixed(1),
        result.baselineRssMb.toFixed(1),
      ]),
    ),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

// The import benchmark: `npm run bench:import` (options: --services 100000; --batch 500; --from ndjson|package;
// --engine postgres|pglite; --source-database NAME to export from a database kept earlier; --package FILE to
// import a package or dump written earlier instead of generating one; --writers N,
// batches written at once: by default 2 on PostgreSQL and 1 on PGlite, as the import command;
// --without-secondary-indexes, PostgreSQL only: an experiment, see dropSecondaryIndexes; --runs N, both
// imports N times, each into a new empty database, then the median, fastest and slowest of each: on
// a shared machine one run can be a third off the next; --floor, PostgreSQL only: after the runs, how long
// PostgreSQL takes to COPY in the very rows the first import wrote, see bench/lib/copy-floor.ts).
//
// It generates that many services into a throw-away PostgreSQL database (made and dropped through
// BENCH_ADMIN_URL: see bench/lib/databases.ts), writes them out
// as the file an import reads (an NDJSON dump of service_full objects from our own feed, or an HSDS
// data package), then imports the file into an EMPTY database on the chosen engine and times it:
// services a second for the first import (everything added), then for a second import of the same
// file (everything unchanged). Not a CI test: the numbers depend on the machine. Results are kept in
// bench/RESULTS.md.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { readFile, readdir } from 'node:fs/promises';
import { sql } from 'kysely';
import { createPGlite, openPostgresDatabase, wrapPGlite, type DatabaseHandle } from '../src/platform/db/engine.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { systemClock } from '../src/platform/clock.ts';
import { generateServices } from '../src/openreferral/testing/generate.ts';
import { createOpenReferralRepository } from '../src/openreferral/repository.ts';
import { createOpenReferralService } from '../src/openreferral/service.ts';
import { createImporter } from '../src/imports/importer.ts';
import { createImportRepository, WRITTEN_TABLES } from '../src/imports/repository.ts';
import { importWriters, openFeed } from '../src/imports/service.ts';
import { writeDataPackageHook } from './lib/import-package.ts';
import { benchDatabaseUrl, createBenchDatabase, dropBenchDatabase } from './lib/databases.ts';
import { markdownTable, percentile } from './lib/stats.ts';
import { dumpTables, measureFloor, parentsFirst, referencesAmong } from './lib/copy-floor.ts';


async function createPostgres(name: string): Promise<DatabaseHandle> {
  await createBenchDatabase(name);
  return openPostgresDatabase(benchDatabaseUrl(name), 4);
}

/**
 * CPU seconds used so far by the PostgreSQL server the benchmark talks to (every process of it, the
 * exited included), read from /proc: only when the server runs on this machine, else undefined.
 */
async function postgresCpuSeconds(db: DatabaseHandle['db']): Promise<number | undefined> {
  try {
    const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db);
    const fieldsOf = async (pid: number | string) => (await readFile(`/proc/${pid}/stat`, 'utf8')).replace(/^.*\) /, '').split(' ').map(Number);
    // After "(name) ": state is field 0, ppid 1, utime 11, stime 12, cutime 13, cstime 14.
    const postmaster = (await fieldsOf(rows[0]!.pid))[1]!;
    const own = await fieldsOf(postmaster);
    let ticks = own[11]! + own[12]! + own[13]! + own[14]!;
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const fields = await fieldsOf(entry).catch(() => undefined);
      if (fields && fields[1] === postmaster) ticks += fields[11]! + fields[12]!;
    }
    return ticks / 100; // USER_HZ is 100 on Linux.
  } catch {
    return undefined;
  }
}

/** The tables a first import writes: the records' own, their versions and their provenance. */
const WRITTEN = [...Object.keys(WRITTEN_TABLES), 'listing_version', 'import_record'];

/**
 * The experiment of `--without-secondary-indexes`: how much of PostgreSQL's work in a first import
 * the secondary indexes are, which is what an initial-load mode (load, then build the indexes) could
 * save at most. Drops every index of the written tables that no constraint needs, except the one
 * the importer's own id lookups read (import_record by kind and record id: without it each batch
 * reads the whole table); returns their definitions, to be built again after the first import (the
 * unique ones among them, an attribute's term once per record, then check what was loaded).
 * The importer is unchanged: it still upserts and looks up as it does in production.
 */
async function dropSecondaryIndexes(db: DatabaseHandle['db']): Promise<string[]> {
  const { rows } = await sql<{ name: string; definition: string }>`
    select index_class.relname as name, pg_get_indexdef(ix.indexrelid) as definition
    from pg_index ix
    join pg_class index_class on index_class.oid = ix.indexrelid
    join pg_class table_class on table_class.oid = ix.indrelid
    where table_class.relname = any(${WRITTEN}) and not ix.indisprimary
      and not exists (select 1 from pg_constraint where pg_constraint.conindid = ix.indexrelid)
      and index_class.relname <> 'import_record_record_idx'`.execute(db);
  for (const row of rows) await sql`drop index ${sql.ref(row.name)}`.execute(db);
  return rows.map((row) => row.definition);
}

interface Measurement { perSecond: number; nodeCpu: number; postgresCpu?: number }

/** Median, fastest and slowest of several runs, and the median first import against the target. */
function printSummary(measured: Record<'first' | 'second', Measurement[]>): void {
  const TARGET = 5_000;
  const spread = (values: number[], digits: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    const format = (value: number) => value.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });
    return [format(percentile(sorted, 0.5)), `${format(sorted[0]!)}–${format(sorted.at(-1)!)}`];
  };
  const rows = (['first', 'second'] as const).map((which) => {
    const runs = measured[which];
    const postgres = runs.flatMap((one) => (one.postgresCpu === undefined ? [] : [one.postgresCpu]));
    return [which === 'first' ? 'first import (all new)' : 'second import (all unchanged)', ...spread(runs.map((one) => one.perSecond), 0), ...spread(runs.map((one) => one.nodeCpu), 1), ...(postgres.length > 0 ? spread(postgres, 1) : ['–', '–'])];
  });
  console.log(`\nOver ${measured.first.length} runs:`);
  console.log(markdownTable(['import', 'services/s, median', 'range', 'Node CPU s, median', 'range', 'PostgreSQL CPU s, median', 'range'], rows));
  const medianFirst = percentile(measured.first.map((one) => one.perSecond).sort((a, b) => a - b), 0.5);
  console.log(`Median first import: ${(medianFirst / TARGET).toFixed(2)} of the target of ${TARGET.toLocaleString('en-GB')} services a second.`);
}

/** Our feed's full service objects, one per line, in id order, page by page. */
async function writeNdjson(database: DatabaseHandle, file: string): Promise<number> {
  const feed = createOpenReferralService({ repository: createOpenReferralRepository(database.db), places: { resolve: async () => ({ ok: false }) } as never });
  const out = createWriteStream(file);
  let written = 0;
  for (let page = 1; ; page++) {
    const envelope = await feed.listServices({ page, per_page: 100, full: true });
    for (const service of envelope.contents) {
      if (!out.write(`${JSON.stringify(service)}\n`)) await once(out, 'drain');
      written++;
    }
    if (page % 100 === 0) console.error(`  written ${written.toLocaleString('en-GB')} services`);
    if (envelope.last_page || envelope.empty) break;
  }
  out.end();
  await once(out, 'finish');
  return written;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      services: { type: 'string', default: '100000' },
      batch: { type: 'string', default: '500' },
      from: { type: 'string', default: 'ndjson' },
      engine: { type: 'string', default: 'postgres' },
      'source-database': { type: 'string' },
      writers: { type: 'string' },
      package: { type: 'string' },
      'without-secondary-indexes': { type: 'boolean', default: false },
      runs: { type: 'string', default: '1' },
      floor: { type: 'boolean', default: false },
    },
  });
  const count = Number(values.services);
  const batchSize = Number(values.batch);
  if (values.from !== 'ndjson' && values.from !== 'package') throw new Error('--from is ndjson or package');
  if (values.engine !== 'postgres' && values.engine !== 'pglite') throw new Error('--engine is postgres or pglite');
  if (values['without-secondary-indexes'] && values.engine !== 'postgres') throw new Error('--without-secondary-indexes is an experiment on PostgreSQL');
  if (values.floor && values.engine !== 'postgres') throw new Error('--floor measures PostgreSQL');
  if (values.floor && values['without-secondary-indexes']) throw new Error('--floor loads the rows of an import with every index: leave out --without-secondary-indexes');
  const suffix = randomBytes(4).toString('hex');
  const sourceName = values['source-database'] ?? `frontdoor_bench_import_from_${suffix}`;
  const targetNameOf = (run: number) => `frontdoor_bench_import_to_${suffix}_${run}`;
  const floorNames: string[] = [];
  let floorTables: Awaited<ReturnType<typeof dumpTables>> = [];
  let floorReferences = new Map<string, Set<string>>();
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs is a whole number, 1 or more');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'frontdoor-bench-import-'));
  console.error(`Import benchmark: ${count.toLocaleString('en-GB')} services from ${values.from === 'package' ? 'an HSDS data package' : 'an NDJSON dump'} into an empty ${values.engine} database, ${batchSize} a transaction`);
  console.error(`Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, Node ${process.version}; load average ${os.loadavg().map((load) => load.toFixed(1)).join(', ')}`);

  let source: DatabaseHandle | undefined;
  let target: DatabaseHandle | undefined;

  /** The COPY floor of the first import's rows (see bench/lib/copy-floor.ts), each load into a new empty database. */
  async function printFloor(): Promise<void> {
    const rows = floorTables.reduce((sum, one) => sum + one.rows, 0);
    console.log(`\nThe floor: COPY of the ${rows.toLocaleString('en-GB')} rows the first import wrote (${(floorTables.reduce((sum, one) => sum + one.bytes, 0) / 1e6).toFixed(0)} MB as COPY text), into an empty database, with nothing read, mapped or hashed:`);
    let probe: DatabaseHandle | undefined;
    try {
      const loads = await measureFloor(floorTables, floorReferences, async () => {
        const name = `frontdoor_bench_import_floor_${suffix}_${floorNames.length + 1}`;
        floorNames.push(name);
        const database = await createPostgres(name);
        await migrateToLatest(database.db);
        // The CPU probe asks the first of these databases, which is kept until the end.
        if (probe) await database.close();
        else probe = database;
        return benchDatabaseUrl(name);
      }, () => postgresCpuSeconds(probe!.db));
      const serviceCount = floorTables.find((one) => one.table === 'service')?.rows ?? count;
      console.log(markdownTable(['load', 'seconds', 'services/s', 'PostgreSQL CPU s'], loads.map((load) => [load.label, load.seconds.toFixed(1), Math.round(serviceCount / load.seconds).toLocaleString('en-GB'), load.postgresCpu === undefined ? '–' : load.postgresCpu.toFixed(1)])));
      const serial = loads.filter((load) => load.label.startsWith('serial'));
      console.log(`Seconds of each table's COPY (${serial.map((load) => load.label).join(' | ')}):`);
      console.log(markdownTable(['table', 'rows', ...serial.map((load) => load.label)], floorTables.map((one) => [one.table, one.rows.toLocaleString('en-GB'), ...serial.map((load) => (load.tables.find((t) => t.table === one.table)?.seconds ?? 0).toFixed(2))])));
    } finally {
      await probe?.close();
    }
  }
  try {
    if (values.package) {
      // An existing file: nothing to generate or write.
    } else if (values['source-database']) {
      source = await openPostgresDatabase(benchDatabaseUrl(sourceName), 4);
    } else {
      source = await createPostgres(sourceName);
      await migrateToLatest(source.db);
      const started = performance.now();
      await generateServices(source.db, { count, seed: 42, batchSize: 2000 });
      await sql`vacuum analyze`.execute(source.db);
      console.error(`  generated in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
    const writing = performance.now();
    let file: string;
    if (values.package) {
      file = path.resolve(values.package);
    } else if (values.from === 'package') {
      file = await writeDataPackageHook(source!.db, dir);
    } else {
      file = path.join(dir, 'services.ndjson');
      await writeNdjson(source!, file);
    }
    console.error(`  ${values.package ? 'reading' : 'wrote'} ${file} (${((await stat(file)).size / 1e6).toFixed(0)} MB)${values.package ? '' : ` in ${((performance.now() - writing) / 1000).toFixed(0)} s`}`);
    await source?.close();
    source = undefined;

    const measured: Record<'first' | 'second', Measurement[]> = { first: [], second: [] };
    for (let run = 1; run <= runs; run++) {
      if (runs > 1) console.log(`run ${run} of ${runs}`);
      target = values.engine === 'postgres' ? await createPostgres(targetNameOf(run)) : wrapPGlite(await createPGlite({}));
      await migrateToLatest(target.db);
      const repository = createImportRepository(target.db);
      const importer = createImporter({ repository, clock: systemClock, writers: Number(values.writers ?? importWriters(target.engine)) });
      const sourceId = await repository.insertSource({ name: 'Benchmark', kind: 'file', location: file, schedule_hours: null, default_organization_id: null, needs_moderation: false, taxonomy_mapping: '', enabled: true }, null, new Date());
      const sourceRow = (await repository.findSource(sourceId))!;

      const droppedIndexes = values['without-secondary-indexes'] ? await dropSecondaryIndexes(target.db) : [];
      if (droppedIndexes.length > 0) console.log(`  without ${droppedIndexes.length} secondary indexes for the first import (built again after it)`);
      for (const label of ['first import (all new)', 'second import (all unchanged)']) {
        if (label.startsWith('second') && droppedIndexes.length > 0) {
          const pgCpuBefore = await postgresCpuSeconds(target.db);
          const started = performance.now();
          for (const definition of droppedIndexes) await sql.raw(definition).execute(target.db);
          const pgCpuAfter = await postgresCpuSeconds(target.db);
          console.log(`indexes built again in ${((performance.now() - started) / 1000).toFixed(1)} s${pgCpuAfter === undefined ? '' : `, PostgreSQL CPU ${(pgCpuAfter - pgCpuBefore!).toFixed(1)} s`}`);
          await sql`analyze`.execute(target.db);
        }
        const feed = await openFeed('file', file);
        const pgCpuBefore = values.engine === 'postgres' ? await postgresCpuSeconds(target.db) : undefined;
        const nodeCpuBefore = process.cpuUsage();
        const started = performance.now();
        let done = 0;
        let shown = 0;
        const report = await importer.importServices(sourceRow, feed.items, {
          batchSize,
          isComplete: feed.isComplete,
          faults: feed.faults,
          onProgress: (records) => {
            done += records;
            if (done - shown >= 10_000) {
              shown = done;
              console.error(`  ${label}: ${done.toLocaleString('en-GB')} services, ${Math.round(done / ((performance.now() - started) / 1000))}/s`);
            }
          },
        });
        const seconds = (performance.now() - started) / 1000;
        const services = report.added + report.updated + report.unchanged;
        console.log(`${label}: ${services.toLocaleString('en-GB')} services (${report.added} added, ${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected.length} rejected) in ${seconds.toFixed(1)} s = ${Math.round(services / seconds).toLocaleString('en-GB')} services/s`);
        const nodeCpu = process.cpuUsage(nodeCpuBefore);
        const pgCpuAfter = pgCpuBefore === undefined ? undefined : await postgresCpuSeconds(target.db);
        console.log(`  CPU: Node ${((nodeCpu.user + nodeCpu.system) / 1e6).toFixed(1)} s${pgCpuAfter === undefined ? (values.engine === 'postgres' ? ', PostgreSQL not measured (not on this machine)' : ' (PGlite runs inside Node)') : `, PostgreSQL ${(pgCpuAfter - pgCpuBefore!).toFixed(1)} s`}`);
        if (report.rejected.length > 0) console.log(`  first rejections: ${JSON.stringify(report.rejected.slice(0, 3))}`);
        measured[label.startsWith('first') ? 'first' : 'second'].push({ perSecond: services / seconds, nodeCpu: (nodeCpu.user + nodeCpu.system) / 1e6, ...(pgCpuAfter === undefined ? {} : { postgresCpu: pgCpuAfter - pgCpuBefore! }) });
        if (values.floor && run === 1 && label.startsWith('first')) {
          // The source's row too: the provenance rows refer to it.
          const tables = [...WRITTEN, 'import_source'];
          floorReferences = await referencesAmong(benchDatabaseUrl(targetNameOf(run)), tables);
          floorTables = await dumpTables(benchDatabaseUrl(targetNameOf(run)), parentsFirst(tables, floorReferences), dir);
        }
      }
      await target.close();
      target = undefined;
      if (values.engine === 'postgres') await dropBenchDatabase(targetNameOf(run));
    }
    if (runs > 1) printSummary(measured);
    if (values.floor) await printFloor();
    console.error(`Load average (1, 5, 15 minutes) at the end: ${os.loadavg().map((load) => load.toFixed(1)).join(', ')}`);
  } finally {
    await source?.close();
    await target?.close();
    if (!values['source-database'] && !values.package) await dropBenchDatabase(sourceName).catch(() => undefined);
    if (values.engine === 'postgres') for (let run = 1; run <= runs; run++) await dropBenchDatabase(targetNameOf(run)).catch(() => undefined);
    for (const name of floorNames) await dropBenchDatabase(name).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

await main();

// npm run export -- --format ndjson|datapackage --out FILE
// Writes the whole published directory as Open Referral UK: NDJSON (one service_full object a line,
// as GET /openreferral/services/{id} gives it) or an HSDS tabular data package (a zip of CSV files
// and datapackage.json). The work is in src/openreferral/tabular/export.ts; this only wires it up.
import { runCommand } from './run.ts';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../platform/config.ts';
import { openDatabase } from '../platform/db/engine.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { createProgress } from '../platform/progress.ts';
import { createExportSource, dataPackageRecordCount, dataPackageZip, ndjsonPages } from '../openreferral/tabular/export.ts';

const USAGE = `Usage: npm run export -- --format ndjson|datapackage --out FILE [--page-size N]

  --format ndjson        One service a line, each exactly as GET /openreferral/services/{id} gives it.
  --format datapackage   An HSDS / Open Referral UK tabular data package: a zip of one CSV file per
                         table and datapackage.json (docs/openreferral.md, "Export").
  --out FILE             Where to write; the file appears only when the export has finished.
  --page-size N          Services read per query (default 500).

The database is the one the server uses: DATABASE_URL for PostgreSQL, otherwise PGlite in DATA_DIR.
Only published services are exported (those of listed organisations).`;

class UsageError extends Error {}

function parse(argv: string[]): { format: 'ndjson' | 'datapackage'; out: string; pageSize: number } | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: { format: { type: 'string' }, out: { type: 'string' }, 'page-size': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) return 'help';
  if (values.format !== 'ndjson' && values.format !== 'datapackage') throw new UsageError('--format must be ndjson or datapackage.');
  if (!values.out) throw new UsageError('--out FILE is needed: where to write the export.');
  const pageSize = values['page-size'] === undefined ? 500 : Number(values['page-size']);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 10_000) throw new UsageError('--page-size must be a whole number from 1 to 10,000.');
  return { format: values.format, out: path.resolve(values.out), pageSize };
}

async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError) && !(error instanceof TypeError)) throw error;
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args === 'help') {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig();
  const database = await openDatabase(config);
  const partial = `${args.out}.partial`;
  try {
    await migrateToLatest(database.db);
    const source = createExportSource(database.db);
    const started = performance.now();
    let records = 0;
    let progress;
    if (args.format === 'ndjson') {
      const { services } = await source.exportCounts();
      progress = createProgress('Exporting services', services);
      const onProgress = (count: number) => {
        records += count;
        progress!.increment(count);
      };
      await pipeline(Readable.from(ndjsonPages(source, { pageSize: args.pageSize, onProgress })), createWriteStream(partial));
    } else {
      progress = createProgress('Exporting services, organisations and locations', await dataPackageRecordCount(source));
      const onProgress = (count: number) => {
        records += count;
        progress!.increment(count);
      };
      await pipeline(await dataPackageZip(source, { pageSize: args.pageSize, onProgress, tmpDir: path.dirname(args.out) }), createWriteStream(partial));
    }
    await rename(partial, args.out);
    const seconds = (performance.now() - started) / 1000;
    progress.stop(`Wrote ${args.out}: ${records.toLocaleString('en-GB')} records in ${seconds.toFixed(1)} s.`);
    return 0;
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  } finally {
    await database.close();
  }
}

runCommand(main);

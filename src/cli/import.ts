// npm run import -- <url|file> [--source NAME] [--mapping FILE] [--batch N]
// Imports services from an Open Referral UK API (crawled page by page) or a file (a JSON dump: array,
// list envelope or NDJSON; or an HSDS data package) into the directory, as the admin pages' "sync
// now" does. The work is in src/imports/; this only wires it up and prints the report.
import { readFile } from 'node:fs/promises';
import { runCommand } from './run.ts';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../platform/config.ts';
import { openDatabase } from '../platform/db/engine.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { createProgress } from '../platform/progress.ts';
import { systemClock } from '../platform/clock.ts';
import { createAuditLog } from '../platform/audit/log.ts';
import { createJobQueue } from '../platform/jobs/queue.ts';
import { createImportRepository } from '../imports/repository.ts';
import { createImportsService, importWriters, openFeed } from '../imports/service.ts';
import type { ImportReport } from '../imports/importer.ts';

const USAGE = `Usage: npm run import -- <url|file> [--source NAME] [--mapping FILE] [--batch N]

<url>   the base address of an Open Referral UK API (the part before /services)
<file>  a JSON dump (an array of services, a list envelope, or NDJSON), or an HSDS data package
--source NAME   the import source to record the run under; registered if new (default: the address)
--mapping FILE  a taxonomy mapping CSV (source_taxonomy,source_term,frontdoor_term), kept with the source
--batch N       services per transaction (default 500)

Importing again changes only what changed; services the source no longer has become inactive.
The database is the one the server uses: DATABASE_URL for PostgreSQL, otherwise PGlite in DATA_DIR.`;

export function describeReport(report: ImportReport, seconds: number): string {
  const lines = [
    `Import ${report.status}: ${report.added} added, ${report.updated} updated, ${report.unchanged} unchanged, ${report.inactivated} inactivated, ${report.rejected.length} rejected, in ${seconds.toFixed(1)} s.`,
  ];
  if (report.status === 'partial') lines.push('The source could not be read to the end, so nothing was made inactive.');
  const list = (title: string, items: string[], limit = 20) => {
    if (items.length === 0) return;
    lines.push('', `${title} (${items.length}):`, ...items.slice(0, limit).map((item) => `  ${item}`));
    if (items.length > limit) lines.push(`  … and ${items.length - limit} more (see the run in the admin pages).`);
  };
  list('Rejected', report.rejected.map((rejection) => `${rejection.sourceRecordId ?? '(no id)'}: ${rejection.reason}`));
  list('Taxonomy terms with no mapping', report.unmappedTerms.map((term) => `${term.term}: ${term.count}`));
  list('Faults', report.faults);
  list('Warnings', report.warnings.map((warning) => `${warning.sourceRecordId}: ${warning.message}`), 10);
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { source: { type: 'string' }, mapping: { type: 'string' }, batch: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  if (parsed.positionals.length !== 1) {
    console.error(USAGE);
    return 2;
  }
  const target = parsed.positionals[0]!;
  const kind = /^https?:\/\//i.test(target) ? 'api' : 'file';
  const location = kind === 'api' ? target : path.resolve(target);
  const batchSize = parsed.values.batch ? Number(parsed.values.batch) : 500;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 5000) {
    console.error('--batch must be a whole number from 1 to 5000.');
    return 2;
  }
  let mapping: string | undefined;
  if (parsed.values.mapping) {
    try {
      mapping = await readFile(parsed.values.mapping, 'utf8');
    } catch {
      console.error(`Cannot read the mapping file ${parsed.values.mapping}: check the path.`);
      return 1;
    }
  }

  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    await migrateToLatest(database.db);
    const clock = systemClock;
    const imports = createImportsService({ repository: createImportRepository(database.db), writers: importWriters(database.engine), clock, audit: createAuditLog({ db: database.db, clock }), jobs: createJobQueue({ db: database.db, clock }) });
    const source = await imports.sourceForCommandLine(parsed.values.source ?? location, kind, location, mapping);
    const progress = createProgress(`Importing from ${source.name}`, 0);
    const feed = await openFeed(kind, location, { onTotal: (total) => progress.setTotal(total) });
    const started = performance.now();
    let report: ImportReport;
    try {
      report = await imports.importer.importServices(source, feed.items, {
        batchSize,
        isComplete: feed.isComplete,
        faults: feed.faults,
        onProgress: (records) => {
          const total = feed.total();
          if (total !== undefined) progress.setTotal(total);
          progress.increment(records);
        },
      });
    } finally {
      progress.stop();
    }
    console.log(describeReport(report, (performance.now() - started) / 1000));
    return report.status === 'failed' ? 1 : 0;
  } finally {
    await database.close();
  }
}

runCommand(main);

/**
 * Fills a database with invented data.
 *
 *   npm run seed                          the demo directory (about 650 organisations, 2,300 services)
 *   npm run seed -- --demo --seed 7       the demo directory from another seed
 *   npm run seed -- --benchmark 100000    100,000 plain benchmark services, for load and search tests
 *
 * The database is the one the app would use: DATABASE_URL, or the embedded database in DATA_DIR.
 * A database that already has organisations is left alone unless --force says to add anyway.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../platform/config.ts';
import { DataFolderLockedError, openDatabase } from '../platform/db/engine.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { createProgress } from '../platform/progress.ts';
import {
  BenchmarkDataExistsError,
  generateBenchmarkServices,
  MAX_BENCHMARK_SERVICES,
} from '../directory/demo/benchmark.ts';
import { DEFAULT_DEMO_SEED } from '../directory/demo/generator.ts';
import { loadDemoDirectory } from '../directory/demo/load.ts';

const USAGE = `Usage: npm run seed -- [--demo | --benchmark N] [--seed N] [--force] [--batch-size N]

  --demo           Load the demo directory: invented organisations and services in every
                   council area of Scotland (the default).
  --benchmark N    Add N plain services (1 to ${MAX_BENCHMARK_SERVICES.toLocaleString('en-GB')}) for benchmarks, as fast as possible.
  --seed N         Which invented data: the same seed always gives the same data (default ${DEFAULT_DEMO_SEED}).
  --force          Add the data even though the database already has organisations.
  --batch-size N   Benchmark services per transaction (default 5,000).
  --help           Show this message.`;

export interface SeedArguments {
  mode: 'demo' | 'benchmark';
  count: number;
  seed: number;
  force: boolean;
  batchSize: number | undefined;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Whole numbers as people type them: 100000, 100_000 or 100,000. */
function wholeNumber(flag: string, raw: string, min: number, max: number): number {
  const cleaned = raw.replace(/[_,]/g, '');
  if (!/^\d+$/.test(cleaned)) throw new UsageError(`${flag} needs a whole number (it was "${raw}").`);
  const value = Number(cleaned);
  if (value < min || value > max) {
    throw new UsageError(`${flag} must be from ${min.toLocaleString('en-GB')} to ${max.toLocaleString('en-GB')} (it was ${raw}).`);
  }
  return value;
}

export function parseSeedArguments(argv: string[]): SeedArguments | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        demo: { type: 'boolean' },
        benchmark: { type: 'string' },
        seed: { type: 'string' },
        force: { type: 'boolean' },
        'batch-size': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  if (values.help) return 'help';
  if (values.demo && values.benchmark !== undefined) throw new UsageError('Choose one of --demo and --benchmark N, not both.');
  const mode = values.benchmark !== undefined ? 'benchmark' : 'demo';
  if (mode === 'demo' && values['batch-size'] !== undefined) throw new UsageError('--batch-size applies only to --benchmark.');
  return {
    mode,
    count: mode === 'benchmark' ? wholeNumber('--benchmark', values.benchmark!, 1, MAX_BENCHMARK_SERVICES) : 0,
    seed: values.seed === undefined ? DEFAULT_DEMO_SEED : wholeNumber('--seed', values.seed, 0, 2 ** 32 - 1),
    force: values.force ?? false,
    batchSize: values['batch-size'] === undefined ? undefined : wholeNumber('--batch-size', values['batch-size'], 4, 100_000),
  };
}

const number = (value: number) => value.toLocaleString('en-GB');

async function main(argv: string[]): Promise<number> {
  let args: SeedArguments | 'help';
  try {
    args = parseSeedArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (args === 'help') {
    console.log(USAGE);
    return 0;
  }

  const config = loadConfig();
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `the embedded database in ${config.dataDir}`;
  console.error(`Seeding ${where}`);
  const database = await openDatabase(config);
  try {
    await migrateToLatest(database.db);
    const { organisations } = await database.db
      .selectFrom('organization')
      .select((eb) => eb.fn.countAll<number>().as('organisations'))
      .executeTakeFirstOrThrow();
    if (Number(organisations) > 0 && !args.force) {
      const what = args.mode === 'demo' ? 'the demo directory' : `${number(args.count)} benchmark services`;
      console.error(
        `The database already has ${number(Number(organisations))} organisations, so nothing was added.\n` +
          `Adding ${what} would mix invented organisations and services in with them, and they would show up in ` +
          'search results and exports. If that is what you want (a test or training copy, say), run again with --force. ' +
          'Use a --seed that has not been loaded before to add a second set: rows the same seed already added are skipped.',
      );
      return 1;
    }

    if (args.mode === 'demo') {
      const progress = createProgress('Loading the demo directory', 0);
      const summary = await loadDemoDirectory(database.db, { seed: args.seed, referenceDate: new Date(), progress });
      const total = Object.values(summary.generated).reduce((sum, count) => sum + count, 0);
      const { generated } = summary;
      console.log(
        `Loaded the demo directory (seed ${args.seed}): ${number(generated.organization)} organisations, ` +
          `${number(generated.service)} services, ${number(generated.location)} locations, ` +
          `${number(generated.attribute)} taxonomy links and ${number(total - generated.organization - generated.service - generated.location - generated.attribute)} other rows ` +
          `in ${summary.seconds.toFixed(1)} s (${number(Math.round(total / summary.seconds))} rows a second).`,
      );
      if (summary.inserted < total) {
        console.log(`${number(total - summary.inserted)} of those rows were already in the database and were left as they were.`);
      }
    } else {
      const progress = createProgress('Adding benchmark services', args.count);
      const summary = await generateBenchmarkServices(database.db, {
        count: args.count,
        seed: args.seed,
        ...(args.batchSize ? { batchSize: args.batchSize } : {}),
        progress,
      });
      console.log(
        `Added ${number(summary.services)} benchmark services (seed ${args.seed}) with ${number(summary.organizations)} organisations, ` +
          `${number(summary.locations)} locations, ${number(summary.attributes)} taxonomy links and ${number(summary.serviceAreas)} service areas ` +
          `in ${summary.seconds.toFixed(1)} s: ${number(summary.servicesPerSecond)} services a second on ${database.engine === 'postgres' ? 'PostgreSQL' : 'PGlite'}.`,
      );
    }
    return 0;
  } finally {
    await database.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const known = error instanceof ConfigError || error instanceof DataFolderLockedError || error instanceof BenchmarkDataExistsError;
      console.error(known ? (error as Error).message : `Seeding failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}

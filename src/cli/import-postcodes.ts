// npm run import-postcodes -- FILE.csv
// Loads full postcodes with their coordinates so that a postcode resolves to its own point instead
// of its district's centroid. The work is in src/geography/postcode-import.ts; this only wires it up.
import { runCommand } from './run.ts';
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../platform/config.ts';
import { openDatabase } from '../platform/db/engine.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { createProgress } from '../platform/progress.ts';
import {
  countDataRows,
  describePostcodeImport,
  importPostcodes,
  PostcodeFileError,
  type PostcodeImportSummary,
} from '../geography/postcode-import.ts';
import { createPostcodeRepository } from '../geography/repository.ts';

const USAGE = `Usage: npm run import-postcodes -- FILE.csv

FILE.csv has a header row with a postcode, a latitude and a longitude column: either named
postcode, latitude, longitude, or as in the ONS Postcode Directory (pcds or pcd, lat, long).
Rows that cannot be used are skipped and counted. Importing again updates postcodes already there.
The database is the one the server uses: DATABASE_URL for PostgreSQL, otherwise PGlite in DATA_DIR.`;

async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  if (args.length !== 1) {
    console.error(USAGE);
    return 2;
  }
  const file = path.resolve(args[0]!);
  try {
    await access(file);
  } catch {
    console.error(`Cannot read ${file}: check the path.`);
    return 1;
  }

  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    await migrateToLatest(database.db);
    const repository = createPostcodeRepository(database.db);
    const progress = createProgress('Importing postcodes', await countDataRows(file));
    let summary: PostcodeImportSummary;
    try {
      summary = await importPostcodes(createReadStream(file), { repository, progress });
    } finally {
      progress.stop();
    }
    console.log(describePostcodeImport(summary));
    console.log(`The database now holds ${(await repository.count()).toLocaleString('en-GB')} postcodes.`);
    return summary.imported > 0 ? 0 : 1;
  } finally {
    await database.close();
  }
}

runCommand(main, [PostcodeFileError]);

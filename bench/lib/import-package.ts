import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/platform/db/schema.ts';
import { createExportSource, dataPackageZip } from '../../src/openreferral/tabular/export.ts';

/** Writes the database as an HSDS data package (a zip, as `npm run export` writes it) in `dir`; returns its path. */
export async function writeDataPackageHook(db: Kysely<Database>, dir: string): Promise<string> {
  const file = path.join(dir, 'datapackage.zip');
  await pipeline(await dataPackageZip(createExportSource(db), { tmpDir: dir }), createWriteStream(file));
  return file;
}

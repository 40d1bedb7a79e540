import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { createExportSource, dataPackageZip, ndjsonPages } from '../tabular/export.ts';

// Issue 9 item 4, the round trip: export → import into an empty database → export again gives
// identical files. The import half (oruk-import's `importServices`) is passed in as `importPackage`,
// so this helper does not depend on it; the test that calls it with the real importer lives with the
// importer (or is added when both halves are merged). See docs/openreferral.md, "Export".

export interface ExportedFiles {
  ndjson: string;
  zip: Buffer;
}

/** Both exports of a database, as the CLI and the downloads write them. */
export async function exportFiles(db: Kysely<Database>): Promise<ExportedFiles> {
  const source = createExportSource(db);
  let ndjson = '';
  for await (const page of ndjsonPages(source)) ndjson += page;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'frontdoor-round-trip-'));
  try {
    const file = path.join(dir, 'datapackage.zip');
    await pipeline(await dataPackageZip(source), createWriteStream(file));
    return { ndjson, zip: await readFile(file) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Exports `from`, hands the data package (a zip on disk) to `importPackage` to load into `to` (an
 * empty, migrated database with the same reference data), and exports `to`: the caller asserts
 * `first` and `second` are equal, byte for byte.
 */
export async function exportImportExport(
  from: Kysely<Database>,
  to: Kysely<Database>,
  importPackage: (zipFile: string, into: Kysely<Database>) => Promise<void>,
): Promise<{ first: ExportedFiles; second: ExportedFiles }> {
  const first = await exportFiles(from);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'frontdoor-round-trip-'));
  try {
    const file = path.join(dir, 'datapackage.zip');
    await writeFile(file, first.zip);
    await importPackage(file, to);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { first, second: await exportFiles(to) };
}

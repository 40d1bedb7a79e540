import type { Kysely } from 'kysely';
import type { Database } from '../../src/platform/db/schema.ts';

/** Writes the database as an HSDS data package in `dir` and returns its path (the export half's writer). */
export async function writeDataPackageHook(_db: Kysely<Database>, _dir: string): Promise<string> {
  throw new Error('Writing data packages comes with the export half (src/openreferral/tabular); use --from ndjson until it is merged.');
}

import fs from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import lockfile from 'proper-lockfile';
import type { Database } from './schema.ts';

export type EngineName = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  engine: EngineName;
  /** Closes the pool or the embedded database and releases the data folder's lock. */
  close(): Promise<void>;
}

// Both engines return the same JavaScript values for the same SQL types, so repositories and tests
// need not know which engine they run on. Dates stay 'YYYY-MM-DD' strings: a JavaScript Date would
// move them across midnight in any timezone west of UTC.
const OID = { int8: 20, numeric: 1700, date: 1082, time: 1083 } as const;
const asString = (value: string) => value;
const asNumber = (value: string) => Number(value);

let postgresParsersInstalled = false;
function installPostgresParsers(): void {
  if (postgresParsersInstalled) return;
  pg.types.setTypeParser(OID.int8, asNumber);
  pg.types.setTypeParser(OID.numeric, asNumber);
  pg.types.setTypeParser(OID.date, asString);
  pg.types.setTypeParser(OID.time, asString);
  postgresParsersInstalled = true;
}

export class DataFolderLockedError extends Error {
  constructor(dataDir: string) {
    super(
      `The data folder ${dataDir} is in use by another Frontdoor process. ` +
        'Stop that process first, or set DATA_DIR to a different folder.',
    );
    this.name = 'DataFolderLockedError';
  }
}

export interface PGliteOptions {
  /** A folder on disk; undefined keeps the database in memory (tests). */
  dataDir?: string;
  /** A dumpDataDir() tarball to start from, which is much faster than initdb. */
  loadDataDir?: Blob;
}

export async function createPGlite(options: PGliteOptions = {}): Promise<PGlite> {
  const pglite = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    extensions: { pg_trgm, unaccent },
    parsers: {
      [OID.int8]: asNumber,
      [OID.numeric]: asNumber,
      [OID.date]: asString,
      [OID.time]: asString,
    },
  });
  return pglite;
}

/**
 * PGlite keeps no lock of its own on its folder, and two processes writing one folder corrupt it,
 * so we hold a lock file beside the folder for as long as the database is open.
 */
async function lockDataFolder(dataDir: string): Promise<() => Promise<void>> {
  await fs.mkdir(dataDir, { recursive: true });
  try {
    return await lockfile.lock(dataDir, {
      lockfilePath: path.join(dataDir, '..', `${path.basename(dataDir)}.lock`),
      // A lock not refreshed for this long belongs to a process that died; a live process refreshes
      // it every 5 seconds, so only a machine stalled for half a minute could lose it wrongly.
      stale: 30_000,
      update: 5_000,
      realpath: false,
      onCompromised: (error) => {
        // Losing the lock means another process may now write the same folder: stop rather than corrupt it.
        console.error(`Lost the lock on ${dataDir}: ${error.message}. Stopping to protect the data.`);
        process.exit(1);
      },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') throw new DataFolderLockedError(dataDir);
    throw error;
  }
}

export async function openEmbeddedDatabase(dataDir: string): Promise<DatabaseHandle> {
  const release = await lockDataFolder(dataDir);
  let pglite: PGlite;
  try {
    pglite = await createPGlite({ dataDir });
  } catch (error) {
    await release();
    throw error;
  }
  return wrapPGlite(pglite, release);
}

export function wrapPGlite(pglite: PGlite, release?: () => Promise<void>): DatabaseHandle {
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  return {
    db,
    engine: 'pglite',
    async close() {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
      if (release) await release();
    },
  };
}

export async function openPostgresDatabase(connectionString: string, poolSize = 10): Promise<DatabaseHandle> {
  installPostgresParsers();
  const pool = new pg.Pool({ connectionString, max: poolSize });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    engine: 'postgres',
    async close() {
      await db.destroy();
    },
  };
}

export async function openDatabase(config: { databaseUrl: string | undefined; dataDir: string }): Promise<DatabaseHandle> {
  return config.databaseUrl ? openPostgresDatabase(config.databaseUrl) : openEmbeddedDatabase(config.dataDir);
}

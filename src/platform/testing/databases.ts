import { randomBytes } from 'node:crypto';
import { after, before, describe } from 'node:test';
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import { createPGlite, openPostgresDatabase, wrapPGlite, type DatabaseHandle, type EngineName } from '../db/engine.ts';
import { migrateToLatest } from '../db/migrate.ts';

/**
 * Repository and HTTP tests run on both engines. TEST_ENGINES narrows the list (for example
 * TEST_ENGINES=pglite on a machine without PostgreSQL); by default both run, and a PostgreSQL that
 * cannot be reached fails the tests rather than skipping them.
 */
export function testEngines(): EngineName[] {
  const raw = process.env.TEST_ENGINES ?? 'pglite,postgres';
  const engines = raw.split(',').map((name) => name.trim()).filter(Boolean);
  for (const engine of engines) {
    if (engine !== 'pglite' && engine !== 'postgres') throw new Error(`TEST_ENGINES: unknown engine "${engine}"`);
  }
  return engines as EngineName[];
}

/** The server's maintenance connection, used only to create and drop one database per test suite. */
export const TEST_POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

// initdb plus migrations takes seconds on PGlite; restoring a dump of an already-migrated database
// takes a fraction of that, so each test process migrates once and every suite starts from the dump.
let migratedSnapshot: Promise<Blob> | undefined;
function pgliteSnapshot(): Promise<Blob> {
  migratedSnapshot ??= (async () => {
    const pglite = await createPGlite();
    const handle = wrapPGlite(pglite);
    await migrateToLatest(handle.db);
    const dump = await pglite.dumpDataDir('none');
    await handle.close();
    return dump;
  })();
  return migratedSnapshot;
}

export interface TestDatabase extends DatabaseHandle {
  /** Only for PGlite: the underlying instance, for tests that need to dump it. */
  pglite?: PGlite;
  /** A postgres:// URL for this database, only for PostgreSQL. */
  url?: string;
}

export async function createTestDatabase(engine: EngineName): Promise<TestDatabase> {
  if (engine === 'pglite') {
    const pglite = await createPGlite({ loadDataDir: await pgliteSnapshot() });
    return { ...wrapPGlite(pglite), pglite };
  }
  const name = `frontdoor_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `Cannot reach PostgreSQL at ${TEST_POSTGRES_URL} (${(error as Error).message}). ` +
        'Start it (see .ci/run), point TEST_DATABASE_URL at a server, or set TEST_ENGINES=pglite.',
    );
  }
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  const handle = await openPostgresDatabase(url.toString(), 4);
  await migrateToLatest(handle.db);
  return {
    ...handle,
    url: url.toString(),
    async close() {
      await handle.close();
      const dropper = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await dropper.connect();
      try {
        await dropper.query(`drop database if exists ${name} with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

/**
 * Declares one describe block per engine, each with its own freshly migrated database.
 * `body` receives a getter because the database exists only once `before` has run.
 */
export function describeOnEachEngine(
  title: string,
  body: (database: () => TestDatabase, engine: EngineName) => void,
  setUp?: (database: TestDatabase) => Promise<void>,
): void {
  for (const engine of testEngines()) {
    describe(`${title} [${engine}]`, () => {
      let database: TestDatabase | undefined;
      before(async () => {
        database = await createTestDatabase(engine);
        if (setUp) await setUp(database);
      });
      after(async () => {
        await database?.close();
      });
      body(() => {
        if (!database) throw new Error('The test database is not ready: use it inside a test, not at declaration time.');
        return database;
      }, engine);
    });
  }
}

import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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
// takes a fraction of that. The dump is cached in the temporary folder under a hash of the
// migrations, so every test process after the first starts from it, and a new migration makes a new one.
const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'db', 'migrations');

function migrationsFingerprint(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(MIGRATIONS_DIR).sort()) {
    hash.update(file).update(readFileSync(path.join(MIGRATIONS_DIR, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

let migratedSnapshot: Promise<Blob> | undefined;
function pgliteSnapshot(): Promise<Blob> {
  migratedSnapshot ??= (async () => {
    const cacheFile = path.join(os.tmpdir(), `frontdoor-pglite-${migrationsFingerprint()}.tar`);
    try {
      return new Blob([await fs.readFile(cacheFile)]);
    } catch {
      // No cached dump yet: make one below.
    }
    const pglite = await createPGlite();
    const handle = wrapPGlite(pglite);
    await migrateToLatest(handle.db);
    const dump = await pglite.dumpDataDir('none');
    await handle.close();
    const partial = `${cacheFile}.${process.pid}.partial`;
    await fs.writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await fs.rename(partial, cacheFile);
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

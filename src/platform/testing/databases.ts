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
// takes a fraction of that. Dumps are cached in the temporary folder under a hash of every file that
// shapes them (the migrations, and the demo generator for the demo dump), so every test process after
// the first starts from one, and any change to those files makes a new one.
const SRC_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MIGRATIONS_DIR = path.join(SRC_DIR, 'platform', 'db', 'migrations');
const DEMO_DIR = path.join(SRC_DIR, 'directory', 'demo');
/** "Today" for the demo directory that tests load, so that its dates never drift. */
export const TEST_DEMO_DATE = '2026-11-24';

function fingerprint(folders: string[]): string {
  const hash = createHash('sha256');
  for (const folder of folders) {
    for (const file of readdirSync(folder).filter((name) => !name.endsWith('.test.ts')).sort()) {
      hash.update(file).update(readFileSync(path.join(folder, file)));
    }
  }
  return hash.digest('hex').slice(0, 16);
}

type SnapshotKind = 'migrated' | 'demo';
const snapshots = new Map<SnapshotKind, Promise<Blob>>();

async function loadDemo(handle: DatabaseHandle): Promise<void> {
  const { loadDemoDirectory } = await import('../../directory/demo/load.ts');
  await loadDemoDirectory(handle.db, { seed: 42, referenceDate: new Date(`${TEST_DEMO_DATE}T12:00:00Z`) });
}

function pgliteSnapshot(kind: SnapshotKind): Promise<Blob> {
  let snapshot = snapshots.get(kind);
  if (snapshot) return snapshot;
  snapshot = (async () => {
    const folders = kind === 'demo' ? [MIGRATIONS_DIR, DEMO_DIR] : [MIGRATIONS_DIR];
    const cacheFile = path.join(os.tmpdir(), `frontdoor-pglite-${kind}-${fingerprint(folders)}.tar`);
    try {
      return new Blob([await fs.readFile(cacheFile)]);
    } catch {
      // No cached dump yet: make one below.
    }
    const pglite = await createPGlite(kind === 'demo' ? { loadDataDir: await pgliteSnapshot('migrated') } : {});
    const handle = wrapPGlite(pglite);
    if (kind === 'migrated') await migrateToLatest(handle.db);
    else await loadDemo(handle);
    const dump = await pglite.dumpDataDir('none');
    await handle.close();
    const partial = `${cacheFile}.${process.pid}.partial`;
    await fs.writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await fs.rename(partial, cacheFile);
    return dump;
  })();
  snapshots.set(kind, snapshot);
  return snapshot;
}

export interface TestDatabase extends DatabaseHandle {
  /** Only for PGlite: the underlying instance, for tests that need to dump it. */
  pglite?: PGlite;
  /** A postgres:// URL for this database, only for PostgreSQL. */
  url?: string;
}

export interface TestDatabaseOptions {
  /** Start with the demo directory (seed 42, dated TEST_DEMO_DATE) already loaded. */
  demo?: boolean;
}

export async function createTestDatabase(engine: EngineName, options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  if (engine === 'pglite') {
    const pglite = await createPGlite({ loadDataDir: await pgliteSnapshot(options.demo ? 'demo' : 'migrated') });
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
  if (options.demo) await loadDemo(handle);
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
  options: TestDatabaseOptions = {},
): void {
  for (const engine of testEngines()) {
    describe(`${title} [${engine}]`, () => {
      let database: TestDatabase | undefined;
      before(async () => {
        database = await createTestDatabase(engine, options);
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

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { openEmbeddedDatabase, openPostgresDatabase, type DatabaseHandle, type EngineName } from '../../src/platform/db/engine.ts';

const ROOT = path.join(import.meta.dirname, '..', '..');
/**
 * Used only to create (and, for throw-away ones, drop) the benchmarks' own databases: BENCH_DATABASE_URL,
 * else the tests' TEST_DATABASE_URL, else the local server's `test` database.
 */
const BENCH_ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The address of a database on the benchmarks' server. */
export function benchDatabaseUrl(name: string): string {
  const url = new URL(BENCH_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A connection of its own to `url` (with server `options`, such as `-c name=value`) for the length of `work`. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>, options?: string): Promise<T> {
  const client = new pg.Client({ connectionString: url, ...(options ? { options } : {}) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Runs one statement through BENCH_ADMIN_URL (databases are made and dropped from outside themselves). */
export async function onAdminDatabase(statement: string, parameters: unknown[] = []): Promise<pg.QueryResult> {
  return withClient(BENCH_ADMIN_URL, (admin) => admin.query(statement, parameters));
}

/** Makes an empty database for a benchmark. */
export async function createBenchDatabase(name: string): Promise<void> {
  await onAdminDatabase(`create database ${name}`);
}

/** Drops a benchmark's database, if it is there, whoever is still connected to it. */
export async function dropBenchDatabase(name: string): Promise<void> {
  await onAdminDatabase(`drop database if exists ${name} with (force)`);
}

/**
 * A benchmark's database, kept between runs so that its data is generated once: a PGlite folder in
 * var/bench (`<benchmark>-pglite-<size>`), or a PostgreSQL database `frontdoor_bench_<benchmark>_<size>`
 * made on first use.
 */
export async function openBenchDatabase(engine: EngineName, benchmark: string, size: number, connections: number): Promise<{ handle: DatabaseHandle; url?: string; dataDir?: string }> {
  if (engine === 'pglite') {
    const dataDir = path.join(ROOT, 'var', 'bench', `${benchmark}-pglite-${size}`);
    await mkdir(path.dirname(dataDir), { recursive: true });
    return { handle: await openEmbeddedDatabase(dataDir), dataDir };
  }
  const database = `frontdoor_bench_${benchmark}_${size}`;
  const exists = await onAdminDatabase('select 1 from pg_database where datname = $1', [database]);
  if (exists.rowCount === 0) await createBenchDatabase(database);
  const url = benchDatabaseUrl(database);
  return { handle: await openPostgresDatabase(url, connections), url };
}

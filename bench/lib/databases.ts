import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { openEmbeddedDatabase, openPostgresDatabase, type DatabaseHandle, type EngineName } from '../../src/platform/db/engine.ts';

const ROOT = path.join(import.meta.dirname, '..', '..');
/**
 * Used only to create (and, for throw-away ones, drop) the benchmarks' own databases: BENCH_DATABASE_URL,
 * else the tests' TEST_DATABASE_URL, else the local server's `test` database.
 */
export const BENCH_ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

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
  const admin = new pg.Client({ connectionString: BENCH_ADMIN_URL });
  await admin.connect();
  const exists = await admin.query('select 1 from pg_database where datname = $1', [database]);
  if (exists.rowCount === 0) await admin.query(`create database ${database}`);
  await admin.end();
  const url = new URL(BENCH_ADMIN_URL);
  url.pathname = `/${database}`;
  return { handle: await openPostgresDatabase(url.toString(), connections), url: url.toString() };
}

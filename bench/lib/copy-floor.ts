import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { withClient } from './databases.ts';

// The floor under any importer: how long PostgreSQL takes to take in exactly the rows a first import
// wrote, when they arrive by COPY (PostgreSQL's fastest ordinary way in) from files already made,
// with no reading, mapping or hashing at all. An importer that writes the same rows on the same
// machine and schema cannot be faster than this; it can only come closer to it.

export interface FloorLoad {
  label: string;
  seconds: number;
  /** PostgreSQL's CPU seconds over the load, when its server runs on this machine. */
  postgresCpu: number | undefined;
  /** Seconds of each table's COPY (in the serial loads). */
  tables: Array<{ table: string; rows: number; seconds: number }>;
}

/** A table and its file of rows, in COPY's text format. */
interface Dumped {
  table: string;
  file: string;
  bytes: number;
  rows: number;
}

/** Writes each table of `fromUrl` to `dir` with COPY … TO STDOUT, in the order given (parents first). */
export async function dumpTables(fromUrl: string, tables: readonly string[], dir: string): Promise<Dumped[]> {
  return withClient(fromUrl, async (client) => {
    const dumped: Dumped[] = [];
    for (const table of tables) {
      const file = path.join(dir, `${table}.copy`);
      const copy = client.query(copyTo(`copy ${pg.escapeIdentifier(table)} to stdout`));
      await pipeline(copy, createWriteStream(file));
      // COPY says how many rows it wrote: no second pass over the table to count them.
      dumped.push({ table, file, bytes: (await stat(file)).size, rows: copy.rowCount });
    }
    return dumped;
  });
}

async function copyInto(client: pg.Client, one: Dumped): Promise<number> {
  const started = performance.now();
  await pipeline(createReadStream(one.file), client.query(copyFrom(`copy ${pg.escapeIdentifier(one.table)} from stdin`)));
  return (performance.now() - started) / 1000;
}

/** For each table, the other tables of the list its foreign keys point to (itself left out). */
export async function referencesAmong(url: string, tables: readonly string[]): Promise<Map<string, Set<string>>> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ child: string; parent: string }>(
      `select conrelid::regclass::text as child, confrelid::regclass::text as parent from pg_constraint
       where contype = 'f' and conrelid::regclass::text = any($1) and confrelid::regclass::text = any($1) and conrelid <> confrelid`,
      [tables],
    );
    const references = new Map(tables.map((table) => [table, new Set<string>()]));
    for (const row of rows) references.get(row.child)!.add(row.parent);
    return references;
  });
}

/** The tables in an order in which every table comes after those it refers to. */
export function parentsFirst(tables: readonly string[], references: Map<string, Set<string>>): string[] {
  const ordered: string[] = [];
  const visit = (table: string, path: Set<string>) => {
    if (ordered.includes(table)) return;
    if (path.has(table)) throw new Error(`The tables refer to each other in a circle through ${table}`);
    path.add(table);
    for (const parent of references.get(table) ?? []) visit(parent, path);
    path.delete(table);
    ordered.push(table);
  };
  for (const table of tables) visit(table, new Set());
  return ordered;
}

/**
 * Loads the dumped tables (parents first) into an empty database made by `emptyDatabase` (migrated:
 * reference data in, nothing else), in one of three ways:
 * - `serial`: one session, table after table, as one writer would;
 * - `two sessions`: each session takes the largest table whose parents are all loaded, so that two
 *   of PostgreSQL's processes work at once, as the importer's two writers do;
 * - `serial, no foreign-key checks`: as `serial` with `session_replication_role = replica`, which
 *   skips the checks of references (and the change-notice triggers): what the checks cost. Needs a
 *   superuser; left out with a line saying so otherwise.
 */
export async function measureFloor(
  dumped: Dumped[],
  references: Map<string, Set<string>>,
  emptyDatabase: () => Promise<string>,
  postgresCpuSeconds: () => Promise<number | undefined>,
): Promise<FloorLoad[]> {
  const loads: FloorLoad[] = [];
  let loadedUrl = '';
  const time = async (label: string, load: (url: string) => Promise<FloorLoad['tables']>) => {
    const url = (loadedUrl = await emptyDatabase());
    const cpuBefore = await postgresCpuSeconds();
    const started = performance.now();
    const tables = await load(url);
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = await postgresCpuSeconds();
    loads.push({ label, seconds, postgresCpu: cpuAfter === undefined || cpuBefore === undefined ? undefined : cpuAfter - cpuBefore, tables });
  };
  const serial = (options?: string) => (url: string) =>
    withClient(url, async (client) => {
      const tables: FloorLoad['tables'] = [];
      for (const one of dumped) tables.push({ table: one.table, rows: one.rows, seconds: await copyInto(client, one) });
      return tables;
    }, options);

  await time('serial', serial());
  await time('two sessions', async (url) => {
    const waiting = [...dumped].sort((a, b) => b.bytes - a.bytes);
    const loaded = new Set<string>();
    let wake: () => void = () => undefined;
    const session = () => withClient(url, async (client) => {
      while (waiting.length > 0) {
        const index = waiting.findIndex((one) => [...(references.get(one.table) ?? [])].every((parent) => loaded.has(parent)));
        if (index < 0) {
          await new Promise<void>((resolve) => (wake = resolve));
          continue;
        }
        const [one] = waiting.splice(index, 1);
        await copyInto(client, one!);
        loaded.add(one!.table);
        wake();
      }
    });
    await Promise.all([session(), session()]);
    return [];
  });
  const superuser = await withClient(loadedUrl, async (client) => (await client.query<{ on: string }>(`select current_setting('is_superuser') as on`)).rows[0]!.on === 'on');
  if (superuser) await time('serial, no foreign-key checks', serial('-c session_replication_role=replica'));
  else console.error('  (the load without foreign-key checks needs a superuser: left out)');
  return loads;
}

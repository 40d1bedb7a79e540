import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import yazl from 'yazl';
import { dataPackageDescriptor, LINK_ENTITY, NESTING, SHARED_TABLES, TABLES, table, type Table } from './layout.ts';

// Turning nested ORUK records into rows of the tabular layout, and rows into CSV files and a zip.
//
// CSV conventions (read.ts reads them back): UTF-8, a header row, "\n" between rows, quotes only
// where a value needs them, numbers as JavaScript prints them (the shortest text that reads back as
// the same number), an absent value as an empty cell (and an empty string too: see ALWAYS_PRESENT).

type Json = Record<string, unknown>;
export type Row = Record<string, unknown>;

export interface FlattenOptions {
  /** Stop at organisations, locations and taxonomy terms (our export writes those in passes of their own). */
  stopAtShared: boolean;
  /**
   * Throw on a property the layout has no column or child for (our own records: a field added to the
   * feed without a column would otherwise be lost silently). Off for records from elsewhere, whose
   * unknown properties are dropped.
   */
  strict: boolean;
}

/**
 * Calls `emit` with one row per record in `record` and everything nested in it, parent first. Missing
 * parent links (`service_id` on a service's phone, `link_id` on an attribute …) are filled from the
 * parent, as the profile's examples leave them out of nested objects.
 */
export function flattenRecord(tableName: string, record: Json, emit: (table: string, row: Row) => void, options: FlattenOptions): void {
  walk(tableName, record, undefined, emit, options);
}

function walk(
  tableName: string,
  record: Json,
  parent: { column: string; id: unknown; entity: string } | undefined,
  emit: (table: string, row: Row) => void,
  options: FlattenOptions,
): void {
  const layout = table(tableName);
  const columns = new Set(layout.columns.map((column) => column.name));
  const children = new Map((NESTING[tableName] ?? []).map((child) => [child.property, child]));
  const row: Row = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === undefined || value === null || children.has(key)) continue;
    if (columns.has(key) && typeof value !== 'object') row[key] = value;
    else if (options.strict) throw new Error(`The tabular layout has no place for ${tableName}.${key}: add a column or a child to src/openreferral/tabular/layout.ts.`);
  }
  if (parent && row[parent.column] === undefined) row[parent.column] = parent.id;
  for (const child of children.values()) {
    const value = record[child.property];
    if (child.kind === 'object' && value && typeof value === 'object' && !Array.isArray(value)) {
      if (row[child.column] === undefined && (value as Json).id !== undefined) row[child.column] = (value as Json).id;
    }
  }
  emit(tableName, row);
  for (const child of children.values()) {
    const value = record[child.property];
    if (value === undefined || value === null) continue;
    if (child.kind === 'object') {
      if (typeof value !== 'object' || Array.isArray(value)) continue;
      if (!(options.stopAtShared && SHARED_TABLES.has(child.table))) walk(child.table, value as Json, undefined, emit, options);
      continue;
    }
    if (!Array.isArray(value)) {
      if (options.strict) throw new Error(`${tableName}.${child.property} should be an array.`);
      continue;
    }
    for (const item of value) {
      if (item && typeof item === 'object') {
        walk(child.table, item as Json, { column: child.column, id: record.id, entity: LINK_ENTITY[tableName] ?? tableName }, emit, options);
      }
    }
  }
}

const CSV_OPTIONS = { cast: { boolean: (value: boolean) => (value ? 'true' : 'false') } };

/** The CSV text of some rows of a table, without the header. */
export function csvRows(layout: Table, rows: Row[]): string {
  if (rows.length === 0) return '';
  return stringify(rows, { ...CSV_OPTIONS, columns: layout.columns.map((column) => column.name) });
}

export function csvHeader(layout: Table): string {
  return stringify([layout.columns.map((column) => column.name)], CSV_OPTIONS);
}

/**
 * One CSV file per table in a folder, filled a page at a time: `add` collects rows (once per id:
 * the same phone can sit under a service and under one of its contacts), `flush` writes them and
 * waits while the disk catches up, so memory holds one page and no more.
 */
export class TableFiles {
  private readonly streams = new Map<string, WriteStream>();
  private readonly pending = new Map<string, Row[]>();
  private seen = new Map<string, Set<unknown>>();

  private constructor(readonly dir: string) {
    for (const layout of TABLES) {
      const stream = createWriteStream(path.join(dir, layout.path));
      stream.write(csvHeader(layout));
      this.streams.set(layout.name, stream);
      this.pending.set(layout.name, []);
    }
  }

  static async create(parentDir = os.tmpdir()): Promise<TableFiles> {
    return new TableFiles(await mkdtemp(path.join(parentDir, 'frontdoor-export-')));
  }

  add = (tableName: string, row: Row): void => {
    if (row.id !== undefined) {
      let ids = this.seen.get(tableName);
      if (!ids) this.seen.set(tableName, (ids = new Set()));
      if (ids.has(row.id)) return;
      ids.add(row.id);
    }
    this.pending.get(tableName)!.push(row);
  };

  async flush(): Promise<void> {
    const waits: Promise<unknown>[] = [];
    for (const layout of TABLES) {
      const rows = this.pending.get(layout.name)!;
      if (rows.length === 0) continue;
      const stream = this.streams.get(layout.name)!;
      if (!stream.write(csvRows(layout, rows))) waits.push(once(stream, 'drain'));
      this.pending.set(layout.name, []);
    }
    // Duplicates are only ever within a record's own subtree, so the ids seen can go with the page.
    this.seen = new Map();
    await Promise.all(waits);
  }

  async close(): Promise<void> {
    await this.flush();
    await Promise.all(
      [...this.streams.values()].map(async (stream) => {
        stream.end();
        await once(stream, 'finish');
      }),
    );
  }

  async remove(): Promise<void> {
    for (const stream of this.streams.values()) stream.destroy();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** The fixed modification time of every entry, so that two zips of the same tables are byte-identical. */
export const ZIP_ENTRY_TIME = new Date('2020-01-01T00:00:00Z');

/** A zip of datapackage.json and the folder's CSV files, in the profile's order, streamed as it is made. */
export function zipTables(dir: string): Readable {
  const zip = new yazl.ZipFile();
  const entry = { mtime: ZIP_ENTRY_TIME, mode: 0o100644 };
  zip.addBuffer(Buffer.from(`${JSON.stringify(dataPackageDescriptor(), null, 2)}\n`), 'datapackage.json', entry);
  for (const layout of TABLES) {
    zip.addReadStreamLazy(layout.path, entry, (callback) => callback(null, createReadStream(path.join(dir, layout.path))));
  }
  zip.end();
  return zip.outputStream as Readable;
}

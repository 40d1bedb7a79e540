import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import Papa from 'papaparse';
import yauzl from 'yauzl';
import { ALWAYS_PRESENT, FOREIGN_KEYS, NESTING, TABLES, TABLES_BY_NAME, type FieldType } from './layout.ts';

// Reading an HSDS / Open Referral UK tabular data package (a folder or a zip of CSV files, with or
// without datapackage.json) back into nested service_full objects: the inverse of the export, and
// the importer's way in for packages from other directories.
//
// Contract with the importer (coord/oruk-contract.md): `readDataPackage(path, { onRejected })`
// yields plain service objects (`HsdsService`); a row that cannot be used is reported through the
// `onRejected` callback with its table, id and the reason, and never stops the rest.
// `dataPackageItems(path)` gives the same as one stream of `HsdsService | { rejected }` items, each
// rejection before the next service, for a reader that wants them in line. Rejected:
// a row without an id, a number column that is not a number, a second row with an id already seen
// (when it differs), a child row none of whose parent links names a row of the package, and a
// service whose organisation is not in the package.
//
// Tables and columns are found by the profile's file names (services.csv, phones.csv …) or the
// resource names in datapackage.json; column types come from datapackage.json when it has them,
// else from the profile's layout. Unknown tables and columns are ignored. An empty cell is a missing
// value (left out of the object), except in the few columns the profile requires, where it is an
// empty string (layout.ts ALWAYS_PRESENT). Children keep the order of their rows in the file.
//
// Memory is proportional to the package: every table but services.csv is indexed by parent id
// first, then services.csv is read and each service assembled as it is handed out; rows that name
// only services are checked against them at the end, so their rejections come last. Each file is
// parsed by papaparse from strings of up to 32 MB cut at record ends (csvPieces): a value with a
// stray quote would swallow the rest of the file, so a file with one is refused whole, as the
// streaming parser used before refused it.

export type HsdsService = Record<string, unknown>;

export interface Rejection {
  /** `table:id` (or `table:row N` when the row has no id). */
  sourceRecordId: string;
  reason: string;
}

export interface ReadOptions {
  onRejected?: (rejection: Rejection) => void;
}

type Row = Record<string, unknown>;

interface PackageFiles {
  /** The package's files by name (no folders): a function opening each as a stream. */
  open(name: string): Promise<Readable>;
  names: string[];
  close(): void;
}

async function openFolder(dir: string): Promise<PackageFiles> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.csv') || name === 'datapackage.json');
  return { names, open: async (name) => createReadStream(path.join(dir, name)), close: () => {} };
}

async function openZip(file: string): Promise<PackageFiles> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (error, opened) => (error ? reject(error) : resolve(opened))),
  );
  const entries = new Map<string, yauzl.Entry>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      // Packages are often zipped with their folder: files are found by their base name.
      if (!entry.fileName.endsWith('/')) entries.set(path.posix.basename(entry.fileName), entry);
      zip.readEntry();
    });
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.readEntry();
  });
  return {
    names: [...entries.keys()],
    open: (name) =>
      new Promise((resolve, reject) =>
        zip.openReadStream(entries.get(name)!, (error, stream) => (error ? reject(error) : resolve(stream))),
      ),
    close: () => zip.close(),
  };
}

interface ResourceInfo {
  table: string;
  file: string;
  types: Map<string, FieldType>;
}

/** Which file holds which of our tables, and its column types. */
async function resources(files: PackageFiles): Promise<ResourceInfo[]> {
  const declared = new Map<string, { name?: string; path?: string; types: Map<string, FieldType> }>();
  if (files.names.includes('datapackage.json')) {
    const text = await streamText(await files.open('datapackage.json'));
    const descriptor = JSON.parse(text) as { resources?: Array<{ name?: string; path?: string; schema?: { fields?: Array<{ name: string; type?: string }> } }> };
    for (const resource of descriptor.resources ?? []) {
      const types = new Map<string, FieldType>();
      for (const field of resource.schema?.fields ?? []) {
        if (field.type === 'number' || field.type === 'integer' || field.type === 'boolean') types.set(field.name, field.type);
        else types.set(field.name, 'string');
      }
      const file = resource.path ? path.posix.basename(resource.path) : undefined;
      if (file) declared.set(file, { ...(resource.name ? { name: resource.name } : {}), path: file, types });
    }
  }
  const found: ResourceInfo[] = [];
  for (const layout of TABLES) {
    const fromDescriptor = [...declared.values()].find((resource) => resource.name === layout.name || resource.path === layout.path);
    const file = fromDescriptor?.path ?? (files.names.includes(layout.path) ? layout.path : undefined);
    if (!file || !files.names.includes(file)) continue;
    const types = new Map(layout.columns.map((column) => [column.name, column.type]));
    for (const [name, type] of fromDescriptor?.types ?? []) types.set(name, type);
    found.push({ table: layout.name, file, types });
  }
  return found;
}

async function streamText(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Pieces of a CSV file are parsed this big at most (bar one record longer than that). */
const PIECE_BYTES = 32 * 1024 * 1024;
/** A quoted value that runs on this long means a stray quote, not data. */
const MAX_RECORD_BYTES = 256 * 1024 * 1024;

/**
 * Where the last whole record of `buffer` ends: just after its last line break outside quotes, or -1.
 * Quotes inside a quoted value are doubled, so a line break is outside quotes when the quotes before it
 * are even in number; UTF-8 never uses the bytes of `"` or a line break inside another character.
 */
export function lastRecordEnd(buffer: Buffer): number {
  let end = -1;
  let position = 0;
  for (;;) {
    const quote = buffer.indexOf(0x22, position);
    // (A negative offset would count from the end: look only when there is something before the quote.)
    const last = (quote === -1 ? buffer.length : quote) - 1;
    const lineBreak = last >= position ? buffer.lastIndexOf(0x0a, last) : -1;
    if (lineBreak >= position) end = lineBreak + 1;
    if (quote === -1) return end;
    const closing = buffer.indexOf(0x22, quote + 1);
    if (closing === -1) return end;
    position = closing + 1;
  }
}

/**
 * A CSV file as text, in pieces that each end at a record's end: papaparse reads a string two to
 * three times as fast as a streaming parser reads its chunks, and V8 cannot hold a string of more
 * than about 512 MB, which a million services' attribute.csv would pass.
 */
export async function* csvPieces(stream: Readable, file: string, pieceBytes = PIECE_BYTES): AsyncGenerator<string> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  // Where the next cut is tried: twice as far after a try that found no record's end (an open quote),
  // so that a long value is not copied and scanned again for every chunk.
  let cutAt = pieceBytes;
  let first = true;
  const text = (buffer: Buffer) => {
    const piece = buffer.toString('utf8');
    const withoutMark = first ? piece.replace(/^\uFEFF/, '') : piece;
    first = false;
    return withoutMark;
  };
  for await (const chunk of stream) {
    pending.push(chunk as Buffer);
    pendingBytes += (chunk as Buffer).length;
    if (pendingBytes < cutAt) continue;
    const buffer = Buffer.concat(pending);
    const end = lastRecordEnd(buffer);
    if (end <= 0) {
      if (buffer.length > MAX_RECORD_BYTES) throw new Error(`${file} is not valid CSV: a quoted value runs on for more than ${MAX_RECORD_BYTES / 1024 / 1024} MB.`);
      pending = [buffer];
      cutAt = buffer.length * 2;
      continue;
    }
    yield text(buffer.subarray(0, end));
    pending = [buffer.subarray(end)];
    pendingBytes = pending[0]!.length;
    cutAt = pieceBytes;
  }
  const rest = Buffer.concat(pending);
  if (rest.length > 0 || first) yield text(rest);
}

/** The records of a CSV file, a piece's at a time (see csvPieces); a file the parser cannot read is refused whole. */
async function* csvRecords(stream: Readable, file: string): AsyncGenerator<string[][]> {
  let recordsBefore = 0;
  for await (const piece of csvPieces(stream, file)) {
    const parsed = Papa.parse<string[]>(piece, { delimiter: ',', skipEmptyLines: true });
    // A quote out of place makes the parser read the rest of the file as one value: the file cannot be
    // trusted, and an import that went on without its rows would think them gone from the source.
    const [error] = parsed.errors;
    if (error) throw new Error(`${file} is not valid CSV: ${error.message.toLowerCase()} (record ${recordsBefore + (error.row ?? 0) + 1}).`);
    recordsBefore += parsed.data.length;
    yield parsed.data;
  }
}

/** The rows of one CSV file as typed objects (missing values left out), with rejections reported. */
async function* typedRows(stream: Readable, resource: ResourceInfo, reject: (rejection: Rejection) => void): AsyncGenerator<Row> {
  let line = 1;
  // Each column's position, its name and how to read it, worked out once from the header. A name
  // that appears twice is read from its last column (as an object keyed by name would keep it).
  let fields: Array<{ index: number; name: string; type: FieldType; alwaysPresent: boolean }> | undefined;
  for await (const records of csvRecords(stream, resource.file)) {
    for (let position = 0; position < records.length; position++) {
      const record = records[position]!;
      // Released as read: services.csv is read while the import writes.
      records[position] = undefined as never;
      if (!fields) {
        const last = new Map<string, number>();
        record.forEach((name, index) => last.set(name, index));
        fields = [...last].sort((a, b) => a[1] - b[1]).map(([name, index]) => ({
          index,
          name,
          type: resource.types.get(name) ?? 'string',
          alwaysPresent: ALWAYS_PRESENT.has(`${resource.table}.${name}`),
        }));
        continue;
      }
      line += 1;
      const row: Row = {};
      let problem: string | undefined;
      for (const { index, name, type, alwaysPresent } of fields) {
        const value = record[index];
        if (value === undefined) continue;
        if (value === '') {
          if (alwaysPresent) row[name] = '';
          continue;
        }
        if (type === 'number' || type === 'integer') {
          const number = value.trim() === '' ? Number.NaN : Number(value);
          if (!Number.isFinite(number) || (type === 'integer' && !Number.isInteger(number))) {
            problem = `${name} must be ${type === 'integer' ? 'a whole number' : 'a number'}, not "${value}"`;
            break;
          }
          row[name] = number;
        } else if (type === 'boolean') {
          const lower = value.trim().toLowerCase();
          if (!['true', 'false', '1', '0', 'yes', 'no'].includes(lower)) {
            problem = `${name} must be true or false, not "${value}"`;
            break;
          }
          row[name] = ['true', '1', 'yes'].includes(lower);
        } else {
          row[name] = value;
        }
      }
      const id = typeof row.id === 'string' ? row.id.trim() : undefined;
      if (!problem && !id) problem = 'the row has no id';
      if (problem) {
        reject({ sourceRecordId: `${resource.table}:${id || `row ${line}`}`, reason: `${resource.file} row ${line}: ${problem}` });
        continue;
      }
      yield row;
    }
  }
}

/** A table held in memory: rows by id, and for each parent link column, rows by the parent's id. */
interface IndexedTable {
  byId: Map<string, Row>;
  byParent: Map<string, Map<string, Row[]>>;
}

function sameRow(a: Row, b: Row): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if (a[key] !== b[key]) return false;
  return true;
}

/**
 * Yields every service of the package as a nested service_full object. See the header comment for
 * what is rejected and how rejections are reported.
 */
export async function* readDataPackage(source: string, options: ReadOptions = {}): AsyncGenerator<HsdsService> {
  const reject = options.onRejected ?? (() => {});
  // A folder, a zip, or the folder's datapackage.json.
  const location = path.basename(source).toLowerCase() === 'datapackage.json' ? path.dirname(source) : source;
  const files = (await stat(location)).isDirectory() ? await openFolder(location) : await openZip(location);
  try {
    const found = await resources(files);
    const serviceResource = found.find((resource) => resource.table === 'service');
    if (!serviceResource) throw new Error(`${path.basename(source)} has no services.csv (nor a resource named "service" in datapackage.json).`);

    // Every table but services, indexed.
    const tables = new Map<string, IndexedTable>();
    for (const resource of found) {
      if (resource.table === 'service') continue;
      const indexed: IndexedTable = { byId: new Map(), byParent: new Map() };
      for await (const row of typedRows(await files.open(resource.file), resource, reject)) {
        const id = row.id as string;
        const earlier = indexed.byId.get(id);
        if (earlier) {
          if (!sameRow(earlier, row)) reject({ sourceRecordId: `${resource.table}:${id}`, reason: `${resource.file}: a second, different row with the id ${id}` });
          continue;
        }
        indexed.byId.set(id, row);
      }
      tables.set(resource.table, indexed);
    }
    // Links to services are taken on trust here (services.csv is read once, streamed at the end),
    // and checked once it has been: a row that only a missing service would have had is rejected then.
    const onlyUnderServices: Array<{ tableName: string; id: string; links: Array<[string, string]> }> = [];
    // Parent links: a row goes under each parent its links name that is in the package; a row whose
    // links name none of them, or whose own reference (a link's location, an attribute's term) is
    // missing, is rejected.
    const linkables = [tables.get('organization')?.byId, tables.get('location')?.byId].filter((ids): ids is Map<string, Row> => Boolean(ids));
    // Rows of the package exist in `ids` (live: a row rejected here is gone for the tables after it);
    // a link to a service is taken on trust (undefined ids), as said above.
    const idsOf = (target: string) => (target === 'service' ? undefined : tables.get(target)?.byId ?? new Map<string, Row>());
    for (const [tableName, indexed] of tables) {
      const links = [...(FOREIGN_KEYS.get(tableName) ?? new Map<string, string>())];
      const ownReferences = links.filter(([column]) => (NESTING[tableName] ?? []).some((child) => child.column === column));
      const parentLinks = links.filter(([column]) => !ownReferences.some(([own]) => own === column));
      if (tableName === 'attribute') parentLinks.push(['link_id', '']);
      const ownChecks = ownReferences.map(([column, target]) => ({ column, ids: idsOf(target) }));
      // `anyOf`: an attribute's link_id may name an organisation, a location or (on trust) a service.
      const parentChecks = parentLinks.map(([column, target]) => ({ column, toService: target === 'service', ids: target ? idsOf(target) : undefined, anyOf: !target }));
      // One row's links, reused from row to row: this loop runs once for every row of the package.
      const certain: string[] = [];
      const serviceLinks: string[] = [];
      for (const [id, row] of indexed.byId) {
        let missing: string[] | undefined;
        for (const check of ownChecks) {
          const value = row[check.column];
          if (typeof value === 'string' && check.ids && !check.ids.has(value)) (missing ??= []).push(check.column);
        }
        certain.length = 0;
        serviceLinks.length = 0;
        let named = 0;
        for (const check of parentChecks) {
          const value = row[check.column];
          if (typeof value !== 'string') continue;
          named++;
          if (check.anyOf ? linkables.some((ids) => ids.has(value)) : !check.toService && check.ids!.has(value)) certain.push(check.column);
          else if (check.toService || check.anyOf) serviceLinks.push(check.column);
        }
        if (missing || (named > 0 && certain.length === 0 && serviceLinks.length === 0)) {
          const problems = missing ?? parentChecks.map((check) => check.column).filter((column) => typeof row[column] === 'string');
          reject({
            sourceRecordId: `${tableName}:${id}`,
            reason: `${fileOf(tableName)}: ${problems.map((column) => `${column} ${String(row[column])}`).join(', ')} names no row of the package`,
          });
          indexed.byId.delete(id);
          continue;
        }
        if (certain.length === 0 && serviceLinks.length > 0) {
          onlyUnderServices.push({ tableName, id, links: serviceLinks.map((column) => [column, row[column] as string]) });
        }
        for (const column of certain) addToParent(indexed, column, row[column] as string, row);
        for (const column of serviceLinks) addToParent(indexed, column, row[column] as string, row);
      }
    }

    const assemble = (tableName: string, row: Row): Row => {
      const record: Row = { ...row };
      for (const child of NESTING[tableName] ?? []) {
        const indexed = tables.get(child.table);
        if (!indexed) continue;
        if (child.kind === 'object') {
          const id = row[child.column];
          const target = typeof id === 'string' ? indexed.byId.get(id) : undefined;
          if (target) record[child.property] = assemble(child.table, target);
          continue;
        }
        let rows = indexed.byParent.get(child.column)?.get(row.id as string) ?? [];
        if (child.table === 'attribute') rows = rows.filter((attribute) => attribute.link_entity === undefined || attribute.link_entity === tableName);
        if (rows.length > 0) record[child.property] = rows.map((childRow) => assemble(child.table, childRow));
      }
      return record;
    };

    const servicesRead = new Set<string>();
    for await (const row of typedRows(await files.open(serviceResource.file), serviceResource, reject)) {
      servicesRead.add(row.id as string);
      const organizationId = row.organization_id;
      if (typeof organizationId !== 'string' || !tables.get('organization')?.byId.has(organizationId)) {
        reject({
          sourceRecordId: `service:${row.id as string}`,
          reason: organizationId === undefined ? 'the service has no organization_id' : `its organization ${String(organizationId)} is not in organizations.csv`,
        });
        continue;
      }
      yield assemble('service', row);
    }
    for (const { tableName, id, links } of onlyUnderServices) {
      if (links.some(([, value]) => servicesRead.has(value))) continue;
      reject({
        sourceRecordId: `${tableName}:${id}`,
        reason: `${fileOf(tableName)}: ${links.map(([column, value]) => `${column} ${value}`).join(', ')} names no row of the package`,
      });
    }
  } finally {
    files.close();
  }
}

function addToParent(indexed: IndexedTable, column: string, parentId: string, row: Row): void {
  let byParent = indexed.byParent.get(column);
  if (!byParent) indexed.byParent.set(column, (byParent = new Map()));
  const rows = byParent.get(parentId);
  if (rows) rows.push(row);
  else byParent.set(parentId, [row]);
}

function fileOf(name: string): string {
  return TABLES_BY_NAME.get(name)?.path ?? name;
}


/** The package as one stream: services, and `{ rejected }` items in line (each before the next service). */
export async function* dataPackageItems(source: string): AsyncGenerator<HsdsService | { rejected: Rejection }> {
  const pending: Rejection[] = [];
  for await (const service of readDataPackage(source, { onRejected: (rejection) => pending.push(rejection) })) {
    while (pending.length > 0) yield { rejected: pending.shift()! };
    yield service;
  }
  while (pending.length > 0) yield { rejected: pending.shift()! };
}

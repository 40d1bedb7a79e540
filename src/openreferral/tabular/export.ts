import { finished } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { createOpenReferralRepository } from '../repository.ts';
import { createOpenReferralService, type ExportPage, type OpenReferralService } from '../service.ts';
import { flattenRecord, TableFiles, zipTables } from './write.ts';

// Exports of the whole published directory, streamed: services are read a page at a time by key
// (`where id > last order by id limit n`), each page in short queries of its own, so no transaction
// is open across pages (on PGlite that would block every other request) and memory holds one page.
//
// - NDJSON: one service per line, exactly what GET /openreferral/services/{id} returns.
// - Tabular data package: the profile's tables as CSV files plus datapackage.json, zipped. Rows are
//   in a fixed order (services by id with each one's children in feed order, then organisations by
//   id, then locations by id, then taxonomies and terms by id), so two exports of the same directory
//   are byte-identical. Organisations and locations, which many services share, are written once
//   each in passes of their own rather than de-duplicated in memory. The CSVs are written to a
//   temporary folder as pages arrive and zipped from there.

export type ExportSource = Pick<OpenReferralService, 'exportCounts' | 'exportServices' | 'exportOrganizations' | 'exportLocations' | 'exportTaxonomies'>;

export const DEFAULT_EXPORT_PAGE_SIZE = 500;

export interface ExportOptions {
  pageSize?: number;
  /** Told how many records each page wrote. */
  onProgress?: (records: number) => void;
}

/**
 * The pages of a pager in order, asking for the next page as soon as the current one has arrived,
 * so the database works on it while this process turns the current one into text (two pages in
 * memory at most).
 */
async function* pagesOf(pager: Pager, pageSize: number): AsyncGenerator<ExportPage> {
  let pending: Promise<ExportPage> | undefined = pager(null, pageSize);
  while (pending) {
    const page: ExportPage = await pending;
    pending = page.next === null ? undefined : pager(page.next, pageSize);
    // A failed prefetch is reported when it is awaited, not as an unhandled rejection meanwhile.
    pending?.catch(() => {});
    yield page;
  }
}

/** Every published service as NDJSON text, a page of lines at a time. */
export async function* ndjsonPages(source: ExportSource, options: ExportOptions = {}): AsyncGenerator<string> {
  for await (const page of pagesOf((after, limit) => source.exportServices(after, limit), options.pageSize ?? DEFAULT_EXPORT_PAGE_SIZE)) {
    if (page.records.length > 0) yield page.records.map((record) => `${JSON.stringify(record)}\n`).join('');
    options.onProgress?.(page.records.length);
  }
}

/** The number of records a data package export reads (services, organisations and locations), for progress. */
export async function dataPackageRecordCount(source: ExportSource): Promise<number> {
  const counts = await source.exportCounts();
  return counts.services + counts.organizations + counts.locations;
}

type Pager = (after: string | null, limit: number) => Promise<ExportPage>;

/** Fills the table files from the directory: services, then organisations, locations and taxonomies. */
export async function writeDirectoryTables(source: ExportSource, files: TableFiles, options: ExportOptions = {}): Promise<void> {
  const pageSize = options.pageSize ?? DEFAULT_EXPORT_PAGE_SIZE;
  const passes: Array<[string, Pager]> = [
    ['service', (after, limit) => source.exportServices(after, limit)],
    ['organization', (after, limit) => source.exportOrganizations(after, limit)],
    ['location', (after, limit) => source.exportLocations(after, limit)],
  ];
  for (const [tableName, pager] of passes) {
    for await (const page of pagesOf(pager, pageSize)) {
      for (const record of page.records) flattenRecord(tableName, record, files.add, { stopAtShared: true, strict: true });
      await files.flush();
      options.onProgress?.(page.records.length);
    }
  }
  const { taxonomies, terms } = await source.exportTaxonomies();
  for (const record of taxonomies) flattenRecord('taxonomy', record, files.add, { stopAtShared: true, strict: true });
  for (const record of terms) flattenRecord('taxonomy_term', record, files.add, { stopAtShared: true, strict: true });
  await files.close();
}

/**
 * The data package as a zip stream. The tables are written to a temporary folder first (the
 * promise resolves when they are), then zipped as the stream is read; the folder is removed when
 * the stream ends or fails.
 */
export async function dataPackageZip(source: ExportSource, options: ExportOptions & { tmpDir?: string } = {}): Promise<Readable> {
  const files = await TableFiles.create(options.tmpDir);
  try {
    await writeDirectoryTables(source, files, options);
  } catch (error) {
    await files.remove();
    throw error;
  }
  const zip = zipTables(files.dir);
  finished(zip).then(
    () => files.remove(),
    () => files.remove(),
  );
  return zip;
}

/**
 * An export source straight on a database, for the command line and the benchmark (the app passes
 * its own service). Exports never filter by place, so postcodes are not resolved.
 */
export function createExportSource(db: Kysely<Database>): ExportSource {
  const places = { resolve: () => ({ ok: false as const, error: { code: 'not_available', message: 'Places are not resolved during an export.' } }) };
  return createOpenReferralService({ repository: createOpenReferralRepository(db), places });
}

import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { Progress } from '../platform/progress.ts';
import { isWithinUk, parsePostcode } from './postcode.ts';
import type { PostcodeRecord, PostcodeRepository } from './repository.ts';

// Accepted header names, in order of preference. The ONS Postcode Directory calls its columns pcd
// (7 characters, padded: 'G1  1AA'), pcd2 (8 characters) and pcds (one space), and lat and long.
const COLUMN_NAMES = {
  postcode: ['postcode', 'pcds', 'pcd', 'pcd2', 'pcd7', 'pcd8'],
  latitude: ['latitude', 'lat'],
  longitude: ['longitude', 'long', 'lon', 'lng'],
} as const;

const DEFAULT_BATCH_SIZE = 2_000;
const REJECTION_EXAMPLES_KEPT = 10;

/** The file cannot be imported at all, as opposed to a row that is skipped. */
export class PostcodeFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PostcodeFileError';
  }
}

export interface PostcodeImportSummary {
  /** Data rows read, not counting the header. */
  rowsRead: number;
  /** Rows written to the database (a postcode repeated in the file is written once per batch). */
  imported: number;
  rejected: number;
  /** The first few rejections, such as 'line 7: "KA12 8A" is not a full postcode'. */
  rejectionExamples: string[];
}

export interface PostcodeImportOptions {
  repository: Pick<PostcodeRepository, 'upsertMany'>;
  /** Advanced by every data row read, kept or not, so it reaches the total countDataRows gave. */
  progress?: Progress;
  batchSize?: number;
}

type ColumnPositions = Record<keyof typeof COLUMN_NAMES, number>;

function findColumns(header: string[]): ColumnPositions {
  const names = header.map((name) => name.trim().toLowerCase());
  const positions: Partial<ColumnPositions> = {};
  const missing: string[] = [];
  for (const [column, candidates] of Object.entries(COLUMN_NAMES) as Array<[keyof ColumnPositions, readonly string[]]>) {
    const position = candidates.map((candidate) => names.indexOf(candidate)).find((index) => index >= 0);
    if (position === undefined) missing.push(`${column} (${candidates.join(', ')})`);
    else positions[column] = position;
  }
  if (missing.length > 0) {
    const found = header.slice(0, 12).join(', ') + (header.length > 12 ? ', …' : '');
    throw new PostcodeFileError(
      `The file's header has no column for ${missing.join(' or ')}. Its columns are: ${found}.`,
    );
  }
  return positions as ColumnPositions;
}

function quoted(value: string): string {
  return JSON.stringify(value.length > 30 ? `${value.slice(0, 30)}…` : value);
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)$/;

function readRow(record: string[], columns: ColumnPositions): PostcodeRecord | string {
  const postcodeText = record[columns.postcode] ?? '';
  const latitudeText = record[columns.latitude] ?? '';
  const longitudeText = record[columns.longitude] ?? '';
  const postcode = parsePostcode(postcodeText);
  if (postcode.kind !== 'full') return `${quoted(postcodeText)} is not a full postcode`;
  if (!DECIMAL.test(latitudeText)) return `latitude ${quoted(latitudeText)} is not a number`;
  if (!DECIMAL.test(longitudeText)) return `longitude ${quoted(longitudeText)} is not a number`;
  const latitude = Number(latitudeText);
  const longitude = Number(longitudeText);
  if (!isWithinUk(latitude, longitude)) {
    return `${latitude},${longitude} is not in the UK (the ONS directory uses 99.999999 for postcodes with no location)`;
  }
  return { postcode: postcode.compact, outcode: postcode.outcode, latitude, longitude };
}

/**
 * Streams a CSV of postcodes with their coordinates into the postcode table, in batches, so that
 * memory stays flat however long the file (the ONS Postcode Directory has about 2.7 million rows).
 * Rows that cannot be used are counted and skipped, not fatal; a file without the needed columns is.
 */
export async function importPostcodes(input: Readable, options: PostcodeImportOptions): Promise<PostcodeImportSummary> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const parser = input.pipe(
    parse({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true }),
  );
  // A read error on the file (for example a missing file) must end the loop below, not hang it.
  input.once('error', (error) => parser.destroy(error));

  const summary: PostcodeImportSummary = { rowsRead: 0, imported: 0, rejected: 0, rejectionExamples: [] };
  let columns: ColumnPositions | undefined;
  let batch: PostcodeRecord[] = [];
  let rowsSinceProgress = 0;

  const flush = async () => {
    if (batch.length > 0) summary.imported += await options.repository.upsertMany(batch);
    batch = [];
    options.progress?.increment(rowsSinceProgress);
    rowsSinceProgress = 0;
  };

  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!columns) {
        columns = findColumns(record);
        continue;
      }
      summary.rowsRead += 1;
      rowsSinceProgress += 1;
      const row = readRow(record, columns);
      if (typeof row === 'string') {
        summary.rejected += 1;
        if (summary.rejectionExamples.length < REJECTION_EXAMPLES_KEPT) summary.rejectionExamples.push(`line ${info.lines}: ${row}`);
      } else {
        batch.push(row);
      }
      if (rowsSinceProgress >= batchSize) await flush();
    }
  } finally {
    // Stopping early (a bad header, a database error) must also release the file.
    input.destroy();
  }
  if (!columns) throw new PostcodeFileError('The file is empty: expected a header row, then one postcode a row.');
  await flush();
  return summary;
}

/**
 * Data rows in a CSV file (lines less the header), for the progress bar's total. Counting newlines
 * reads the file once more but parses nothing, so it costs a second or two on the full ONSPD.
 */
export async function countDataRows(path: string): Promise<number> {
  let lines = 0;
  let lastByte: number | undefined;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) lines += 1;
    if (chunk.length > 0) lastByte = chunk[chunk.length - 1];
  }
  // A last line without a newline still counts.
  if (lastByte !== undefined && lastByte !== 10) lines += 1;
  return Math.max(lines - 1, 0);
}

export function describePostcodeImport(summary: PostcodeImportSummary): string {
  const count = (n: number, noun: string) => `${n.toLocaleString('en-GB')} ${noun}${n === 1 ? '' : 's'}`;
  const lines = [
    `Read ${count(summary.rowsRead, 'row')}: imported ${count(summary.imported, 'postcode')}, skipped ${summary.rejected.toLocaleString('en-GB')}.`,
  ];
  if (summary.rejected > 0) {
    const shown = summary.rejectionExamples.length;
    lines.push(shown < summary.rejected ? `The first ${shown} rows skipped:` : 'Rows skipped:');
    lines.push(...summary.rejectionExamples.map((example) => `  ${example}`));
  }
  return lines.join('\n');
}

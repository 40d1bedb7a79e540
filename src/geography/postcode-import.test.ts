import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { createReadStream } from 'node:fs';
import type { Progress } from '../platform/progress.ts';
import { describeOnEachEngine } from '../platform/testing/databases.ts';
import { countDataRows, describePostcodeImport, importPostcodes, PostcodeFileError } from './postcode-import.ts';
import { createPostcodeRepository, type PostcodeRecord } from './repository.ts';
import { createGeographyService } from './service.ts';

// Our own column names, a byte-order mark, a quoted field, a blank line, and rows to skip.
const SIMPLE_FILE = [
  '\uFEFFpostcode,latitude,longitude,note',
  'KA12 8AA,55.6201,-4.6612,',
  'ka12 8ab,55.6202,-4.6613,"lower case, with a comma"',
  'KA128AD,55.6203,-4.6614,no space',
  '',
  'KA12 8A,55.62,-4.66,cut short',
  'KA12 8AE,,-4.66,no latitude',
  'KA12 8AF,north,-4.66,not a number',
  'KA12 8AG,99.999999,0.000000,no location in the ONSPD',
  'KA12 8AH',
  'KA12 8AA,55.6204,-4.6615,again: the later row wins',
].join('\n');

// The ONS Postcode Directory's names: pcd is padded to seven characters, pcds has one space.
const ONSPD_FILE = [
  'pcd,pcd2,pcds,dointr,doterm,lat,long,oscty',
  '"G1  1AA","G1   1AA","G1 1AA",198001,,55.861155,-4.250169,S99999999',
  '"EH1 2NG","EH1  2NG","EH1 2NG",198001,,55.949555,-3.193205,S99999999',
  '"GY1 1AA","GY1  1AA","GY1 1AA",199506,,99.999999,0.000000,',
].join('\r\n');

function recordingProgress(): Progress & { increments: number[] } {
  const increments: number[] = [];
  return { increments, increment: (by = 1) => void increments.push(by), setTotal: () => undefined, stop: () => undefined };
}

function collectingRepository() {
  const batches: PostcodeRecord[][] = [];
  return {
    batches,
    async upsertMany(rows: readonly PostcodeRecord[]) {
      batches.push([...rows]);
      return new Set(rows.map((row) => row.postcode)).size;
    },
  };
}

describe('postcode import', () => {
  let folder: string;
  before(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'frontdoor-postcodes-'));
  });
  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  test('keeps good rows, counts and explains the rest, and moves the progress bar to the end', async () => {
    const repository = collectingRepository();
    const progress = recordingProgress();
    const summary = await importPostcodes(Readable.from([SIMPLE_FILE]), { repository, progress, batchSize: 3 });

    assert.deepEqual(summary, {
      rowsRead: 9,
      imported: 4,
      rejected: 5,
      rejectionExamples: [
        'line 6: "KA12 8A" is not a full postcode',
        'line 7: latitude "" is not a number',
        'line 8: latitude "north" is not a number',
        'line 9: 99.999999,0 is not in the UK (the ONS directory uses 99.999999 for postcodes with no location)',
        'line 10: latitude "" is not a number',
      ],
    });
    const written = repository.batches.flat();
    assert.deepEqual(written.slice(0, 3), [
      { postcode: 'KA128AA', outcode: 'KA12', latitude: 55.6201, longitude: -4.6612 },
      { postcode: 'KA128AB', outcode: 'KA12', latitude: 55.6202, longitude: -4.6613 },
      { postcode: 'KA128AD', outcode: 'KA12', latitude: 55.6203, longitude: -4.6614 },
    ]);
    assert.ok(repository.batches.every((batch) => batch.length <= 3));
    assert.equal(progress.increments.reduce((sum, by) => sum + by, 0), summary.rowsRead);
  });

  test('reads the ONS Postcode Directory’s column names', async () => {
    const repository = collectingRepository();
    const summary = await importPostcodes(Readable.from([ONSPD_FILE]), { repository });
    assert.equal(summary.imported, 2);
    assert.equal(summary.rejected, 1);
    assert.deepEqual(repository.batches.flat().map((row) => row.postcode), ['G11AA', 'EH12NG']);
  });

  test('stops with a clear message when a column is missing or the file is empty', async () => {
    const repository = collectingRepository();
    await assert.rejects(
      importPostcodes(Readable.from(['postcode,easting,northing\nKA12 8AA,1,2\n']), { repository }),
      (error: Error) =>
        error instanceof PostcodeFileError &&
        /no column for latitude \(latitude, lat\) or longitude/.test(error.message) &&
        /Its columns are: postcode, easting, northing/.test(error.message),
    );
    await assert.rejects(importPostcodes(Readable.from(['']), { repository }), PostcodeFileError);
    assert.equal(repository.batches.length, 0);
  });

  test('keeps at most ten examples of rejected rows', async () => {
    const file = ['postcode,latitude,longitude', ...Array.from({ length: 25 }, () => 'nonsense,1,1')].join('\n');
    const summary = await importPostcodes(Readable.from([file]), { repository: collectingRepository() });
    assert.equal(summary.rejected, 25);
    assert.equal(summary.rejectionExamples.length, 10);
    assert.match(describePostcodeImport(summary), /skipped 25\.\nThe first 10 rows skipped:\n {2}line 2: "nonsense"/);
  });

  test('counts a file’s data rows for the progress bar, with or without a final newline', async () => {
    const withNewline = path.join(folder, 'with.csv');
    const withoutNewline = path.join(folder, 'without.csv');
    await writeFile(withNewline, 'postcode,lat,long\nA,1,1\nB,2,2\n');
    await writeFile(withoutNewline, 'postcode,lat,long\nA,1,1\nB,2,2');
    assert.equal(await countDataRows(withNewline), 2);
    assert.equal(await countDataRows(withoutNewline), 2);
  });

  test('a file that cannot be read fails instead of hanging', async () => {
    await assert.rejects(
      importPostcodes(createReadStream(path.join(folder, 'missing.csv')), { repository: collectingRepository() }),
      /ENOENT/,
    );
  });

  test('describes the outcome', () => {
    assert.equal(
      describePostcodeImport({ rowsRead: 2_700_000, imported: 2_699_990, rejected: 0, rejectionExamples: [] }),
      'Read 2,700,000 rows: imported 2,699,990 postcodes, skipped 0.',
    );
  });
});

describeOnEachEngine('postcode import into the database', (database) => {
  test('imported postcodes resolve to their own point', async () => {
    const repository = createPostcodeRepository(database().db);
    const summary = await importPostcodes(Readable.from([SIMPLE_FILE]), { repository, batchSize: 2 });
    assert.equal(summary.imported, 4);
    assert.equal(await repository.count(), 3, 'KA12 8AA appeared twice');
    assert.deepEqual(await repository.find('KA128AA'), { postcode: 'KA128AA', outcode: 'KA12', latitude: 55.6204, longitude: -4.6615 });

    const geography = createGeographyService({ postcodes: repository });
    const result = await geography.resolve('ka12 8ab');
    assert.ok(result.ok);
    assert.equal(result.place.precision, 'postcode');
    assert.equal(result.place.approximate, false);
    assert.deepEqual([result.place.latitude, result.place.longitude], [55.6202, -4.6613]);
    assert.equal(result.place.councilArea?.code, 'north-ayrshire', 'the area comes from the postcode’s district');
  });
});

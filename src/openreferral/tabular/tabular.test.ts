import assert from 'node:assert/strict';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, before, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import yazl from 'yazl';
import type { App } from '../../app.ts';
import { buildTestApp } from '../../platform/testing/app.ts';
import { describeOnEachEngine } from '../../platform/testing/databases.ts';
import { SPEC_DIR } from '../spec.ts';
import { insertEveryField } from '../testing/every-field.ts';
import { exportFiles } from '../testing/round-trip.ts';
import { dataPackageZip, ndjsonPages, writeDirectoryTables } from './export.ts';
import { TABLES } from './layout.ts';
import { csvPieces, dataPackageItems, lastRecordEnd, readDataPackage, type Rejection } from './read.ts';
import { flattenRecord, TableFiles } from './write.ts';

type Json = Record<string, any>;

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

async function ndjsonOf(source: App['services']['openReferral'], pageSize: number): Promise<string> {
  return (await collect(ndjsonPages(source, { pageSize }))).join('');
}

async function zipTo(file: string, source: App['services']['openReferral'], pageSize: number): Promise<Buffer> {
  await pipeline(await dataPackageZip(source, { pageSize }), createWriteStream(file));
  return readFile(file);
}

/** Columns the export never fills because our model has no such field. */
const NOT_IN_OUR_MODEL = new Set(['service.assurer_email', 'accessibility.url', 'funding.id', 'funding.service_id', 'funding.source']);

describeOnEachEngine('the Open Referral export', (database) => {
  let built: App;
  let dir: string;
  before(async () => {
    await insertEveryField(database().db);
    built = await buildTestApp(database());
    dir = await mkdtemp(path.join(os.tmpdir(), 'frontdoor-export-test-'));
  });
  after(async () => {
    await built.app.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('NDJSON has every published service once, in id order, each exactly as GET /services/{id} gives it', async () => {
    const text = await ndjsonOf(built.services.openReferral, 3);
    assert.ok(text.endsWith('\n'));
    const lines = text.trimEnd().split('\n').map((line) => JSON.parse(line) as Json);
    const ids = lines.map((line) => line.id as string);
    assert.deepEqual(ids, [...ids].sort());
    const listed = await built.app.inject({ url: '/openreferral/services?per_page=100' });
    assert.equal(lines.length, listed.json().total_items);
    for (const line of lines) {
      const one = await built.app.inject({ url: `/openreferral/services/${line.id}` });
      assert.deepEqual(line, one.json());
    }
    assert.ok(!lines.some((line) => line.name === 'Internal triage'), 'services of unlisted organisations stay out');
  });

  test('the page size does not change the files, and two exports are byte-identical', async () => {
    const small = await ndjsonOf(built.services.openReferral, 1);
    const large = await ndjsonOf(built.services.openReferral, 500);
    assert.equal(small, large);
    const first = await zipTo(path.join(dir, 'first.zip'), built.services.openReferral, 2);
    const second = await zipTo(path.join(dir, 'second.zip'), built.services.openReferral, 500);
    assert.ok(first.equals(second), 'two exports of the same directory are byte-identical');
    const [once, twice] = [await exportFiles(database().db), await exportFiles(database().db)];
    assert.equal(once.ndjson, twice.ndjson);
    assert.ok(once.zip.equals(twice.zip));
    assert.ok(once.zip.equals(first), 'the round-trip helper exports exactly what the CLI and the download do');
  });

  test('reading the data package back gives exactly the NDJSON records', async () => {
    const expected = (await ndjsonOf(built.services.openReferral, 100)).trimEnd().split('\n').map((line) => JSON.parse(line) as Json);
    const file = path.join(dir, 'package.zip');
    await zipTo(file, built.services.openReferral, 4);
    const rejected: Rejection[] = [];
    const read = await collect(readDataPackage(file, { onRejected: (rejection) => rejected.push(rejection) }));
    assert.deepEqual(rejected, []);
    assert.equal(read.length, expected.length);
    for (let index = 0; index < expected.length; index += 1) assert.deepEqual(read[index], expected[index], String(expected[index]!.name));
  });

  test('GET /openreferral/export/services.ndjson streams the NDJSON export, open to every origin', async () => {
    const response = await built.app.inject({ url: '/openreferral/export/services.ndjson' });
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] as string, /^application\/x-ndjson/);
    assert.match(response.headers['content-disposition'] as string, /attachment; filename="services.ndjson"/);
    assert.equal(response.headers['access-control-allow-origin'], '*');
    assert.equal(response.body, await ndjsonOf(built.services.openReferral, 500));
  });

  test('GET /openreferral/export/datapackage.zip is the data package, byte for byte', async () => {
    const response = await built.app.inject({ url: '/openreferral/export/datapackage.zip', headers: { 'accept-encoding': 'gzip, br' } });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'application/zip');
    assert.equal(response.headers['content-encoding'], undefined, 'a zip is not compressed again');
    const expected = await zipTo(path.join(dir, 'direct.zip'), built.services.openReferral, 500);
    assert.ok(response.rawPayload.equals(expected));
    const file = path.join(dir, 'downloaded.zip');
    await writeFile(file, response.rawPayload);
    assert.equal((await collect(readDataPackage(file))).length, (await ndjsonOf(built.services.openReferral, 500)).trimEnd().split('\n').length);
  });

  test('an export holds no transaction: other requests are answered while it runs', async () => {
    const source = built.services.openReferral;
    const someone = (await ndjsonOf(source, 500)).split('\n')[0]!;
    const serviceId = (JSON.parse(someone) as Json).id as string;
    // Page size 1: many pages, each a few queries. A transaction around the export would make the
    // request below wait until the export had finished (on PGlite, which has one connection).
    let exportFinished = false;
    let pages = 0;
    const exporting = collect(ndjsonPages(source, { pageSize: 1, onProgress: () => (pages += 1) })).then(async () => {
      await dataPackageZip(source, { pageSize: 1 }).then((zip) => collect(zip));
      exportFinished = true;
    });
    while (pages < 2) await new Promise((resolve) => setImmediate(resolve));
    const response = await built.app.inject({ url: `/openreferral/services/${serviceId}` });
    assert.equal(response.statusCode, 200);
    assert.equal(exportFinished, false, 'the request was answered before the export finished');
    await exporting;
    assert.equal(exportFinished, true);
  });

  test('only a few whole-directory downloads run at once; the next is told to come back', async () => {
    const limited = await buildTestApp(database(), { openReferralMaxConcurrentExports: 1 });
    try {
      const [first, second] = await Promise.all([
        limited.app.inject({ url: '/openreferral/export/datapackage.zip' }),
        limited.app.inject({ url: '/openreferral/export/services.ndjson' }),
      ]);
      assert.deepEqual([first.statusCode, second.statusCode].sort(), [200, 503]);
      const busy = first.statusCode === 503 ? first : second;
      assert.equal(busy.json().error, 'export_busy');
      assert.equal(busy.headers['retry-after'], '60');
      const again = await limited.app.inject({ url: '/openreferral/export/services.ndjson' });
      assert.equal(again.statusCode, 200, 'the slot is free again once a download has finished');
    } finally {
      await limited.app.close();
    }
  });

  test('every column of the layout is filled somewhere, but for fields our model does not have', async () => {
    const files = await TableFiles.create(dir);
    await writeDirectoryTables(built.services.openReferral, files);
    const empty: string[] = [];
    for (const layout of TABLES) {
      const rows = parse(await readFile(path.join(files.dir, layout.path), 'utf8'), { columns: true }) as Array<Record<string, string>>;
      for (const column of layout.columns) {
        const key = `${layout.name}.${column.name}`;
        if (!NOT_IN_OUR_MODEL.has(key) && !rows.some((row) => row[column.name] !== '')) empty.push(key);
      }
    }
    await files.remove();
    assert.deepEqual(empty, []);
  });
});

test('the profile example service reads back from a package made of it', async () => {
  const example = JSON.parse(await readFile(path.join(SPEC_DIR, 'examples', 'service_full.json'), 'utf8')) as Json;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'frontdoor-example-'));
  try {
    const files = await TableFiles.create(dir);
    flattenRecord('service', example, files.add, { stopAtShared: false, strict: false });
    await files.close();
    const read = await collect(readDataPackage(files.dir));
    assert.equal(read.length, 1);
    assertContains(read[0], example, 'service');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a zip whose files sit in a folder reads the same as the folder itself', async () => {
  const example = JSON.parse(await readFile(path.join(SPEC_DIR, 'examples', 'service_full.json'), 'utf8')) as Json;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'frontdoor-zipped-'));
  try {
    const files = await TableFiles.create(dir);
    flattenRecord('service', example, files.add, { stopAtShared: false, strict: false });
    await files.close();
    const zip = new yazl.ZipFile();
    for (const layout of TABLES) zip.addFile(path.join(files.dir, layout.path), `hsds-export/${layout.path}`);
    zip.end();
    const file = path.join(dir, 'nested.zip');
    await pipeline(zip.outputStream, createWriteStream(file));
    assert.deepEqual(await collect(readDataPackage(file)), await collect(readDataPackage(files.dir)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/** Every value of `expected` is in `actual` (which may have more: the parent links a package adds). */
function assertContains(actual: unknown, expected: unknown, where: string): void {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${where} is an array`);
    assert.equal(actual.length, expected.length, `${where} length`);
    expected.forEach((item, index) => assertContains(actual[index], item, `${where}[${index}]`));
  } else if (expected && typeof expected === 'object') {
    assert.ok(actual && typeof actual === 'object', `${where} is an object`);
    for (const [key, value] of Object.entries(expected)) {
      // Only properties the tabular layout has a place for travel through a package.
      if (Array.isArray(value) && value.length === 0) continue;
      if (key === 'metadata') continue;
      assertContains((actual as Json)[key], value, `${where}.${key}`);
    }
  } else {
    assert.equal(actual, expected, where);
  }
}

test('CSV is read as written: a byte order mark, CRLF lines, quoted commas, line breaks and quotes', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'frontdoor-csv-'));
  try {
    const org = '11111111-1111-4111-8111-111111111111';
    await writeFile(path.join(dir, 'organizations.csv'), `\uFEFFid,name,description\r\n${org},"Smith, Jones & Co","Line one\nline two, with ""quotes"""\r\n\r\n`);
    await writeFile(path.join(dir, 'services.csv'), `\uFEFFid,organization_id,name\r\n22222222-2222-4222-8222-222222222221,${org},Café\r\n`);
    assert.deepEqual(await collect(readDataPackage(dir)), [
      {
        id: '22222222-2222-4222-8222-222222222221',
        organization_id: org,
        name: 'Café',
        organization: { id: org, name: 'Smith, Jones & Co', description: 'Line one\nline two, with "quotes"' },
      },
    ]);

    // A stray quote: the parser would take the rest of the file as one value, so the file is refused
    // whole (an import then stops, and inactivates nothing) rather than read short.
    await writeFile(path.join(dir, 'services.csv'), `id,organization_id,name\n22222222-2222-4222-8222-222222222221,${org},"Bad" name\n22222222-2222-4222-8222-222222222222,${org},Good\n`);
    await assert.rejects(collect(readDataPackage(dir)), /services\.csv is not valid CSV: .*quote.* \(record 2\)/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a CSV file is cut into pieces only where a record ends', async () => {
  const end = (text: string) => lastRecordEnd(Buffer.from(text));
  assert.equal(end('a,b\nc,d\n'), 8);
  assert.equal(end('a,b\nc,d'), 4, 'the last record may not be whole yet');
  assert.equal(end('a,"x\ny"\nc'), 8, 'a line break inside quotes ends nothing');
  assert.equal(end('"a\nb"\nc'), 6, 'a quote at the very start');
  assert.equal(end('a\n"b ""c""\nd'), 2, 'doubled quotes stay inside; the value is still open');
  assert.equal(end('"no end'), -1);

  // Records with quoted line breaks, doubled quotes, CRLF and multi-byte characters, sent in chunks of
  // 7 bytes and cut into pieces of about 40: every piece parses alone, and together they give the file.
  const lines = ['\uFEFFid,name,description'];
  for (let n = 1; n <= 40; n++) lines.push(`${n},"Café n° ${n}, Dùn Èideann","Line one\r\nline ""two"" — ${'ü'.repeat(n % 5)}"`);
  const text = `${lines.join('\r\n')}\r\n`;
  const bytes = Buffer.from(text);
  const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, index) => bytes.subarray(index * 7, index * 7 + 7));
  const pieces: string[] = [];
  for await (const piece of csvPieces(Readable.from(chunks), 'test.csv', 40)) pieces.push(piece);
  assert.ok(pieces.length > 10, `${pieces.length} pieces`);
  for (const piece of pieces.slice(0, -1)) assert.ok(piece.endsWith('\r\n'), JSON.stringify(piece.slice(-20)));
  assert.equal(pieces.join(''), text.slice(1), 'nothing lost, the byte order mark dropped');
  const whole = parse(text.slice(1), { relax_column_count: true }) as string[][];
  assert.deepEqual(pieces.flatMap((piece) => parse(piece) as string[][]), whole);
  assert.equal(whole.length, 41);
});

test('a bad row is rejected with its reason and the rest are read', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'frontdoor-bad-'));
  try {
    const org = '11111111-1111-4111-8111-111111111111';
    await writeFile(path.join(dir, 'organizations.csv'), `id,name,description\n${org},Good Org,""\n`);
    await writeFile(
      path.join(dir, 'services.csv'),
      [
        'id,organization_id,name,status,minimum_age',
        `22222222-2222-4222-8222-222222222221,${org},Good,active,5`,
        `22222222-2222-4222-8222-222222222222,${org},Bad age,active,five`,
        `22222222-2222-4222-8222-222222222223,33333333-3333-4333-8333-333333333333,No org,active,`,
        `,${org},No id,active,`,
      ].join('\n'),
    );
    await writeFile(
      path.join(dir, 'phones.csv'),
      [
        'id,service_id,location_id,number',
        `44444444-4444-4444-8444-444444444441,22222222-2222-4222-8222-222222222221,,0100`,
        `44444444-4444-4444-8444-444444444442,99999999-9999-4999-8999-999999999999,,0200`,
        `44444444-4444-4444-8444-444444444443,,88888888-8888-4888-8888-888888888888,0300`,
      ].join('\n'),
    );
    const rejected: Rejection[] = [];
    const read = await collect(readDataPackage(dir, { onRejected: (rejection) => rejected.push(rejection) }));
    assert.deepEqual(read, [
      {
        id: '22222222-2222-4222-8222-222222222221',
        organization_id: org,
        name: 'Good',
        status: 'active',
        minimum_age: 5,
        organization: { id: org, name: 'Good Org', description: '' },
        phones: [{ id: '44444444-4444-4444-8444-444444444441', service_id: '22222222-2222-4222-8222-222222222221', number: '0100' }],
      },
    ]);
    assert.deepEqual(
      rejected.map((rejection) => rejection.sourceRecordId).sort(),
      [
        'phone:44444444-4444-4444-8444-444444444442',
        'phone:44444444-4444-4444-8444-444444444443',
        'service:22222222-2222-4222-8222-222222222222',
        'service:22222222-2222-4222-8222-222222222223',
        'service:row 5',
      ],
    );
    for (const rejection of rejected) assert.ok(rejection.reason.length > 10, rejection.reason);
    assert.match(rejected.find((rejection) => rejection.sourceRecordId.endsWith('2222'))!.reason, /minimum_age must be a number/);

    const items = await collect(dataPackageItems(path.join(dir, 'datapackage.json')));
    assert.equal(items.filter((item) => 'rejected' in item).length, 5, 'the same rejections, in line');
    assert.deepEqual(items.filter((item) => !('rejected' in item)), read);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});


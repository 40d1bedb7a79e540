import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fixedClock } from '../platform/clock.ts';
import { describeOnEachEngine } from '../platform/testing/databases.ts';
import { createImporter } from './importer.ts';
import { crawlOpenReferralApi, readDataPackageFeed, readJsonDump } from './readers.ts';
import { createImportRepository } from './repository.ts';
import { startFakeFeed, type FakeFeed } from './testing/fake-feed.ts';

const service = (n: number) => ({
  id: `svc-${n}`,
  name: `Service ${n}`,
  status: 'active',
  organization: { id: 'org-1', name: 'Faraway Council', description: '' },
  phones: [{ id: `phone-${n}`, number: `0131 496 00${String(n).padStart(2, '0')}` }],
});

// Short timeouts and backoff: the faults below cost milliseconds, not minutes.
const FAST = { perPage: 3, timeoutMs: 250, backoffMs: 5, attempts: 3, random: () => 0.5 };

describeOnEachEngine('importing from an Open Referral UK API', (database) => {
  const clock = fixedClock('2026-11-24T09:00:00Z');
  let feed: FakeFeed;
  before(async () => {
    feed = await startFakeFeed(Array.from({ length: 8 }, (_, index) => service(index + 1)));
  });
  after(async () => feed?.close());

  const newSource = async (name: string) => {
    const repository = createImportRepository(database().db);
    const id = await repository.insertSource({ name, kind: 'api', location: feed.baseUrl, schedule_hours: null, default_organization_id: null, needs_moderation: false, taxonomy_mapping: '', enabled: true }, null, clock.now());
    return (await repository.findSource(id))!;
  };
  const importer = () => createImporter({ repository: createImportRepository(database().db), clock });

  test('crawls every page and service; a malformed page, a timeout and a 500 are retried with backoff and reported', async () => {
    const source = await newSource('Faraway');
    feed.fail('/services?page=2&per_page=3', 'malformed');
    feed.fail('/services?page=3&per_page=3', 'hang');
    feed.fail('/services/svc-4', 'error500');
    const crawl = crawlOpenReferralApi(feed.baseUrl, FAST);
    const report = await importer().importServices(source, crawl.items, { isComplete: crawl.isComplete, faults: crawl.faults });

    assert.equal(report.status, 'completed');
    assert.equal(report.added, 8);
    assert.deepEqual(report.rejected, []);
    assert.equal(crawl.total(), 8);
    const faults = report.faults.join('\n');
    assert.match(faults, /page=2&per_page=3: the answer is not valid JSON \(attempt 1 of 3\); retrying in 8 ms/);
    assert.match(faults, /page=3&per_page=3: no answer within 250 ms \(attempt 1 of 3\); retrying in 8 ms/);
    assert.match(faults, /services\/svc-4: HTTP 500 \(attempt 1 of 3\); retrying in 8 ms/);
    assert.match(faults, /services\/svc-4: succeeded on attempt 2/);
    assert.equal(feed.requests.get('/services?page=2&per_page=3'), 2);
    const run = await database().db.selectFrom('import_run').select(['status', 'added', 'faults']).where('id', '=', report.runId).executeTakeFirstOrThrow();
    assert.equal(run.added, 8);
    assert.equal(run.faults.length, report.faults.length);

    // Again, unchanged: nothing written.
    const again = crawlOpenReferralApi(feed.baseUrl, FAST);
    const second = await importer().importServices(source, again.items, { isComplete: again.isComplete, faults: again.faults });
    assert.deepEqual({ added: second.added, updated: second.updated, unchanged: second.unchanged, inactivated: second.inactivated, faults: second.faults }, { added: 0, updated: 0, unchanged: 8, inactivated: 0, faults: [] });
  });

  test('a page that never comes leaves the run partial, and a partial run inactivates nothing', async () => {
    const source = await newSource('Faraway, flaky');
    const first = crawlOpenReferralApi(feed.baseUrl, FAST);
    assert.equal((await importer().importServices(source, first.items, { isComplete: first.isComplete, faults: first.faults })).added, 8);

    feed.fail('/services?page=2&per_page=3', 'error500', 3);
    const crawl = crawlOpenReferralApi(feed.baseUrl, FAST);
    const report = await importer().importServices(source, crawl.items, { isComplete: crawl.isComplete, faults: crawl.faults });
    assert.equal(report.status, 'partial');
    assert.equal(report.unchanged, 5, 'pages 1 and 3');
    assert.equal(report.inactivated, 0, 'the services on page 2 were not seen, but they are not gone');
    assert.match(report.faults.join('\n'), /page=2&per_page=3: HTTP 500 \(attempt 3 of 3\); gave up/);
    const inactive = await database().db.selectFrom('service').select('id').where('status', '=', 'inactive').execute();
    assert.deepEqual(inactive, []);

    // The feed drops a service: a complete crawl inactivates it.
    const dropped = feed.services.pop()!;
    try {
      const complete = crawlOpenReferralApi(feed.baseUrl, FAST);
      const next = await importer().importServices(source, complete.items, { isComplete: complete.isComplete, faults: complete.faults });
      assert.equal(next.status, 'completed');
      assert.equal(next.inactivated, 1);
    } finally {
      feed.services.push(dropped);
    }
  });

  test('a JSON dump may be an array, an ORUK list envelope or NDJSON; an NDJSON line that is not JSON is rejected alone', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'frontdoor-dump-'));
    const files = {
      array: path.join(folder, 'array.json'),
      envelope: path.join(folder, 'envelope.json'),
      ndjson: path.join(folder, 'services.ndjson'),
    };
    await writeFile(files.array, JSON.stringify([service(1), service(2)], null, 2));
    await writeFile(files.envelope, JSON.stringify({ total_items: 2, total_pages: 1, contents: [service(1), service(2)] }));
    await writeFile(files.ndjson, `${JSON.stringify(service(1))}\n{"id": "broken"\n${JSON.stringify(service(2))}\n`);
    for (const [kind, file] of Object.entries(files)) {
      const source = await newSource(`Dump ${kind}`);
      const dump = readJsonDump(file);
      const report = await importer().importServices(source, dump.items, { isComplete: dump.isComplete, faults: dump.faults });
      assert.equal(report.added, 2, kind);
      if (kind === 'ndjson') assert.deepEqual(report.rejected, [{ sourceRecordId: 'line 2', reason: 'Line 2 is not valid JSON.' }]);
      else assert.deepEqual(report.rejected, [], kind);
    }
    const empty = path.join(folder, 'empty.json');
    await writeFile(empty, '');
    const dump = readJsonDump(empty);
    const report = await importer().importServices(await newSource('Empty'), dump.items, { isComplete: dump.isComplete, faults: dump.faults });
    assert.equal(report.status, 'partial', 'an empty file inactivates nothing');
    assert.match(report.faults[0]!, /is empty/);
  });

  test('a data package whose CSV cannot be read stops the import, and nothing is inactivated', async () => {
    const source = await newSource('Package');
    const folder = await mkdtemp(path.join(os.tmpdir(), 'frontdoor-package-'));
    const org = '11111111-1111-4111-8111-111111111111';
    const row = (n: number, name: string) => `22222222-2222-4222-8222-22222222222${n},${org},${name},active`;
    await writeFile(path.join(folder, 'organizations.csv'), `id,name,description\n${org},Faraway Council,""\n`);
    const importPackage = async () => {
      const feed = readDataPackageFeed(folder);
      return importer().importServices(source, feed.items, { isComplete: feed.isComplete, faults: feed.faults });
    };
    await writeFile(path.join(folder, 'services.csv'), ['id,organization_id,name,status', row(1, 'Lunch club'), row(2, 'Walking group')].join('\n'));
    const first = await importPackage();
    assert.equal(first.added, 2);

    // The stray quote would run the second row into the first: the file is refused, not read short.
    await writeFile(path.join(folder, 'services.csv'), ['id,organization_id,name,status', row(1, '"Lunch" club'), row(2, 'Walking group')].join('\n'));
    const second = await importPackage();
    assert.equal(second.status, 'failed');
    assert.equal(second.inactivated, 0);
    assert.match(second.faults.join(' '), /services\.csv is not valid CSV/);
    const statuses = await database().db.selectFrom('service').select('status').where('name', 'in', ['Lunch club', 'Walking group']).execute();
    assert.deepEqual(statuses.map((one) => one.status), ['active', 'active']);
  });
});

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../platform/db/schema.ts';
import { fixedClock } from '../platform/clock.ts';
import { createTestDatabase, describeOnEachEngine, type TestDatabase } from '../platform/testing/databases.ts';
import { createOpenReferralRepository } from '../openreferral/repository.ts';
import { createOpenReferralService } from '../openreferral/service.ts';
import { termId } from '../directory/taxonomy.ts';
import { createImporter, type ImportSource } from './importer.ts';
import { createImportRepository, type SourceValues } from './repository.ts';
import type { HsdsService } from './mapping.ts';
import { createServices } from '../services.ts';
import { memoryTransport } from '../platform/mail/mailer.ts';
import { createAccount } from '../accounts/testing/helpers.ts';
import { fillReferenceData, insertEveryField } from '../openreferral/testing/every-field.ts';
import { createSearchRepository } from '../search/repository.ts';
import { SearchSync } from '../search/sync.ts';

const EXAMPLES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'openreferral-uk-3.0', 'examples');
const noPlaces = { resolve: async () => ({ ok: false as const, error: { message: 'none' } }) };

function feedOf(db: Kysely<Database>) {
  return createOpenReferralService({ repository: createOpenReferralRepository(db), places: noPlaces as never });
}

async function addSource(db: Kysely<Database>, values: Partial<SourceValues> = {}): Promise<ImportSource> {
  const repository = createImportRepository(db);
  const id = await repository.insertSource({ name: `Source ${Math.random()}`, kind: 'file', location: '/tmp/x.json', schedule_hours: null, default_organization_id: null, needs_moderation: false, taxonomy_mapping: '', enabled: true, ...values }, null, new Date());
  return (await repository.findSource(id))!;
}

const clone = <T>(value: T): T => structuredClone(value);

async function exampleService(): Promise<HsdsService> {
  return JSON.parse(await readFile(path.join(EXAMPLES, 'service_full.json'), 'utf8')) as HsdsService;
}

/** A small service of another directory, with a foreign taxonomy term. */
function foreignService(id: string, overrides: Partial<HsdsService> = {}): HsdsService {
  return {
    id,
    name: `Service ${id}`,
    description: 'Help with things',
    status: 'active',
    organization: { id: 'org-1', name: 'Other Council', description: '' },
    phones: [{ id: `${id}-phone`, number: '0131 496 0000' }],
    service_at_locations: [{ id: `${id}-sal`, location: { id: 'loc-1', name: 'Town hall', latitude: 55.95, longitude: -3.19, addresses: [{ id: 'addr-1', address_1: '1 High Street', city: 'Edinburgh', postal_code: 'EH1 1AA', state_province: '', country: 'GB' }] } }],
    attributes: [{ id: `${id}-attr`, taxonomy_term: { id: 'lga-656', code: '656', name: 'Dementia support', taxonomy: 'LGA' } }],
    ...overrides,
  };
}

describeOnEachEngine('importing Open Referral services', (database, engine) => {
  const clock = fixedClock('2026-11-24T09:00:00Z');
  let demo: TestDatabase;
  before(async () => {
    demo = await createTestDatabase(engine, { demo: true });
  });
  after(async () => demo?.close());

  const importer = () => createImporter({ repository: createImportRepository(database().db), clock });

  test('our own feed imports losslessly into an empty database, and a second import changes nothing', async () => {
    // Three pages of the full listing: 300 services in id order, which is a spread of every kind
    // (helplines, venues, groups), fetched the way a crawler with full=true would.
    const source = feedOf(demo.db);
    const originals = (await Promise.all([1, 2, 3].map((page) => source.listServices({ page, per_page: 100, full: true })))).flatMap((envelope) => envelope.contents);
    assert.equal(originals.length, 300);
    assert.ok(originals.some((service) => Array.isArray(service.service_at_locations) && Array.isArray(service.schedules)), 'schedules of the service at a place');

    const target = database().db;
    const sourceRow = await addSource(target, { name: 'Demo directory' });
    const first = await importer().importServices(sourceRow, originals.map(clone), { batchSize: 100 });
    assert.deepEqual(first.rejected, []);
    assert.equal(first.added, originals.length);
    assert.equal(first.status, 'completed');

    const emitted = feedOf(target);
    const again = (await Promise.all([1, 2, 3].map((page) => emitted.listServices({ page, per_page: 100, full: true })))).flatMap((envelope) => envelope.contents);
    for (const [index, original] of originals.entries()) assert.deepEqual(again[index], original, `service ${String(original.id)} round-trips`);
    for (const original of originals.slice(0, 20)) assert.deepEqual(await emitted.getService(String(original.id)), original);

    const second = await importer().importServices(sourceRow, originals.map(clone), { batchSize: 100 });
    assert.deepEqual({ added: second.added, updated: second.updated, unchanged: second.unchanged, inactivated: second.inactivated }, { added: 0, updated: 0, unchanged: originals.length, inactivated: 0 });
  });

  test('every field our feed emits survives an import (the feed’s edge cases: every optional field present somewhere, absent somewhere)', async () => {
    const from = await createTestDatabase(engine);
    const to = await createTestDatabase(engine);
    try {
      await insertEveryField(from.db);
      await fillReferenceData(to.db);
      const originals = (await feedOf(from.db).listServices({ per_page: 100, full: true })).contents;
      assert.ok(originals.length >= 5);
      const source = await addSource(to.db, { name: 'Edge cases' });
      const report = await createImporter({ repository: createImportRepository(to.db), clock }).importServices(source, originals.map(clone));
      assert.deepEqual(report.rejected, []);
      const again = (await feedOf(to.db).listServices({ per_page: 100, full: true })).contents;
      assert.deepEqual(again, originals);
    } finally {
      await from.close();
      await to.close();
    }
  });

  test('a changed record is updated with a new version; a record gone from the feed becomes inactive, never deleted', async () => {
    const db = database().db;
    const source = await addSource(db, { taxonomy_mapping: 'source_taxonomy,source_term,frontdoor_term\nLGA,656,categories/dementia' });
    const services = [foreignService('a'), foreignService('b'), foreignService('c')];
    const first = await importer().importServices(source, services.map(clone));
    assert.equal(first.added, 3);
    assert.deepEqual(first.unmappedTerms, []);
    const records = await db.selectFrom('import_record').selectAll().where('source_id', '=', source.id).where('kind', '=', 'service').orderBy('source_record_id').execute();
    assert.deepEqual(records.map((record) => record.source_record_id), ['a', 'b', 'c']);
    const idOfB = records[1]!.record_id;
    // Non-UUID source ids get name-based ids; the foreign term maps through the file.
    const attribute = await db.selectFrom('attribute').select('taxonomy_term_id').where('service_id', '=', idOfB).executeTakeFirstOrThrow();
    assert.equal(attribute.taxonomy_term_id, termId('categories', 'dementia'));

    const changed = [foreignService('a'), foreignService('b', { name: 'Service b, renamed', description: 'New words' })];
    const second = await importer().importServices(source, changed.map(clone));
    assert.deepEqual({ added: second.added, updated: second.updated, unchanged: second.unchanged, inactivated: second.inactivated }, { added: 0, updated: 1, unchanged: 1, inactivated: 1 });
    const b = await db.selectFrom('service').select(['name', 'status']).where('id', '=', idOfB).executeTakeFirstOrThrow();
    assert.equal(b.name, 'Service b, renamed');
    const versions = await db.selectFrom('listing_version').select(['version', 'status', 'diff', 'note']).where('record_id', '=', idOfB).orderBy('version').execute();
    assert.deepEqual(versions.map((v) => [v.version, v.status]), [[1, 'published'], [2, 'published']]);
    assert.deepEqual(Object.keys(versions[1]!.diff).sort(), ['description', 'name']);
    const c = await db.selectFrom('service').select('status').where('id', '=', records[2]!.record_id).executeTakeFirstOrThrow();
    assert.equal(c.status, 'inactive', 'kept, inactive');

    // It comes back: written again, active.
    const third = await importer().importServices(source, [foreignService('a'), foreignService('b', { name: 'Service b, renamed', description: 'New words' }), foreignService('c')]);
    assert.deepEqual({ added: third.added, updated: third.updated, unchanged: third.unchanged }, { added: 0, updated: 1, unchanged: 2 });
    assert.equal((await db.selectFrom('service').select('status').where('id', '=', records[2]!.record_id).executeTakeFirstOrThrow()).status, 'active');
  });

  test('another process’s search index finds an imported change at its next poll, whatever last_modified says', async () => {
    const db = database().db;
    const source = await addSource(db);
    // Stamped long ago by the source: the time says nothing about when it reached us.
    const old = { last_modified: '2019-05-01T12:00:00Z' };
    await importer().importServices(source, [foreignService('poll-1', old), foreignService('poll-2', old)]);
    // Another process: its own index, kept in step by polling, not told of the import.
    const elsewhere = new SearchSync({ repository: createSearchRepository(db, { reviewIntervalMonths: 6 }), clock });
    await elsewhere.loadAll();
    const record = await db.selectFrom('import_record').select('record_id').where('source_id', '=', source.id).where('source_record_id', '=', 'poll-1').executeTakeFirstOrThrow();
    const found = (text: string) => elsewhere.current.search({ text, today: '2026-11-24' }).hits.some((hit) => hit.id === record.record_id);
    assert.equal(found('Quillwort'), false);
    const report = await importer().importServices(source, [foreignService('poll-1', { ...old, name: 'Quillwort lunches' }), foreignService('poll-2', old)]);
    assert.equal(report.updated, 1);
    assert.equal(await elsewhere.refresh(), 1, 'the one service written is reloaded');
    assert.equal(found('Quillwort'), true);
  });

  test('bad records are rejected with a reason, write nothing, and never stop the rest', async () => {
    const db = database().db;
    const source = await addSource(db);
    const report = await importer().importServices(source, [
      foreignService('ok-1'),
      { name: 'No id at all' },
      foreignService('no-name', { name: '' }),
      foreignService('bad-status', { status: 'open' }),
      foreignService('bad-ages', { minimum_age: 60, maximum_age: 18 }),
      // Parts we cannot hold (a negative cost, a year 3000) are dropped with a warning; the record still lands.
      foreignService('bad-cost', { cost_options: [{ id: 'x', amount: -5 }], organization: { id: 'org-1', name: 'Other Council', description: '', year_incorporated: 3000 } }),
      foreignService('ok-2'),
      foreignService('ok-1'),
      { rejected: { sourceRecordId: 'line 9', reason: 'Line 9 is not valid JSON.' } },
    ] as never);
    assert.equal(report.added, 3, 'ok-1, ok-2 and bad-cost (its bad parts dropped with warnings)');
    const reasons = new Map(report.rejected.map((rejection) => [rejection.sourceRecordId, rejection.reason]));
    assert.match(reasons.get(null)!, /has no id/);
    assert.match(reasons.get('no-name')!, /no name/);
    assert.match(reasons.get('bad-status')!, /status "open" is not one of/);
    assert.match(reasons.get('bad-ages')!, /minimum_age \(60\) is above its maximum_age \(18\)/);
    assert.match(reasons.get('ok-1')!, /appears twice/);
    assert.equal(reasons.get('line 9'), 'Line 9 is not valid JSON.');
    assert.equal(report.rejected.length, 6);
    const warned = report.warnings.filter((warning) => warning.sourceRecordId === 'bad-cost').map((warning) => warning.message);
    assert.ok(warned.some((message) => /year_incorporated/.test(message)));
    for (const id of ['no-name', 'bad-status', 'bad-ages']) {
      assert.equal(await db.selectFrom('import_record').select('record_id').where('source_id', '=', source.id).where('source_record_id', '=', id).executeTakeFirst(), undefined, `${id} left nothing behind`);
    }
    const stored = await db.selectFrom('import_rejection').select(['source_record_id', 'reason']).where('run_id', '=', report.runId).orderBy('position').execute();
    assert.equal(stored.length, 6);
  });

  test('a record the database refuses is rejected alone; the rest of its batch lands', async () => {
    const db = database().db;
    const source = await addSource(db);
    // A bare organization_id this source never gave us: only the database can tell.
    const orphan = foreignService('orphan');
    delete orphan.organization;
    orphan.organization_id = 'never-seen';
    const report = await importer().importServices(source, [foreignService('fine-1', { organization: { id: 'org-9', name: 'Ninth', description: '' } }), orphan, foreignService('fine-2', { organization: { id: 'org-9', name: 'Ninth', description: '' } })]);
    assert.equal(report.added, 2);
    assert.equal(report.rejected.length, 1);
    assert.equal(report.rejected[0]!.sourceRecordId, 'orphan');
    assert.match(report.rejected[0]!.reason, /refers to a record that does not exist/);
    const orphanRows = await db.selectFrom('service').select('id').where('name', '=', 'Service orphan').execute();
    assert.deepEqual(orphanRows, [], 'no half-write');
  });

  test('unmapped taxonomy terms are counted and listed', async () => {
    const db = database().db;
    const source = await addSource(db);
    const report = await importer().importServices(source, [foreignService('u1'), foreignService('u2'), foreignService('u3', { attributes: [{ id: 'z', taxonomy_term: { id: 'esd-1', code: 'E1', name: 'Other thing', taxonomy: 'ESD' } }] })]);
    assert.equal(report.added, 3);
    assert.deepEqual(report.unmappedTerms, [{ term: 'LGA: 656 (Dementia support)', count: 2 }, { term: 'ESD: E1 (Other thing)', count: 1 }]);
    const run = await db.selectFrom('import_run').select('unmapped_terms').where('id', '=', report.runId).executeTakeFirstOrThrow();
    assert.equal(run.unmapped_terms.length, 2);
  });

  test('the profile’s example service_full imports, with what we cannot hold reported as warnings', async () => {
    const db = database().db;
    const source = await addSource(db);
    const example = await exampleService();
    const report = await importer().importServices(source, [example]);
    assert.equal(report.added, 1);
    assert.deepEqual(report.rejected, []);
    assert.ok(report.warnings.some((warning) => /coordinates \(100, 101\)/.test(warning.message)), 'latitude 100 is not a latitude');
    assert.deepEqual(report.unmappedTerms, [{ term: 'taxonomy: 3f7b145d-84af-42d7-8fae-eaca714b02b2 (name)', count: 1 }]);
    const emitted = await feedOf(db).getService(String(example.id));
    assert.equal(emitted.name, example.name);
    assert.equal(emitted.fees, 'fees_description');
    assert.equal(emitted.assured_date, '2005-01-01');
    assert.equal(emitted.last_modified, '2023-03-15T10:30:45.123Z');
    assert.equal((emitted.organization as { id: string }).id, 'd9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610');
    const [link] = emitted.service_at_locations as Array<{ location: { addresses: unknown[]; latitude?: number } }>;
    assert.equal(link!.location.addresses.length, 1);
    assert.equal(link!.location.latitude, undefined);

    // The list example: summaries (no nested locations), each one a service.
    const list = JSON.parse(await readFile(path.join(EXAMPLES, 'service_list.json'), 'utf8')) as { contents: HsdsService[] };
    const other = await addSource(db);
    const listed = await importer().importServices(other, list.contents);
    assert.equal(listed.added + listed.rejected.length, list.contents.length);
    assert.equal(listed.added, list.contents.length, JSON.stringify(listed.rejected));
  });

  test('a source’s UUIDs already owned by another source get ids of their own; both keep their provenance', async () => {
    const db = database().db;
    const id = '6f1a1d2e-0000-4000-8000-000000000001';
    const first = await addSource(db);
    const second = await addSource(db);
    await importer().importServices(first, [foreignService(id)]);
    await importer().importServices(second, [foreignService(id, { name: 'The same id elsewhere' })]);
    const records = await db.selectFrom('import_record').select(['source_id', 'record_id']).where('kind', '=', 'service').where('source_record_id', '=', id).execute();
    assert.equal(records.length, 2);
    const mine = records.find((record) => record.source_id === first.id)!;
    const theirs = records.find((record) => record.source_id === second.id)!;
    assert.equal(mine.record_id, id);
    assert.notEqual(theirs.record_id, id);
    assert.equal((await db.selectFrom('service').select('name').where('id', '=', theirs.record_id).executeTakeFirstOrThrow()).name, 'The same id elsewhere');
  });

  test('two writers: batches that share organisations and locations land as with one, and every rejection is kept', { skip: engine !== 'postgres' && 'PGlite has one connection: one writer' }, async () => {
    const db = database().db;
    const source = await addSource(db);
    // Twenty organisations in two lanes (w-org-0 and w-org-19 in one, w-org-1 in the other); w-org-19
    // a child of w-org-1; a place of w-org-0 that a service of w-org-1 also uses; three records that
    // cannot be imported, in both lanes.
    const bad = new Set([7, 28, 49]);
    const services = Array.from({ length: 60 }, (_, index) => {
      const org = index % 20;
      const links = [{ id: `w${index}-sal`, location: { id: `w-loc-${index}`, name: `Place ${index}`, organization_id: `w-org-${org}` } }];
      if (index === 0 || index === 21) links.push({ id: `w${index}-shared`, location: { id: 'w-loc-shared', name: 'Shared hall', organization_id: 'w-org-0' } });
      return foreignService(`w${index}`, {
        organization: { id: `w-org-${org}`, name: `Writers org ${org}`, description: '', ...(org === 19 ? { parent_organization_id: 'w-org-1' } : {}) },
        service_at_locations: links,
        ...(bad.has(index) ? { minimum_age: 60, maximum_age: 18 } : {}),
      });
    });
    const repository = createImportRepository(db);
    let open = 0;
    let mostOpen = 0;
    const transaction = repository.transaction;
    repository.transaction = async (work) => {
      mostOpen = Math.max(mostOpen, ++open);
      try {
        return await transaction(work);
      } finally {
        open--;
      }
    };
    const report = await createImporter({ repository, clock, writers: 2 }).importServices(source, services.map(clone), { batchSize: 4 });
    assert.equal(mostOpen, 2, 'two transactions at once');
    assert.equal(report.added, 57);
    assert.deepEqual(report.rejected.map((rejection) => rejection.sourceRecordId).sort(), ['w28', 'w49', 'w7']);
    const stored = await db.selectFrom('import_rejection').select('position').where('run_id', '=', report.runId).orderBy('position').execute();
    assert.deepEqual(stored.map((row) => row.position), [0, 1, 2]);

    const records = new Map((await db.selectFrom('import_record').select(['kind', 'source_record_id', 'record_id']).where('source_id', '=', source.id).execute()).map((row) => [`${row.kind}:${row.source_record_id}`, row.record_id]));
    assert.equal([...records.keys()].filter((key) => key.startsWith('organization:')).length, 20);
    assert.equal([...records.keys()].filter((key) => key.startsWith('location:')).length, 58, '57 places of their own and the shared one');
    const orgOf = (org: number) => records.get(`organization:w-org-${org}`)!;
    for (const [index] of services.entries()) {
      if (bad.has(index)) continue;
      const row = await db.selectFrom('service').select('organization_id').where('id', '=', records.get(`service:w${index}`)!).executeTakeFirstOrThrow();
      assert.equal(row.organization_id, orgOf(index % 20));
    }
    const shared = await db.selectFrom('location').select('organization_id').where('id', '=', records.get('location:w-loc-shared')!).executeTakeFirstOrThrow();
    assert.equal(shared.organization_id, orgOf(0), 'the owner, written by another batch, is kept');
    const child = await db.selectFrom('organization').select('parent_organization_id').where('id', '=', orgOf(19)).executeTakeFirstOrThrow();
    assert.equal(child.parent_organization_id, orgOf(1), 'the parent, written by another batch, is kept');
    const links = await db.selectFrom('service_at_location').select('service_id').where('location_id', '=', records.get('location:w-loc-shared')!).execute();
    assert.equal(links.length, 2);

    const again = await createImporter({ repository, clock, writers: 2 }).importServices(source, services.map(clone), { batchSize: 4 });
    assert.deepEqual({ added: again.added, updated: again.updated, unchanged: again.unchanged, inactivated: again.inactivated }, { added: 0, updated: 0, unchanged: 57, inactivated: 0 });
  });

  test('an organisation another batch commits between the two id questions is that organisation, not a second one', async () => {
    const db = database().db;
    const source = await addSource(db);
    const orgId = '6f1a1d2e-0000-4000-8000-0000000000aa';
    const organization = { id: orgId, name: 'Race Council', description: '' };
    await importer().importServices(source, [foreignService('race-1', { organization })]);
    // As if the batch that wrote it had not committed when its provenance was asked for, but had when its id was.
    const repository = createImportRepository(db);
    const records = repository.records;
    let first = true;
    repository.records = async (sourceId, kind, ids) => {
      if (kind === 'organization' && first) {
        first = false;
        return [];
      }
      return records(sourceId, kind, ids);
    };
    const report = await createImporter({ repository, clock }).importServices(source, [foreignService('race-1', { organization }), foreignService('race-2', { organization })]);
    assert.deepEqual(report.rejected, []);
    const councils = await db.selectFrom('organization').select('id').where('name', '=', 'Race Council').execute();
    assert.deepEqual(councils.map((row) => row.id), [orgId]);
  });

  test('under moderation, new listings wait hidden and changes wait as pending versions', async () => {
    const db = database().db;
    const source = await addSource(db, { needs_moderation: true });
    await importer().importServices(source, [foreignService('m1')]);
    const record = await db.selectFrom('import_record').select('record_id').where('source_id', '=', source.id).where('source_record_id', '=', 'm1').executeTakeFirstOrThrow();
    const fresh = await db.selectFrom('service').select(['status', 'name']).where('id', '=', record.record_id).executeTakeFirstOrThrow();
    assert.equal(fresh.status, 'inactive', 'hidden until a moderator approves');
    const pending = await db.selectFrom('listing_version').select(['status', 'snapshot']).where('record_id', '=', record.record_id).execute();
    assert.deepEqual(pending.map((v) => v.status), ['pending']);
    assert.equal((pending[0]!.snapshot as { status: string }).status, 'active');

    // A moderator approves it on the desk, as any other edit: it goes live with the source's status.
    const moderator = await createAccount(db, `mod-${Math.random()}@frontdoor.example`, { totp: true, roles: [{ role: 'system_admin' }] });
    const services = createServices({ db, clock, mailTransport: memoryTransport() });
    const actor = (await services.accounts.loadActor(moderator.id, true))!;
    const version = await db.selectFrom('listing_version').select('id').where('record_id', '=', record.record_id).executeTakeFirstOrThrow();
    const decided = await services.listings.decide(actor, version.id, 'approve', '');
    assert.equal(decided.ok, true);
    assert.equal((await db.selectFrom('service').select('status').where('id', '=', record.record_id).executeTakeFirstOrThrow()).status, 'active');

    // A later change to the edited fields waits too; the live values stay until it is approved.
    await importer().importServices(source, [foreignService('m1', { name: 'Service m1, renamed' })]);
    assert.equal((await db.selectFrom('service').select('name').where('id', '=', record.record_id).executeTakeFirstOrThrow()).name, 'Service m1');
    const versions = await db.selectFrom('listing_version').select(['version', 'status', 'diff']).where('record_id', '=', record.record_id).orderBy('version').execute();
    assert.deepEqual(versions.map((v) => [v.version, v.status]), [[1, 'published'], [2, 'pending']]);
    assert.deepEqual(Object.keys(versions[1]!.diff), ['name']);
  });

  test('the planner statistics are refreshed as a run grows, and an import goes on when they cannot be', async () => {
    const db = database().db;
    const repository = createImportRepository(db);
    assert.ok((await repository.estimatedServices()) >= 0);
    let analyses = 0;
    // The table's size is left out (0), so that marks fall at 4 and 8 services written whatever earlier tests wrote.
    const counting = { ...repository, estimatedServices: async () => 0, analyzeWrittenTables: async () => { analyses += 1; await repository.analyzeWrittenTables(); } };
    const services = Array.from({ length: 10 }, (_, index) => foreignService(`stats-${index}`));
    const report = await createImporter({ repository: counting, clock, analyzeAfter: 4 }).importServices(await addSource(db), services, { batchSize: 2 });
    assert.equal(report.added, 10);
    assert.equal(analyses, 2, 'after 4 and 8 services (the mark doubles), not after 10');
    if (engine === 'postgres') {
      const { rows } = await sql<{ analysed: boolean }>`select last_analyze is not null as analysed from pg_stat_user_tables where relname = 'import_record'`.execute(db);
      assert.equal(rows[0]?.analysed, true);
    }

    const refusing = { ...repository, estimatedServices: async () => 0, analyzeWrittenTables: async () => { throw new Error('must be owner of table import_record'); } };
    const refused = await createImporter({ repository: refusing, clock, analyzeAfter: 1 }).importServices(await addSource(db), services.map((one) => ({ ...one, id: `refused-${String(one.id)}` })), { batchSize: 2 });
    assert.equal(refused.added, 10);
    assert.deepEqual(refused.faults, []);
  });
});

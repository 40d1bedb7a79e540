import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { App } from '../app.ts';
import { fixedClock } from '../platform/clock.ts';
import { describeOnEachEngine } from '../platform/testing/databases.ts';
import { buildTestApp } from '../platform/testing/app.ts';
import { FormClient } from '../platform/testing/http.ts';
import { memoryTransport } from '../platform/mail/mailer.ts';
import { createAccount, createOrganisation, signIn } from '../accounts/testing/helpers.ts';
import { startFakeFeed, type FakeFeed } from './testing/fake-feed.ts';
import { SCHEDULE_JOB } from './service.ts';

const form = (values: Record<string, string>) => ({
  name: '', kind: 'api', location: '', scheduleHours: '', defaultOrganisationId: '', taxonomyMapping: '', enabled: 'yes', ...values,
});

describeOnEachEngine('import sources in the admin pages', (database) => {
  const clock = fixedClock('2026-11-24T09:00:00Z');
  let built: App;
  let feed: FakeFeed;
  let admin: FormClient;
  let orgAdmin: FormClient;
  let ownerId: string;
  before(async () => {
    feed = await startFakeFeed([
      { id: 'one', name: 'Befriending', status: 'active', organization: { id: 'o', name: 'Far Council', description: '' } },
      { id: 'two', name: 'Lunch club', status: 'open', organization: { id: 'o', name: 'Far Council', description: '' } },
      { id: 'three', name: 'Walking group', attributes: [{ id: 'a', taxonomy_term: { id: 't-9', code: '9', name: 'Walking', taxonomy: 'LGA' } }] },
    ]);
    built = await buildTestApp(database(), { clock, mailTransport: memoryTransport(), importCrawl: { timeoutMs: 500, backoffMs: 5, attempts: 2 } });
    const db = database().db;
    ownerId = await createOrganisation(db, 'Frontdoor Imports');
    admin = new FormClient(built.app);
    await signIn(admin, await createAccount(db, 'root@frontdoor.example', { totp: true, roles: [{ role: 'system_admin' }] }), clock);
    orgAdmin = new FormClient(built.app);
    await signIn(orgAdmin, await createAccount(db, 'boss@charity.example', { totp: true, roles: [{ role: 'organisation_admin', organizationId: ownerId }] }), clock);
  });
  after(async () => {
    await built?.app.close();
    await feed?.close();
  });

  test('only system admins see and change import sources', async () => {
    assert.equal((await orgAdmin.get('/admin/imports')).statusCode, 403);
    assert.equal((await orgAdmin.post('/admin/imports', form({ name: 'Sneaky', location: feed.baseUrl }))).statusCode, 403);
    assert.equal((await new FormClient(built.app).get('/admin/imports')).statusCode, 303);
    const page = await admin.get('/admin/imports');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Imported directories/);
  });

  test('registering a source checks every field and says what is wrong', async () => {
    await admin.get('/admin/imports/new');
    const bad = await admin.post('/admin/imports', form({ name: '', kind: 'api', location: 'not a url', scheduleHours: '0', taxonomyMapping: 'source_taxonomy,source_term,frontdoor_term\nLGA,9,categories/no-such-term' }));
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /There is a problem/);
    assert.match(bad.body, /Enter a name for the source/);
    assert.match(bad.body, /Enter the API’s base address/);
    assert.match(bad.body, /Enter a whole number of hours from 1 to 8760/);
    assert.match(bad.body, /Line 2 of the taxonomy mapping: &quot;categories\/no-such-term&quot; is not one of our taxonomy terms/);
    const file = await admin.post('/admin/imports', form({ name: 'A file', kind: 'file', location: 'relative/path.json' }));
    assert.match(file.body, /Enter the full path of the file/);
    const noCsrf = await admin.post('/admin/imports', form({ name: 'No token', location: feed.baseUrl, _csrf: '' }));
    assert.equal(noCsrf.statusCode, 403);
  });

  test('an admin registers a source, syncs it now, and sees the run’s figures, rejected records and unmapped terms', async () => {
    await admin.get('/admin/imports/new');
    const created = await admin.post('/admin/imports', form({ name: 'Far Council directory', location: feed.baseUrl, scheduleHours: '24', defaultOrganisationId: ownerId }));
    assert.equal(created.statusCode, 303);
    const sourcePath = created.headers.location as string;
    const source = await database().db.selectFrom('import_source').selectAll().where('name', '=', 'Far Council directory').executeTakeFirstOrThrow();
    assert.equal(source.schedule_hours, 24);
    assert.equal(source.default_organization_id, ownerId);
    assert.ok(source.next_run_at, 'scheduled');

    await admin.get(sourcePath);
    const sync = await admin.post(`${sourcePath}/sync`);
    assert.equal(sync.statusCode, 303);
    assert.ok((await built.services.jobs.runDue()) >= 1);

    const page = await admin.get(sourcePath);
    assert.match(page.body, /<table class="govuk-table" id="runs">/);
    const row = /<tbody class="govuk-table__body">([\s\S]*?)<\/tbody>/.exec(page.body)![1]!;
    const cells = [...row.matchAll(/govuk-table__cell[^>]*>([^<]*)</g)].map((match) => match[1]!.trim());
    assert.deepEqual(cells.slice(1, 7), ['completed', '2', '0', '0', '0', '1'], 'completed; 2 added (one through the default organisation), 1 rejected');

    const runId = /href="\/admin\/imports\/runs\/([0-9a-f-]+)"/.exec(page.body)![1]!;
    const run = await admin.get(`/admin/imports/runs/${runId}`);
    assert.equal(run.statusCode, 200);
    assert.match(run.body, /<code>two<\/code><\/td><td class="govuk-table__cell">The service&#39;s status &quot;open&quot; is not one of/);
    assert.match(run.body, /LGA: 9 \(Walking\): 1 listing/);

    const owned = await database().db.selectFrom('service').select('organization_id').where('name', '=', 'Walking group').executeTakeFirstOrThrow();
    assert.equal(owned.organization_id, ownerId);
    const listed = await admin.get('/admin/imports');
    assert.match(listed.body, /Far Council directory/);
    assert.match(listed.body, /2 added, 0 updated, 0 unchanged, 0 inactivated, 1 rejected/);
  });

  test('an admin edits a source; the scheduler syncs sources when they are due', async () => {
    const source = await database().db.selectFrom('import_source').selectAll().where('name', '=', 'Far Council directory').executeTakeFirstOrThrow();
    clock.advance(60_000);
    await admin.get(`/admin/imports/${source.id}`);
    const changed = await admin.post(`/admin/imports/${source.id}`, form({ name: 'Far Council directory', location: feed.baseUrl, scheduleHours: '12', defaultOrganisationId: ownerId, taxonomyMapping: 'source_taxonomy,source_term,frontdoor_term\nLGA,9,categories/dementia' }));
    assert.equal(changed.statusCode, 303);
    const after = await database().db.selectFrom('import_source').selectAll().where('id', '=', source.id).executeTakeFirstOrThrow();
    assert.equal(after.schedule_hours, 12);
    assert.match(after.taxonomy_mapping, /categories\/dementia/);

    await built.services.imports.ensureScheduleQueued();
    await built.services.jobs.runDue();
    const runs = await database().db.selectFrom('import_run').select(['status', 'updated', 'unchanged', 'unmapped_terms']).where('source_id', '=', source.id).orderBy('started_at', 'desc').execute();
    assert.equal(runs.length, 2, 'the scheduler ran the due source');
    assert.equal(runs[0]!.updated, 2, 'a new mapping imports every record again');
    assert.deepEqual(runs[0]!.unmapped_terms, []);
    const next = await database().db.selectFrom('import_source').select('next_run_at').where('id', '=', source.id).executeTakeFirstOrThrow();
    assert.equal(next.next_run_at!.toISOString(), '2026-11-24T21:01:00.000Z');
    const queued = await database().db.selectFrom('job').select('run_at').where('queue', '=', SCHEDULE_JOB).where('status', '=', 'pending').execute();
    assert.equal(queued.length, 1, 'the scheduler queued itself again');
    const audit = await database().db.selectFrom('audit_event').select('action').where('action', 'like', 'import.%').execute();
    assert.deepEqual(audit.map((event) => event.action).sort(), ['import.source_added', 'import.source_changed', 'import.sync_requested']);
  });
});

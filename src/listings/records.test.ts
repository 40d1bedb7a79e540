import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { App } from '../app.ts';
import { fixedClock } from '../platform/clock.ts';
import { describeOnEachEngine } from '../platform/testing/databases.ts';
import { buildTestApp } from '../platform/testing/app.ts';
import { FormClient } from '../platform/testing/http.ts';
import { memoryTransport } from '../platform/mail/mailer.ts';
import { insertSmallDirectory } from '../directory/testing/fixtures.ts';
import { createAccount, signIn } from '../accounts/testing/helpers.ts';
import { signInListingPeople } from './testing/people.ts';
import { LOCATION_FIELDS, ORGANISATION_FIELDS, SERVICE_FIELDS } from './records.ts';
import { formAnswers } from './testing/forms.ts';

describeOnEachEngine('listings: organisations and places through the same versioned, moderated question pages', (database) => {
  const clock = fixedClock('2026-11-24T09:00:00Z');
  let built: App;
  let ids: Awaited<ReturnType<typeof insertSmallDirectory>>;
  let member: FormClient;
  let colleague: FormClient;
  let moderator: FormClient;
  let farModerator: FormClient;
  const searchIds = async (q: string) => (JSON.parse((await built.app.inject({ url: `/api/v1/search?q=${encodeURIComponent(q)}` })).body).results as Array<{ id: string }>).map((r) => r.id);
  before(async () => {
    const db = database().db;
    ids = await insertSmallDirectory(db);
    built = await buildTestApp(database(), { clock, mailTransport: memoryTransport() });
    ({ member, colleague, moderator, farModerator } = await signInListingPeople(built.app, db, ids.organizationId, clock));
  });
  after(async () => built.app.close());

  test('an unapproved organisation’s new details wait for the moderator of its area; published, they are on the public page and in search; restored as a new version', async () => {
    const db = database().db;
    const mine = await member.get('/manage/listings');
    assert.match(mine.body, new RegExp(`href="/manage/organisations/${ids.organizationId}/edit"`));
    assert.match(mine.body, new RegExp(`href="/manage/locations/${ids.centreId}/edit"`));
    const form = await member.get(`/manage/organisations/${ids.organizationId}/edit`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Change the organisation/);
    const bad = await member.post(`/manage/organisations/${ids.organizationId}/check`, formAnswers(form.body, ORGANISATION_FIELDS, { name: '', website: 'irvine-carers' }));
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Enter the name of the organisation/);
    assert.match(bad.body, /Enter a website address starting with https:\/\//);
    const answers = formAnswers(form.body, ORGANISATION_FIELDS, { name: 'Garnock Carers Centre', description: 'Support for unpaid carers across North Ayrshire and Arran.' });
    const check = await member.post(`/manage/organisations/${ids.organizationId}/check`, answers);
    assert.equal(check.statusCode, 200);
    assert.match(check.body, /Check your answers/);
    assert.match(check.body, /A moderator checks your changes/);
    assert.equal((await member.post(`/manage/organisations/${ids.organizationId}/save`, answers)).statusCode, 303);
    assert.match((await built.app.inject({ url: `/organisations/${ids.organizationId}` })).body, /Irvine Carers(&#39;|')? Centre/, 'pending: the public page is unchanged');
    assert.deepEqual(await searchIds('garnock'), []);

    assert.doesNotMatch((await farModerator.get('/moderate')).body, /Garnock/, 'another area’s moderator does not see it');
    const desk = await moderator.get('/moderate');
    assert.match(desk.body, /Irvine Carers(&#39;|')? Centre<\/a> \(organisation\)/);
    assert.match(desk.body, /<ins>Garnock Carers Centre<\/ins>/);
    const versionId = /action="\/moderate\/edits\/([0-9a-f-]+)"/.exec(desk.body)![1]!;
    assert.equal((await farModerator.post(`/moderate/edits/${versionId}`, { decision: 'approve', reason: '' })).statusCode, 403);
    assert.equal((await moderator.post(`/moderate/edits/${versionId}`, { decision: 'approve', reason: 'Renamed last month' })).statusCode, 303);
    assert.match((await built.app.inject({ url: `/organisations/${ids.organizationId}` })).body, /<h1[^>]*>Garnock Carers Centre<\/h1>/);
    assert.ok((await searchIds('garnock')).includes(ids.carersServiceId), 'its services are found by the new name at once');
    const told = await db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', 'worker@irvine-carers.example.org').where('subject', '=', 'Your change to a listing is published').executeTakeFirstOrThrow();
    assert.match(told.text_body, new RegExp(`/manage/organisations/${ids.organizationId}/history`));

    const history = await member.get(`/manage/organisations/${ids.organizationId}/history`);
    assert.equal(history.statusCode, 200);
    assert.match(history.body, /Version 2 \(published now\)/);
    assert.match(history.body, /<del>Irvine Carers(&#39;|')? Centre<\/del><br><ins>Garnock Carers Centre<\/ins>/);
    assert.equal((await member.post(`/manage/organisations/${ids.organizationId}/restore`, { version: '1' })).statusCode, 403, 'only approved organisations and moderators restore');
    assert.equal((await moderator.post(`/manage/organisations/${ids.organizationId}/restore`, { version: '1' })).statusCode, 303);
    assert.match((await built.app.inject({ url: `/organisations/${ids.organizationId}` })).body, /<h1[^>]*>Irvine Carers(&#39;|')? Centre<\/h1>/);
    assert.deepEqual(await searchIds('garnock'), []);
    const versions = await db.selectFrom('listing_version').select(['version', 'status', 'note']).where('record_kind', '=', 'organization').where('record_id', '=', ids.organizationId).orderBy('version').execute();
    assert.deepEqual(versions.map((v) => [v.version, v.status]), [[1, 'published'], [2, 'published'], [3, 'published']]);
    assert.equal(versions[2]!.note, 'Restored version 1');
  });

  test('a rejected organisation edit is not published and its author is told why', async () => {
    const db = database().db;
    const form = await member.get(`/manage/organisations/${ids.organizationId}/edit`);
    const answers = formAnswers(form.body, ORGANISATION_FIELDS, { email: 'someone@elsewhere.example' });
    assert.equal((await member.post(`/manage/organisations/${ids.organizationId}/save`, answers)).statusCode, 303);
    const desk = await moderator.get('/moderate');
    const versionId = /action="\/moderate\/edits\/([0-9a-f-]+)"/.exec(desk.body)![1]!;
    assert.equal((await moderator.post(`/moderate/edits/${versionId}`, { decision: 'reject', reason: 'Use the organisation’s own address' })).statusCode, 303);
    const live = await db.selectFrom('organization').select('email').where('id', '=', ids.organizationId).executeTakeFirstOrThrow();
    assert.equal(live.email, 'hello@irvine-carers.example.org');
    const mail = await db.selectFrom('mail_outbox').select('text_body').where('subject', '=', 'Your change to a listing was not published').executeTakeFirstOrThrow();
    assert.match(mail.text_body, /Reason: Use the organisation’s own address/);
  });

  test('an approved organisation’s place edit publishes at once, moves its point by its postcode, and a second save from the same start is refused with what changed', async () => {
    const db = database().db;
    await built.services.listings.approveOrganisation(null, ids.organizationId);
    const first = await member.get(`/manage/locations/${ids.centreId}/edit`);
    const second = await colleague.get(`/manage/locations/${ids.centreId}/edit`);
    assert.match(first.body, /Building and street/);
    const unknown = await member.post(`/manage/locations/${ids.centreId}/check`, formAnswers(first.body, LOCATION_FIELDS, { postal_code: 'not a postcode' }));
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /Enter a full postcode, like KA12 8AA/);
    const partial = await member.post(`/manage/locations/${ids.centreId}/check`, formAnswers(first.body, LOCATION_FIELDS, { city: '' }));
    assert.match(partial.body, /Enter the town or city/);

    const mine = formAnswers(first.body, LOCATION_FIELDS, { address_1: '3 Commercial Street', city: 'Lerwick', postal_code: 'ZE1 0AA', transportation: 'Five minutes from the ferry terminal.' });
    const check = await member.post(`/manage/locations/${ids.centreId}/check`, mine);
    assert.match(check.body, /Your changes are published as soon as you save them/);
    assert.equal((await member.post(`/manage/locations/${ids.centreId}/save`, mine)).statusCode, 303);
    const place = await db.selectFrom('location').select(['council_area_code', 'latitude', 'transportation']).where('id', '=', ids.centreId).executeTakeFirstOrThrow();
    assert.equal(place.council_area_code, 'shetland-islands');
    assert.ok(place.latitude! > 59, `moved north to Shetland (${place.latitude})`);
    const address = await db.selectFrom('address').select(['address_1', 'city', 'postal_code']).where('location_id', '=', ids.centreId).execute();
    assert.deepEqual(address, [{ address_1: '3 Commercial Street', city: 'Lerwick', postal_code: 'ZE1 0AA' }]);
    const publicPage = await built.app.inject({ url: `/locations/${ids.centreId}` });
    assert.match(publicPage.body, /3 Commercial Street/);
    assert.match(publicPage.body, /Five minutes from the ferry terminal\./);

    const conflict = await colleague.post(`/manage/locations/${ids.centreId}/save`, formAnswers(second.body, LOCATION_FIELDS, { transportation: 'Parking at the back.' }));
    assert.equal(conflict.statusCode, 409);
    assert.match(conflict.body, /Someone else changed this listing/);
    assert.match(conflict.body, /Getting there<\/dt>\s*<dd class="govuk-summary-list__value">Was: \(empty\)<br>Now: Five minutes from the ferry terminal\.<br>Yours: Parking at the back\./);
    const still = await db.selectFrom('location').select('transportation').where('id', '=', ids.centreId).executeTakeFirstOrThrow();
    assert.equal(still.transportation, 'Five minutes from the ferry terminal.', 'never silently overwritten');

    // The place is in Shetland now: its moderators have a say over it, North Ayrshire's no longer.
    assert.equal((await farModerator.get(`/manage/locations/${ids.centreId}/edit`)).statusCode, 200);
    const history = await colleague.get(`/manage/locations/${ids.centreId}/history`);
    assert.match(history.body, /<del>KA12 8BD<\/del><br><ins>ZE1 0AA<\/ins>/);
    assert.equal((await colleague.post(`/manage/locations/${ids.centreId}/restore`, { version: '1' })).statusCode, 303);
    const back = await db.selectFrom('location').select('council_area_code').where('id', '=', ids.centreId).executeTakeFirstOrThrow();
    assert.equal(back.council_area_code, 'north-ayrshire', 'restoring the postcode moves the point back');
  });

  test('members add places and services: waiting for a moderator when unapproved, published at once when approved; never public before', async () => {
    const db = database().db;
    const shed = await db.insertInto('organization').values({ name: 'Dalry Mens Shed', website: 'https://dalryshed.example' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('location').values({ organization_id: shed.id, name: 'The Old Station', latitude: 55.7, longitude: -4.72, council_area_code: 'north-ayrshire' }).execute();
    const shedMember = new FormClient(built.app);
    await signIn(shedMember, await createAccount(db, 'chair@dalryshed.example', { totp: true, roles: [{ role: 'organisation_member', organizationId: shed.id }] }), clock);
    assert.equal((await shedMember.get(`/manage/organisations/${ids.organizationId}/locations/new`)).statusCode, 403, 'not for another organisation');
    const form = await shedMember.get(`/manage/organisations/${shed.id}/locations/new`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /A moderator checks the new place before it is published/);
    const answers = { name: 'Dalry Library', description: '', address_1: '1 Main Street', city: 'Dalry', postal_code: 'KA24 5AA', transportation: '' };
    const check = await shedMember.post(`/manage/organisations/${shed.id}/locations/new/check`, answers);
    assert.equal(check.statusCode, 200);
    assert.match(check.body, /Add the place/);
    assert.equal((await shedMember.post(`/manage/organisations/${shed.id}/locations/new`, answers)).statusCode, 303);
    assert.equal((await db.selectFrom('location').select('id').where('name', '=', 'Dalry Library').execute()).length, 0, 'not created until a moderator publishes it');
    assert.match((await shedMember.get('/manage/listings')).body, /the new place “Dalry Library”/);

    const desk = await moderator.get('/moderate');
    assert.match(desk.body, /Dalry Library \(new place\), Dalry Mens Shed/);
    const versionId = new RegExp(`Dalry Library \\(new place\\)[\\s\\S]*?action="/moderate/edits/([0-9a-f-]+)"`).exec(desk.body)![1]!;
    assert.equal((await moderator.post(`/moderate/edits/${versionId}`, { decision: 'approve', reason: '' })).statusCode, 303);
    const created = await db.selectFrom('location').select(['id', 'council_area_code', 'organization_id']).where('name', '=', 'Dalry Library').executeTakeFirstOrThrow();
    assert.deepEqual([created.council_area_code, created.organization_id], ['north-ayrshire', shed.id]);
    assert.match((await built.app.inject({ url: `/locations/${created.id}` })).body, /1 Main Street/);
    const history = await shedMember.get(`/manage/locations/${created.id}/history`);
    assert.match(history.body, /Version 1 \(published now\)/);

    // Approved (the Irvine centre, above): a new service is published and searchable at once.
    const service = { name: 'Carers’ cafe', summary: 'Tea and a chat for carers on Fridays.', description: '', email: '', url: '' };
    const added = await member.post(`/manage/organisations/${ids.organizationId}/services/new`, service);
    assert.equal(added.statusCode, 303);
    const newId = /\/manage\/services\/([0-9a-f-]+)\/edit/.exec(added.headers.location as string)![1]!;
    const page = await member.get(`/manage/services/${newId}/edit`);
    assert.match(page.body, /The service is added and published/);
    assert.deepEqual(formAnswers(page.body, SERVICE_FIELDS).summary, 'Tea and a chat for carers on Fridays.');
    assert.match((await built.app.inject({ url: `/services/${newId}` })).body, /Tea and a chat for carers on Fridays\./);
    assert.ok((await searchIds('cafe')).includes(newId));
    const row = await db.selectFrom('service').select(['status', 'last_reviewed_at']).where('id', '=', newId).executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'active', last_reviewed_at: '2026-11-24' });
    const bad = await member.post(`/manage/organisations/${ids.organizationId}/services/new`, { ...service, name: '' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Enter the name of the service/);
  });

  test('a signed-in person proposes an organisation that is not listed: pending on its area’s desk, nothing public; approved, it is listed and searchable and its proposer is its admin', async () => {
    const db = database().db;
    const proposer = new FormClient(built.app);
    const account = await createAccount(db, 'founder@kilbirnie-tenants.example', { totp: true });
    await signIn(proposer, account, clock);
    assert.equal((await built.app.inject({ url: '/manage/organisations/new' })).statusCode !== 200, true, 'not for anonymous visitors');
    const mine = await proposer.get('/manage/listings');
    assert.equal(mine.statusCode, 200);
    assert.match(mine.body, /href="\/manage\/organisations\/new">Your organisation is not listed\? Add it/);
    const form = await proposer.get('/manage/organisations/new');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Where it works/);
    const bad = await proposer.post('/manage/organisations/new/check', { name: '', description: '', email: '', website: '', area: 'Atlantis' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Enter the name of the organisation/);
    assert.match(bad.body, /Enter a full postcode, like KA12 8AA, or the name of a council area/);
    const answers = { name: 'Kilbirnie Tenants Association', description: 'Tenants helping tenants in the Garnock Valley.', email: 'hello@kilbirnie-tenants.example', website: 'https://kilbirnie-tenants.example', area: 'KA24 5AA' };
    const check = await proposer.post('/manage/organisations/new/check', answers);
    assert.equal(check.statusCode, 200);
    assert.match(check.body, /Check your answers/);
    assert.match(check.body, /A moderator checks the new organisation before it is published/);
    assert.match(check.body, /KA24 5AA/);
    assert.match((await proposer.post('/manage/organisations/new/change', answers)).body, /value="Kilbirnie Tenants Association"/);
    const saved = await proposer.post('/manage/organisations/new', answers);
    assert.equal(saved.statusCode, 303);
    assert.match((await proposer.get('/manage/listings')).body, /Waiting for a moderator: “Kilbirnie Tenants Association”/);

    const row = await db.selectFrom('organization').select(['id', 'listed']).where('name', '=', 'Kilbirnie Tenants Association').executeTakeFirstOrThrow();
    assert.equal(row.listed, false, 'nothing of it is public yet');
    assert.equal((await built.app.inject({ url: `/organisations/${row.id}` })).statusCode, 404);
    assert.equal((await built.app.inject({ url: `/api/v1/organizations/${row.id}` })).statusCode, 404, 'nor in the open data');
    assert.equal((await proposer.get(`/manage/organisations/${row.id}/edit`)).statusCode, 403, 'the proposer is not its admin before a moderator agrees');

    assert.doesNotMatch((await farModerator.get('/moderate')).body, /Kilbirnie Tenants/, 'another area’s moderator does not see it');
    const desk = await moderator.get('/moderate');
    assert.match(desk.body, /Kilbirnie Tenants Association \(new organisation\)/);
    const versionId = /Kilbirnie Tenants Association \(new organisation\)[\s\S]*?action="\/moderate\/edits\/([0-9a-f-]+)"/.exec(desk.body)![1]!;
    assert.equal((await farModerator.post(`/moderate/edits/${versionId}`, { decision: 'approve', reason: '' })).statusCode, 403);
    assert.equal((await moderator.post(`/moderate/edits/${versionId}`, { decision: 'approve', reason: '' })).statusCode, 303);

    assert.match((await built.app.inject({ url: `/organisations/${row.id}` })).body, /<h1[^>]*>Kilbirnie Tenants Association<\/h1>/);
    assert.equal((await built.app.inject({ url: `/api/v1/organizations/${row.id}` })).statusCode, 200);
    const found = JSON.parse((await built.app.inject({ url: '/openreferral/organizations?search=kilbirnie%20tenants' })).body) as { contents: Array<{ id: string }> };
    assert.deepEqual(found.contents.map((o) => o.id), [row.id], 'searchable by name in the open feed');
    const grant = await db.selectFrom('role_grant').select(['role', 'revoked_at']).where('user_id', '=', account.id).where('organization_id', '=', row.id).execute();
    assert.deepEqual(grant, [{ role: 'organisation_admin', revoked_at: null }]);
    assert.ok(await built.services.listings.approvedOrganisation(row.id), 'approved, as an approved claim makes it');
    assert.ok(await db.selectFrom('audit_event').select('id').where('action', '=', 'listing.proposal_adopted').where('target_id', '=', row.id).executeTakeFirst(), 'the new admin is in the audit log');
    const mail = await db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', 'founder@kilbirnie-tenants.example').where('subject', 'like', '%is added').executeTakeFirstOrThrow();
    assert.match(mail.text_body, new RegExp(`/manage/organisations/${row.id}/history`));
    const adminPage = await proposer.get(`/manage/organisations/${row.id}/edit`);
    assert.equal(adminPage.statusCode, 200, 'the new admin edits it');
    assert.match((await proposer.get(`/manage/organisations/${row.id}/history`)).body, /Version 1 \(published now\)/);
  });

  test('a rejected proposal stays unlisted, gives its proposer nothing, and emails them why', async () => {
    const db = database().db;
    const proposer = new FormClient(built.app);
    const account = await createAccount(db, 'someone@lerwick-knitters.example', { totp: true });
    await signIn(proposer, account, clock);
    const answers = { name: 'Lerwick Knitters', description: '', email: '', website: '', area: 'Shetland Islands' };
    await proposer.get('/manage/organisations/new');
    assert.equal((await proposer.post('/manage/organisations/new', answers)).statusCode, 303);
    assert.doesNotMatch((await moderator.get('/moderate')).body, /Lerwick Knitters/);
    const desk = await farModerator.get('/moderate');
    const versionId = /Lerwick Knitters \(new organisation\)[\s\S]*?action="\/moderate\/edits\/([0-9a-f-]+)"/.exec(desk.body)![1]!;
    assert.equal((await farModerator.post(`/moderate/edits/${versionId}`, { decision: 'reject', reason: 'Already listed as Shetland Knitters' })).statusCode, 303);
    const row = await db.selectFrom('organization').select(['id', 'listed']).where('name', '=', 'Lerwick Knitters').executeTakeFirstOrThrow();
    assert.equal(row.listed, false);
    assert.equal((await built.app.inject({ url: `/organisations/${row.id}` })).statusCode, 404);
    assert.deepEqual(await db.selectFrom('role_grant').select('id').where('organization_id', '=', row.id).execute(), []);
    const mail = await db.selectFrom('mail_outbox').select(['subject', 'text_body']).where('to_address', '=', 'someone@lerwick-knitters.example').executeTakeFirstOrThrow();
    assert.match(mail.subject, /was not added/);
    assert.match(mail.text_body, /Reason: Already listed as Shetland Knitters/);
    assert.match(mail.text_body, /\/manage\/listings/);
    assert.doesNotMatch((await farModerator.get('/moderate')).body, /Lerwick Knitters/, 'off the desk');
  });

  test('the first place of an organisation with no places reaches the moderators of its postcode’s area', async () => {
    const db = database().db;
    const newcomer = await db.insertInto('organization').values({ name: 'Lerwick Walking Group' }).returning('id').executeTakeFirstOrThrow();
    const walker = new FormClient(built.app);
    await signIn(walker, await createAccount(db, 'walks@lerwick.example', { totp: true, roles: [{ role: 'organisation_member', organizationId: newcomer.id }] }), clock);
    const answers = { name: 'Lerwick Town Hall', description: '', address_1: 'Hillhead', city: 'Lerwick', postal_code: 'ZE1 0HB', transportation: '' };
    await walker.get(`/manage/organisations/${newcomer.id}/locations/new`);
    assert.equal((await walker.post(`/manage/organisations/${newcomer.id}/locations/new`, answers)).statusCode, 303);
    assert.doesNotMatch((await moderator.get('/moderate')).body, /Lerwick Town Hall/);
    const desk = await farModerator.get('/moderate');
    assert.match(desk.body, /Lerwick Town Hall \(new place\), Lerwick Walking Group/);
    const versionId = /Lerwick Town Hall \(new place\)[\s\S]*?action="\/moderate\/edits\/([0-9a-f-]+)"/.exec(desk.body)![1]!;
    assert.equal((await farModerator.post(`/moderate/edits/${versionId}`, { decision: 'approve', reason: '' })).statusCode, 303);
    const place = await db.selectFrom('location').select('council_area_code').where('organization_id', '=', newcomer.id).executeTakeFirstOrThrow();
    assert.equal(place.council_area_code, 'shetland-islands');
  });

  test('a service says where it is delivered: ticked places are versioned like any field, found by search near them, shown in history and undone by restore', async () => {
    const db = database().db;
    const club = await db.insertInto('organization').values({ name: 'Peerie Makers' }).returning('id').executeTakeFirstOrThrow();
    const [lerwick, scalloway] = await db.insertInto('location').values([
      { organization_id: club.id, name: 'Lerwick Library', latitude: 60.155, longitude: -1.149, council_area_code: 'shetland-islands' },
      { organization_id: club.id, name: 'Edinburgh Hub', latitude: 55.953, longitude: -3.189, council_area_code: 'city-of-edinburgh' },
    ]).returning('id').execute();
    await built.services.listings.approveOrganisation(null, club.id);
    const maker = new FormClient(built.app);
    await signIn(maker, await createAccount(db, 'knit@peerie.example', { totp: true, roles: [{ role: 'organisation_member', organizationId: club.id }] }), clock);
    const near = async () => (JSON.parse((await built.app.inject({ url: '/api/v1/search?q=knitting&near=ZE1%200AA' })).body).results as Array<{ id: string; match?: string }>);

    const form = await maker.get(`/manage/organisations/${club.id}/services/new`);
    assert.match(form.body, /Where it is delivered/);
    assert.match(form.body, new RegExp(`name="locations" type="checkbox" value="${lerwick!.id}"`));
    const answers = { name: 'Peerie knitting circle', summary: 'Knitting together on Tuesdays.', description: '', email: '', url: '', locations: lerwick!.id };
    const check = await maker.post(`/manage/organisations/${club.id}/services/new/check`, answers);
    assert.equal(check.statusCode, 200);
    assert.match(check.body, /Where it is delivered<\/dt><dd class="govuk-summary-list__value">Lerwick Library<\/dd>/);
    assert.match(check.body, new RegExp(`name="locations" value="${lerwick!.id}"`));
    const added = await maker.post(`/manage/organisations/${club.id}/services/new`, answers);
    assert.equal(added.statusCode, 303);
    const serviceId = /\/manage\/services\/([0-9a-f-]+)\/edit/.exec(added.headers.location as string)![1]!;
    const links = async () => (await db.selectFrom('service_at_location').select('location_id').where('service_id', '=', serviceId).execute()).map((row) => row.location_id);
    assert.deepEqual(await links(), [lerwick!.id]);
    assert.ok((await near()).some((r) => r.id === serviceId && r.match === 'near'), 'found near its place at once');

    const edit = await maker.get(`/manage/services/${serviceId}/edit`);
    assert.equal(formAnswers(edit.body, ['locations']).locations, lerwick!.id, 'the place is ticked');
    const foreign = await maker.post(`/manage/services/${serviceId}/check`, formAnswers(edit.body, [...SERVICE_FIELDS, 'locations'], { locations: ids.centreId }));
    assert.equal(foreign.statusCode, 400);
    assert.match(foreign.body, /Tick only places of this organisation/);
    assert.equal((await maker.post(`/manage/services/${serviceId}/save`, formAnswers(edit.body, [...SERVICE_FIELDS, 'locations'], { locations: ids.centreId }))).statusCode, 400, 'another organisation’s place is refused');
    const moved = formAnswers(edit.body, [...SERVICE_FIELDS, 'locations'], { locations: scalloway!.id });
    assert.equal((await maker.post(`/manage/services/${serviceId}/save`, moved)).statusCode, 303);
    assert.deepEqual(await links(), [scalloway!.id]);
    assert.ok(!(await near()).some((r) => r.id === serviceId && r.match === 'near'), 'no longer near Lerwick');
    const history = await maker.get(`/manage/services/${serviceId}/history`);
    assert.match(history.body, /Where it is delivered<\/dt><dd class="govuk-summary-list__value"><del>Lerwick Library<\/del><br><ins>Edinburgh Hub<\/ins>/);
    const late = await maker.post(`/manage/services/${serviceId}/save`, formAnswers(edit.body, [...SERVICE_FIELDS, 'locations'], { locations: '', summary: 'Knitting on Thursdays now.' }));
    assert.equal(late.statusCode, 409, 'a save from the version before the move is a conflict');
    assert.match(late.body, /Where it is delivered<\/dt>\s*<dd class="govuk-summary-list__value">Was: Lerwick Library<br>Now: Edinburgh Hub<br>Yours: \(empty\)/);
    assert.deepEqual(await links(), [scalloway!.id], 'never silently overwritten');

    // A form that does not send the field at all (from before it was asked) leaves the places alone.
    const renamed = formAnswers((await maker.get(`/manage/services/${serviceId}/edit`)).body, SERVICE_FIELDS, { name: 'Peerie knitting circle and cafe' });
    assert.equal((await maker.post(`/manage/services/${serviceId}/save`, renamed)).statusCode, 303);
    assert.deepEqual(await links(), [scalloway!.id]);

    assert.equal((await maker.post(`/manage/services/${serviceId}/restore`, { version: '1' })).statusCode, 303);
    assert.deepEqual(await links(), [lerwick!.id], 'restoring version 1 links the first place again');
    assert.ok((await near()).some((r) => r.id === serviceId && r.match === 'near'));
    const versions = await db.selectFrom('listing_version').select(['version', 'snapshot']).where('record_id', '=', serviceId).orderBy('version').execute();
    assert.deepEqual(versions.map((v) => (v.snapshot as Record<string, string>).locations), [lerwick!.id, scalloway!.id, scalloway!.id, lerwick!.id]);
  });
});

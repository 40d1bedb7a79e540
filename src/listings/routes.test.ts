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
import { formAnswers } from './testing/forms.ts';

describeOnEachEngine('listings: moderated edits, history, review cycle and the moderator desk over HTTP', (database) => {
  const clock = fixedClock('2026-11-24T09:00:00Z');
  let built: App;
  let ids: Awaited<ReturnType<typeof insertSmallDirectory>>;
  let member: FormClient;
  let colleague: FormClient;
  let moderator: FormClient;
  let farModerator: FormClient;
  before(async () => {
    const db = database().db;
    ids = await insertSmallDirectory(db);
    built = await buildTestApp(database(), { clock, mailTransport: memoryTransport() });
    ({ member, colleague, moderator, farModerator } = await signInListingPeople(built.app, db, ids.organizationId, clock));
  });
  after(async () => built.app.close());

  const editFields = (page: string, changes: Record<string, string>) => formAnswers(page, ['name', 'summary', 'description', 'email', 'url'], changes);

  test('claim-free path: an unapproved organisation’s edit waits; the moderator of its area publishes it; the history restores it', async () => {
    const mine = await member.get('/manage/listings');
    assert.equal(mine.statusCode, 200);
    assert.match(mine.body, new RegExp(`/manage/services/${ids.carersServiceId}/edit`));
    assert.match(mine.body, /href="\/manage\/listings"/, 'the header links to it');
    const form = await member.get(`/manage/services/${ids.carersServiceId}/edit`);
    assert.equal(form.statusCode, 200);
    const fields = editFields(form.body, { name: 'Carers support and short breaks (Irvine)' });
    const check = await member.post(`/manage/services/${ids.carersServiceId}/check`, fields);
    assert.equal(check.statusCode, 200);
    assert.match(check.body, /Check your answers/);
    assert.match(check.body, /A moderator checks your changes/);
    const saved = await member.post(`/manage/services/${ids.carersServiceId}/save`, fields);
    assert.equal(saved.statusCode, 303);
    const live = await database().db.selectFrom('service').select('name').where('id', '=', ids.carersServiceId).executeTakeFirstOrThrow();
    assert.equal(live.name, "Carers' support and short breaks", 'a pending edit is not published');
    const publicPage = await built.app.inject({ url: `/services/${ids.carersServiceId}` });
    assert.doesNotMatch(publicPage.body, /\(Irvine\)/);

    const far = await farModerator.get('/moderate');
    assert.equal(far.statusCode, 200);
    assert.doesNotMatch(far.body, /\(Irvine\)/, 'a moderator sees only their own council areas');

    const desk = await moderator.get('/moderate');
    assert.match(desk.body, /Carers support and short breaks \(Irvine\)/);
    const versionId = /action="\/moderate\/edits\/([0-9a-f-]+)"/.exec(desk.body)![1]!;
    const refused = await farModerator.post(`/moderate/edits/${versionId}`, { decision: 'approve', reason: '', _csrf: farModerator.csrf! });
    assert.equal(refused.statusCode, 403);
    const approved = await moderator.post(`/moderate/edits/${versionId}`, { decision: 'approve', reason: 'Looks right' });
    assert.equal(approved.statusCode, 303);
    const published = await built.app.inject({ url: `/services/${ids.carersServiceId}` });
    assert.match(published.body, /Carers support and short breaks \(Irvine\)/);
    const mail = await database().db.selectFrom('mail_outbox').select('subject').where('to_address', '=', 'worker@irvine-carers.example.org').execute();
    assert.ok(mail.some((m) => /is published/.test(m.subject)));

    const history = await member.get(`/manage/services/${ids.carersServiceId}/history`);
    assert.equal(history.statusCode, 200);
    assert.match(history.body, /Version 2 \(published now\)/);
    assert.match(history.body, /<del>Carers(&#39;|')? support and short breaks<\/del>/);
    const restored = await moderator.post(`/manage/services/${ids.carersServiceId}/restore`, { version: '1' });
    assert.equal(restored.statusCode, 303);
    const back = await database().db.selectFrom('service').select(['name', 'updated_at']).where('id', '=', ids.carersServiceId).executeTakeFirstOrThrow();
    assert.equal(back.name, "Carers' support and short breaks");
    const versions = await database().db.selectFrom('listing_version').select(['version', 'status', 'note']).where('record_id', '=', ids.carersServiceId).orderBy('version').execute();
    assert.deepEqual(versions.map((v) => [v.version, v.status]), [[1, 'published'], [2, 'published'], [3, 'published']]);
    assert.equal(versions[2]!.note, 'Restored version 1');
    const audit = await database().db.selectFrom('audit_event').select('action').execute();
    for (const action of ['listing.submitted', 'listing.approved', 'listing.restored']) assert.ok(audit.some((e) => e.action === action), action);
  });

  test('an approved organisation publishes at once; a second save from the same starting version is refused with what changed', async () => {
    await built.services.listings.approveOrganisation(null, ids.organizationId);
    const first = await member.get(`/manage/services/${ids.helplineId}/edit`);
    const second = await colleague.get(`/manage/services/${ids.helplineId}/edit`);
    const mine = editFields(first.body, { summary: 'Free advice by phone, weekdays 9 to 5.' });
    const theirs = editFields(second.body, { summary: 'Call us any weekday.' });
    assert.equal((await member.post(`/manage/services/${ids.helplineId}/save`, mine)).statusCode, 303);
    const live = await database().db.selectFrom('service').select('summary').where('id', '=', ids.helplineId).executeTakeFirstOrThrow();
    assert.equal(live.summary, 'Free advice by phone, weekdays 9 to 5.');

    const conflict = await colleague.post(`/manage/services/${ids.helplineId}/save`, theirs);
    assert.equal(conflict.statusCode, 409);
    assert.match(conflict.body, /Someone else changed this listing/);
    assert.match(conflict.body, /Now: Free advice by phone, weekdays 9 to 5\./);
    assert.match(conflict.body, /Yours: Call us any weekday\./);
    const still = await database().db.selectFrom('service').select('summary').where('id', '=', ids.helplineId).executeTakeFirstOrThrow();
    assert.equal(still.summary, 'Free advice by phone, weekdays 9 to 5.', 'never silently overwritten');
    // Saving again from the page the conflict showed works.
    const retry = await colleague.post(`/manage/services/${ids.helplineId}/save`, editFields(conflict.body, { summary: 'Call us any weekday.' }));
    assert.equal(retry.statusCode, 303);
  });

  test('review cycle: reminders at the due date, +2 and +4 weeks, then moderators, then hidden; "Still correct" revives', async () => {
    const db = database().db;
    const listings = built.services.listings;
    await db.updateTable('service').set({ last_reviewed_at: '2026-06-01' }).where('id', '=', ids.carersServiceId).execute();
    const reminders = async () => (await db.selectFrom('mail_outbox').select('subject').where('subject', '=', 'Please check a listing is still correct').execute()).length;
    const moderatorMail = async () => (await db.selectFrom('mail_outbox').select('id').where('to_address', '=', 'mod@north-ayrshire.example').where('subject', 'like', '%overdue%').execute()).length;
    const before = await reminders();
    clock.set('2026-11-30T06:00:00Z');
    await listings.runReviewCycle();
    assert.equal(await reminders(), before, 'nothing before the due date');
    clock.set('2026-12-01T06:00:00Z');
    await listings.runReviewCycle();
    await listings.runReviewCycle();
    assert.equal(await reminders(), before + 2, 'one reminder to each of the organisation’s two people, once');
    clock.set('2026-12-15T06:00:00Z');
    await listings.runReviewCycle();
    clock.set('2026-12-29T06:00:00Z');
    await listings.runReviewCycle();
    assert.equal(await reminders(), before + 6);
    assert.equal(await moderatorMail(), 0);
    clock.set('2027-01-12T06:00:00Z');
    await listings.runReviewCycle();
    assert.equal(await moderatorMail(), 1, 'moderators of the area are told after the third reminder');
    // Sessions have timed out over these weeks: sign in again.
    const mod = new FormClient(built.app);
    await signIn(mod, { email: 'mod@north-ayrshire.example' }, clock);
    const overdueDesk = await mod.get('/moderate');
    assert.match(overdueDesk.body, /Listings overdue for review/);
    assert.match(overdueDesk.body, new RegExp(`/manage/services/${ids.carersServiceId}/edit`));

    clock.set('2027-01-26T06:00:00Z');
    const outcome = await listings.runReviewCycle();
    assert.equal(outcome.inactivated, 1);
    const hidden = await db.selectFrom('service').select('status').where('id', '=', ids.carersServiceId).executeTakeFirstOrThrow();
    assert.equal(hidden.status, 'inactive');
    const search = await built.app.inject({ url: '/api/v1/search?q=carers' });
    assert.ok(!JSON.parse(search.body).results.some((s: { id: string }) => s.id === ids.carersServiceId), 'hidden from search');

    const worker = new FormClient(built.app);
    const account = await createAccount(db, 'late@irvine-carers.example.org', { totp: true, roles: [{ role: 'organisation_member', organizationId: ids.organizationId }] });
    await signIn(worker, account, clock);
    const page = await worker.get(`/manage/services/${ids.carersServiceId}/edit`);
    assert.match(page.body, /This listing is hidden/);
    const revived = await worker.post(`/manage/services/${ids.carersServiceId}/still-correct`);
    assert.equal(revived.statusCode, 303);
    const row = await db.selectFrom('service').select(['status', 'last_reviewed_at']).where('id', '=', ids.carersServiceId).executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'active', last_reviewed_at: '2027-01-26' });
    const found = await built.app.inject({ url: '/api/v1/search?q=carers' });
    assert.ok(JSON.parse(found.body).results.some((s: { id: string }) => s.id === ids.carersServiceId), 'searchable again at once');
  });

  test('problem reports: from the public page to the organisation, a reply to the reporter, moderators told when unanswered; spam held back', async () => {
    const db = database().db;
    clock.set('2026-11-24T09:00:00Z');
    const servicePage = await built.app.inject({ url: `/services/${ids.helplineId}` });
    assert.match(servicePage.body, new RegExp(`href="/services/${ids.helplineId}/report"`));
    const form = await built.app.inject({ url: `/services/${ids.helplineId}/report` });
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Report a problem with this page/);
    const post = (fields: Record<string, string>, headers: Record<string, string> = { 'sec-fetch-site': 'same-origin' }) =>
      built.app.inject({ method: 'POST', url: `/services/${ids.helplineId}/report`, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload: new URLSearchParams(fields).toString() });
    assert.equal((await post({ kind: 'closed' }, { 'sec-fetch-site': 'cross-site' })).statusCode, 403);
    const missing = await post({ details: 'x' });
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /Select what is wrong/);
    const mailBefore = (await db.selectFrom('mail_outbox').select('id').execute()).length;
    assert.equal((await post({ kind: 'wrong_details', details: 'The phone number is out of date.', replyEmail: 'Reporter@example.net' })).statusCode, 200);
    assert.equal((await post({ kind: 'other', details: 'cheap watches', website: 'http://spam.example' })).statusCode, 200);
    const reports = await db.selectFrom('problem_report').select(['status', 'reply_email']).orderBy('created_at').execute();
    assert.deepEqual(reports.map((r) => r.status).sort(), ['held', 'open']);
    const toOrganisation = await db.selectFrom('mail_outbox').select(['to_address', 'text_body']).where('subject', '=', 'Someone reported a problem with a listing').execute();
    assert.equal(toOrganisation.length, 3, 'to each of the organisation’s three people, once (spam is not sent on)');
    assert.ok(toOrganisation.every((m) => !/phone number/.test(m.text_body)), 'a link, not the report');
    assert.ok((await db.selectFrom('mail_outbox').select('id').execute()).length - mailBefore === 3);

    clock.set('2026-12-05T09:00:00Z');
    await built.services.listings.runReviewCycle();
    const told = await db.selectFrom('mail_outbox').select('to_address').where('subject', '=', 'A problem report was not answered').execute();
    assert.deepEqual(told.map((m) => m.to_address), ['mod@north-ayrshire.example']);
    const mod = new FormClient(built.app);
    await signIn(mod, { email: 'mod@north-ayrshire.example' }, clock);
    const desk = await mod.get('/moderate');
    assert.match(desk.body, /The phone number is out of date\./);
    const page = await mod.get(`/manage/services/${ids.helplineId}/edit`);
    const reportId = /action="\/manage\/reports\/([0-9a-f-]+)\/answer"/.exec(page.body)![1]!;
    assert.equal((await mod.post(`/manage/reports/${reportId}/answer`, { answer: 'Thank you, the number is corrected.' })).statusCode, 303);
    const reply = await db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', 'reporter@example.net').executeTakeFirstOrThrow();
    assert.match(reply.text_body, /the number is corrected/);
  });

  test('claim → approve → edit publishes at once → restore; a revoked claim takes the role away', async () => {
    const db = database().db;
    clock.set('2026-11-24T09:00:00Z');
    const org = await db.insertInto('organization').values({ name: 'Kilwinning Mens Shed', website: 'https://www.kilwinningshed.example', email: 'info@kilwinningshed.example' }).returning('id').executeTakeFirstOrThrow();
    const place = await db.insertInto('location').values({ organization_id: org.id, name: 'The Shed', latitude: 55.65, longitude: -4.7, council_area_code: 'north-ayrshire' }).returning('id').executeTakeFirstOrThrow();
    const service = await db.insertInto('service').values({ organization_id: org.id, name: 'Woodwork sessions', last_reviewed_at: '2026-10-01' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('service_at_location').values({ service_id: service.id, location_id: place.id }).execute();

    const claimant = new FormClient(built.app);
    await signIn(claimant, await createAccount(db, 'chair@kilwinningshed.example', { totp: true }), clock);
    assert.match((await built.app.inject({ url: `/organisations/${org.id}` })).body, /Claim this organisation/);
    const form = await claimant.get(`/organisations/${org.id}/claim`);
    assert.equal(form.statusCode, 200);
    assert.equal((await claimant.post(`/organisations/${org.id}/claim`, { statedRole: '' })).statusCode, 400);
    assert.equal((await claimant.post(`/organisations/${org.id}/claim`, { statedRole: 'Chair' })).statusCode, 303);
    assert.equal((await claimant.get(`/manage/services/${service.id}/edit`)).statusCode, 403, 'no say over the listing before approval');

    const mod = new FormClient(built.app);
    await signIn(mod, { email: 'mod@north-ayrshire.example' }, clock);
    const desk = await mod.get('/moderate');
    assert.match(desk.body, /chair@kilwinningshed.example \(Chair\)/);
    assert.match(desk.body, /kilwinningshed.example \(same domain\)/);
    const claimId = /action="\/moderate\/claims\/([0-9a-f-]+)"/.exec(desk.body)![1]!;
    assert.equal((await mod.post(`/moderate/claims/${claimId}`, { decision: 'approve', reason: 'Matches the website' })).statusCode, 303);
    const approvedMail = await db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', 'chair@kilwinningshed.example').executeTakeFirstOrThrow();
    assert.match(approvedMail.text_body, /Reason: Matches the website/);

    const edit = await claimant.get(`/manage/services/${service.id}/edit`);
    assert.equal(edit.statusCode, 200);
    const fields = editFields(edit.body, { summary: 'Tools, tea and company on Tuesdays.' });
    assert.match((await claimant.post(`/manage/services/${service.id}/check`, fields)).body, /published as soon as you save/);
    assert.equal((await claimant.post(`/manage/services/${service.id}/save`, fields)).statusCode, 303);
    assert.match((await built.app.inject({ url: `/services/${service.id}` })).body, /Tools, tea and company on Tuesdays\./);
    assert.equal((await claimant.post(`/manage/services/${service.id}/restore`, { version: '1' })).statusCode, 303);
    assert.doesNotMatch((await built.app.inject({ url: `/services/${service.id}` })).body, /Tools, tea and company/);

    assert.equal((await mod.post(`/moderate/claims/${claimId}`, { decision: 'revoke', reason: 'Left the organisation' })).statusCode, 303);
    assert.equal((await claimant.get(`/manage/services/${service.id}/edit`)).statusCode, 403);
  });

  test('signed-out visitors and people of other organisations may not edit', async () => {
    clock.set('2026-11-24T09:00:00Z');
    farModerator = new FormClient(built.app);
    await signIn(farModerator, { email: 'mod@shetland.example' }, clock);
    // A search that finds nothing reaches the desk of the area's moderators: words and area only.
    await built.app.inject({ url: '/api/v1/search?q=Llama%20trekking&near=Irvine' });
    await built.app.inject({ url: '/search?q=llama  trekking&near=Irvine' });
    const misses = await database().db.selectFrom('search_miss').selectAll().execute();
    assert.deepEqual(misses.map((m) => [m.words, m.area, m.council_area_code, m.times]), [['llama trekking', 'North Ayrshire', 'north-ayrshire', 2]]);
    const farDesk = await farModerator.get('/moderate');
    assert.doesNotMatch(farDesk.body, /llama trekking/);
    const nearModerator = new FormClient(built.app);
    await signIn(nearModerator, { email: 'mod@north-ayrshire.example' }, clock);
    assert.match((await nearModerator.get('/moderate')).body, /llama trekking/);

    const anonymous = await built.app.inject({ url: `/manage/services/${ids.carersServiceId}/edit`, headers: { accept: 'text/html' } });
    assert.equal(anonymous.statusCode, 303);
    const far = await farModerator.get(`/manage/services/${ids.carersServiceId}/edit`);
    assert.equal(far.statusCode, 403);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../platform/clock.ts';
import { expectNoAxeViolations, startBrowserTest, type BrowserTest } from '../platform/testing/browser.ts';
import { createAccount } from '../accounts/testing/helpers.ts';
import { DevMailPage } from '../accounts/testing/pages.ts';
import { insertSmallDirectory } from '../directory/testing/fixtures.ts';
import { QuestionPages, signInAs } from './testing/pages.ts';

describe('the review cycle in a browser, with the clock moved', { timeout: 300_000 }, () => {
  const clock = fixedClock('2026-11-24T09:00:00Z');
  let site: BrowserTest;
  let ids: Awaited<ReturnType<typeof insertSmallDirectory>>;
  before(async () => {
    site = await startBrowserTest({ app: { clock } });
    ids = await insertSmallDirectory(site.database.db);
  });
  after(async () => site?.close());

  const publicPage = async (id: string) => (await fetch(site.url(`/services/${id}`))).text();
  const found = async (q: string) => ((await (await fetch(site.url(`/api/v1/search?q=${q}`))).json()) as { results: Array<{ id: string }> }).results.map((r) => r.id);

  test('the reminder at the due date → the editor follows it → "Still correct" → last reviewed today; unreviewed after the grace period → hidden → revived', async () => {
    const db = site.database.db;
    const listings = site.built.services.listings;
    await db.updateTable('service').set({ last_reviewed_at: '2026-06-01' }).where('id', 'in', [ids.carersServiceId, ids.helplineId]).execute();
    const member = await createAccount(db, 'worker@irvine-carers.example.org', { totp: true, roles: [{ role: 'organisation_member', organizationId: ids.organizationId }] });

    // Due on 1 December (six months after the last check): the first reminder goes that day.
    clock.set('2026-11-30T07:00:00Z');
    await listings.runReviewCycle();
    assert.equal((await db.selectFrom('mail_outbox').select('id').where('subject', '=', 'Please check a listing is still correct').execute()).length, 0);
    clock.set('2026-12-01T07:00:00Z');
    await listings.runReviewCycle();
    const queued = await db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', member.email).where('subject', '=', 'Please check a listing is still correct').execute();
    assert.equal(queued.length, 2, 'one for each overdue service');

    // The editor reads it the next morning: the listing is overdue now.
    clock.set('2026-12-02T09:00:00Z');
    const context = await site.newContext();
    const page = await context.newPage();
    const mail = new DevMailPage(page);
    await mail.openNewest(/Please check a listing is still correct/);
    const href = (await page.locator('a[href*="/manage/services/"]').first().getAttribute('href'))!;
    const serviceId = /\/manage\/services\/([0-9a-f-]+)\/edit/.exec(href)![1]!;
    // Links in emails are made from PUBLIC_URL (unset here): follow the same path on the test server.
    await page.goto(new URL(href).pathname);
    assert.equal(new URL(page.url()).pathname, '/sign-in');
    await signInAs(page, member, clock);
    assert.equal(new URL(page.url()).pathname, `/manage/services/${serviceId}/edit`, 'back to the listing after signing in');
    const review = page.locator('#review');
    assert.match(await review.textContent() ?? '', /was due to be checked on 2026-12-01/);
    assert.match(await review.textContent() ?? '', /Last checked 2026-06-01/);
    await expectNoAxeViolations(page);
    await page.goto('/manage/listings');
    assert.match(await page.locator('table').first().textContent() ?? '', /Overdue/);
    await expectNoAxeViolations(page);
    assert.match(await publicPage(serviceId), /Last checked[\s\S]*?1 June 2026/);

    await page.goto(`/manage/services/${serviceId}/edit`);
    await page.getByRole('button', { name: 'Still correct' }).click();
    const pages = new QuestionPages(page);
    assert.match(await pages.banner(), /marked as checked today/);
    assert.match(await review.textContent() ?? '', /Check this listing by 2027-06-02\.\s*Last checked 2026-12-02/);
    assert.match(await publicPage(serviceId), /Last checked[\s\S]*?2 December 2026/);
    const other = serviceId === ids.carersServiceId ? ids.helplineId : ids.carersServiceId;

    // The other listing is not checked: reminders two and four weeks later, moderators told, then hidden after 56 days.
    for (const day of ['2026-12-15', '2026-12-29', '2027-01-12']) {
      clock.set(`${day}T07:00:00Z`);
      await listings.runReviewCycle();
    }
    assert.equal((await db.selectFrom('mail_outbox').select('id').where('to_address', '=', member.email).where('subject', '=', 'Please check a listing is still correct').execute()).length, 4);
    const words = other === ids.helplineId ? 'helpline' : 'carers';
    assert.ok((await found(words)).includes(other), 'still searchable before the grace period ends');
    clock.set('2027-01-26T07:00:00Z');
    assert.equal((await listings.runReviewCycle()).inactivated, 1);
    assert.ok(!(await found(words)).includes(other), 'hidden from search');

    // Weeks have passed: the session has timed out. Sign in again; the listing says it is hidden; one click revives it.
    await page.goto(`/manage/services/${other}/edit`);
    await signInAs(page, member, clock);
    assert.equal(new URL(page.url()).pathname, `/manage/services/${other}/edit`);
    assert.match(await review.textContent() ?? '', /This listing is hidden because it was not checked in time/);
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Still correct' }).click();
    assert.match(await pages.banner(), /marked as checked today/);
    assert.match(await review.textContent() ?? '', /Last checked 2027-01-26/);
    const row = await db.selectFrom('service').select('status').where('id', '=', other).executeTakeFirstOrThrow();
    assert.equal(row.status, 'active');
    assert.ok((await found(words)).includes(other), 'searchable again at once');
    await context.close();
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../platform/clock.ts';
import { expectNoAxeViolations, startBrowserTest, type BrowserTest } from '../platform/testing/browser.ts';
import { createAccount } from '../accounts/testing/helpers.ts';
import { insertSmallDirectory } from '../directory/testing/fixtures.ts';
import { ModeratorDesk, QuestionPages, signInAs } from './testing/pages.ts';

describe('organisations and places in a browser', { timeout: 300_000 }, () => {
  const clock = fixedClock(new Date());
  let site: BrowserTest;
  let ids: Awaited<ReturnType<typeof insertSmallDirectory>>;
  before(async () => {
    site = await startBrowserTest({ app: { clock } });
    ids = await insertSmallDirectory(site.database.db);
  });
  after(async () => site?.close());

  // Public pages may be cached for five minutes by a browser: ask the server itself.
  const live = async (path: string) => (await fetch(site.url(path))).text();

  test('organisation details: question pages → check your answers → waiting → the moderator publishes; axe on each page', async () => {
    const db = site.database.db;
    const member = await createAccount(db, 'worker@irvine-carers.example.org', { totp: true, roles: [{ role: 'organisation_member', organizationId: ids.organizationId }] });
    await createAccount(db, 'mod@north-ayrshire.example', { roles: [{ role: 'moderator', councilAreaCode: 'north-ayrshire' }] });
    const context = await site.newContext();
    const page = await context.newPage();
    const pages = new QuestionPages(page);
    await signInAs(page, member, clock);
    await page.goto('/manage/listings');
    await expectNoAxeViolations(page);
    await page.getByRole('link', { name: /Change the organisation’s details/ }).click();
    assert.equal(await pages.heading(), "Edit Irvine Carers' Centre");
    await expectNoAxeViolations(page);
    await pages.answer('Website', 'irvine-carers');
    await pages.continue();
    assert.match(await page.locator('.govuk-error-summary').textContent() ?? '', /Enter a website address starting with https:\/\//);
    await expectNoAxeViolations(page);
    await pages.answer('Website', 'https://irvinecarers.example.org');
    await pages.answer('Description', 'Support, advice and short breaks for unpaid carers across North Ayrshire and Arran.');
    await pages.continue();
    assert.equal(await pages.heading(), 'Check your answers');
    await expectNoAxeViolations(page);
    await pages.save();
    assert.match(await pages.banner(), /once a moderator has checked them/);
    assert.doesNotMatch(await live(`/organisations/${ids.organizationId}`), /and Arran/);

    const modPage = await (await site.newContext()).newPage();
    await signInAs(modPage, { email: 'mod@north-ayrshire.example' }, clock);
    const desk = new ModeratorDesk(modPage);
    await desk.open();
    await expectNoAxeViolations(modPage);
    await desk.publish("Irvine Carers' Centre");
    assert.match(await new QuestionPages(modPage).banner(), /The edit is published/);
    assert.match(await live(`/organisations/${ids.organizationId}`), /short breaks for unpaid carers across North Ayrshire and Arran\./);
    await context.close();
  });

  test('places: an approved organisation’s edit publishes at once, a conflicting edit is refused, the history restores, a new place is added', async () => {
    const db = site.database.db;
    await site.built.services.listings.approveOrganisation(null, ids.organizationId);
    const admin = await createAccount(db, 'lead@irvine-carers.example.org', { totp: true, roles: [{ role: 'organisation_admin', organizationId: ids.organizationId }] });
    const context = await site.newContext();
    const first = await context.newPage();
    await signInAs(first, admin, clock);
    const second = await context.newPage();
    await first.goto('/manage/listings');
    await first.getByRole('link', { name: 'The Carers Hub' }).click();
    assert.equal(await new QuestionPages(first).heading(), 'Edit The Carers Hub');
    await expectNoAxeViolations(first);
    await second.goto(`/manage/locations/${ids.centreId}/edit`);

    const mine = new QuestionPages(first);
    await mine.answer('Getting there', 'Five minutes’ walk from Irvine station; step-free entrance on Bridgegate.');
    await mine.continue();
    assert.match(await first.locator('.govuk-summary-list').textContent() ?? '', /Five minutes’ walk from Irvine station/);
    await mine.save();
    assert.match(await mine.banner(), /Your changes are published/);
    assert.match(await live(`/locations/${ids.centreId}`), /Five minutes’ walk from Irvine station/);

    const theirs = new QuestionPages(second);
    await theirs.answer('Getting there', 'Parking behind the building.');
    await theirs.continue();
    await theirs.save();
    const conflict = await second.locator('#conflict').textContent() ?? '';
    assert.match(conflict, /Someone else changed this listing/);
    assert.match(conflict, /Now: Five minutes’ walk from Irvine station/);
    assert.match(conflict, /Yours: Parking behind the building\./);
    await expectNoAxeViolations(second);

    await first.getByRole('link', { name: 'History of this place' }).click();
    await expectNoAxeViolations(first);
    await first.getByRole('button', { name: 'Restore version 1' }).click();
    assert.match(await mine.banner(), /Version 1 is restored as version 3/);
    assert.doesNotMatch(await live(`/locations/${ids.centreId}`), /Irvine station/);

    await first.goto('/manage/listings');
    await first.getByRole('link', { name: /^Add a place/ }).click();
    assert.equal(await mine.heading(), 'Add a place');
    await expectNoAxeViolations(first);
    await mine.answer('Name', 'Kilwinning Library');
    await mine.answer('Building and street', 'St Winnings Lane');
    await mine.answer('Town or city', 'Kilwinning');
    await mine.answer('Postcode', 'KA13 6EP');
    await mine.continue();
    assert.equal(await mine.heading(), 'Check your answers');
    await expectNoAxeViolations(first);
    await mine.save();
    assert.match(await mine.banner(), /The place is added and published/);
    const placeId = /\/manage\/locations\/([0-9a-f-]+)\/edit/.exec(first.url())![1]!;
    assert.match(await live(`/locations/${placeId}`), /St Winnings Lane/);
    await context.close();
  });
});

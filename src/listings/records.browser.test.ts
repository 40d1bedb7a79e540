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

  test('a person proposes their organisation, a moderator adds it, and its new service is ticked at its place; axe on each new page', async () => {
    const db = site.database.db;
    const founder = await createAccount(db, 'founder@garnock-tenants.example', { totp: true });
    await createAccount(db, 'mod2@north-ayrshire.example', { roles: [{ role: 'moderator', councilAreaCode: 'north-ayrshire' }] });
    const context = await site.newContext();
    const page = await context.newPage();
    const pages = new QuestionPages(page);
    await signInAs(page, founder, clock);
    await page.goto('/manage/listings');
    await expectNoAxeViolations(page);
    await page.getByRole('link', { name: 'Your organisation is not listed? Add it' }).click();
    assert.equal(await pages.heading(), 'Add an organisation');
    await expectNoAxeViolations(page);
    await pages.answer('Name', 'Garnock Tenants Forum');
    await pages.answer('Where it works', 'Atlantis');
    await pages.continue();
    assert.match(await page.locator('.govuk-error-summary').textContent() ?? '', /Enter a full postcode, like KA12 8AA, or the name of a council area/);
    await expectNoAxeViolations(page);
    await pages.answer('Where it works', 'KA24 5AA');
    await pages.answer('Website', 'https://garnock-tenants.example');
    await pages.continue();
    assert.equal(await pages.heading(), 'Check your answers');
    await expectNoAxeViolations(page);
    await pages.save();
    assert.match(await pages.banner(), /A moderator will check it before it is listed/);
    assert.match(await page.locator('main').textContent() ?? '', /Waiting for a moderator: “Garnock Tenants Forum”/);

    const modPage = await (await site.newContext()).newPage();
    await signInAs(modPage, { email: 'mod2@north-ayrshire.example' }, clock);
    const desk = new ModeratorDesk(modPage);
    await desk.open();
    await expectNoAxeViolations(modPage);
    await desk.publish('Garnock Tenants Forum');
    const forum = await db.selectFrom('organization').select('id').where('name', '=', 'Garnock Tenants Forum').executeTakeFirstOrThrow();
    assert.match(await live(`/organisations/${forum.id}`), /Garnock Tenants Forum/);

    await db.insertInto('location').values({ organization_id: forum.id, name: 'Dalry Community Hall', latitude: 55.71, longitude: -4.72, council_area_code: 'north-ayrshire' }).execute();
    await page.goto('/manage/listings');
    await page.getByRole('link', { name: /^Add a service/ }).click();
    await expectNoAxeViolations(page);
    await pages.answer('Name', 'Tenants’ advice surgery');
    await page.getByLabel('Dalry Community Hall').check();
    await pages.continue();
    assert.match(await page.locator('.govuk-summary-list').textContent() ?? '', /Where it is delivered\s*Dalry Community Hall/);
    await pages.save();
    assert.match(await pages.banner(), /The service is added and published/);
    const serviceId = /\/manage\/services\/([0-9a-f-]+)\/edit/.exec(page.url())![1]!;
    assert.ok(await page.getByLabel('Dalry Community Hall').isChecked());
    assert.match(await live(`/services/${serviceId}`), /Dalry Community Hall/);
    await context.close();
  });
});

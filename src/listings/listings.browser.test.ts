import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../platform/clock.ts';
import { expectNoAxeViolations, startBrowserTest, type BrowserTest } from '../platform/testing/browser.ts';
import { createAccount, TEST_PASSWORD } from '../accounts/testing/helpers.ts';
import { SignInPage } from '../accounts/testing/pages.ts';
import { totpCode } from '../accounts/two-factor.ts';
import { insertSmallDirectory } from '../directory/testing/fixtures.ts';

describe('listings in a browser', { timeout: 300_000 }, () => {
  const clock = fixedClock(new Date());
  let site: BrowserTest;
  let ids: Awaited<ReturnType<typeof insertSmallDirectory>>;
  before(async () => {
    site = await startBrowserTest({ app: { clock } });
    ids = await insertSmallDirectory(site.database.db);
  });
  after(async () => site?.close());

  test('report a problem → edit with check your answers → the moderator publishes → restore from the history; axe on every page', async () => {
    const db = site.database.db;
    const member = await createAccount(db, 'worker@irvine-carers.example.org', { totp: true, roles: [{ role: 'organisation_member', organizationId: ids.organizationId }] });
    await createAccount(db, 'mod@north-ayrshire.example', { roles: [{ role: 'moderator', councilAreaCode: 'north-ayrshire' }] });

    // The public reports a problem.
    const visitor = await site.newPage();
    await visitor.goto(`/services/${ids.carersServiceId}`);
    await visitor.getByRole('link', { name: 'Report a problem with this page' }).click();
    await expectNoAxeViolations(visitor);
    await visitor.getByLabel('The service has moved').check();
    await visitor.getByLabel('Tell us more (optional)').fill('They are now at the library.');
    await visitor.getByRole('button', { name: 'Send report' }).click();
    assert.match((await visitor.locator('h1').textContent())!, /Thank you for your report/);
    await expectNoAxeViolations(visitor);

    // A member edits the service; the organisation is not approved, so it waits.
    const context = await site.newContext();
    const page = await context.newPage();
    const signIn = new SignInPage(page);
    await signIn.open();
    await signIn.signIn(member.email, TEST_PASSWORD);
    await signIn.enterCode(totpCode(member.totpSecret!, clock.now()));
    await page.goto(`/manage/services/${ids.carersServiceId}/edit`);
    await expectNoAxeViolations(page);
    assert.match(await page.locator('#reports').textContent() ?? '', /Problems reported/);
    await page.getByLabel('Summary').fill('Advice and short breaks for unpaid carers in Irvine.');
    await page.getByRole('button', { name: 'Continue' }).click();
    assert.equal(await page.locator('h1').textContent(), 'Check your answers');
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Save changes' }).click();
    assert.match(await page.locator('.govuk-notification-banner').textContent() ?? '', /once a moderator has checked them/);

    // The moderator publishes it from the desk, then restores the first version from the history.
    const modContext = await site.newContext();
    const mod = await modContext.newPage();
    const modSignIn = new SignInPage(mod);
    await modSignIn.open();
    await modSignIn.signIn('mod@north-ayrshire.example', TEST_PASSWORD);
    await mod.goto('/moderate');
    await expectNoAxeViolations(mod);
    await mod.getByRole('button', { name: /^Publish/ }).click();
    assert.match(await mod.locator('.govuk-notification-banner').textContent() ?? '', /The edit is published/);
    // Public pages may be cached for five minutes by a browser: ask the server itself.
    const live = async () => (await fetch(site.url(`/services/${ids.carersServiceId}`))).text();
    assert.match(await live(), /short breaks for unpaid carers in Irvine/);

    await mod.goto(`/manage/services/${ids.carersServiceId}/history`);
    await expectNoAxeViolations(mod);
    await mod.getByRole('button', { name: 'Restore version 1' }).click();
    assert.match(await mod.locator('.govuk-notification-banner').textContent() ?? '', /Version 1 is restored as version 3/);
    assert.doesNotMatch(await live(), /in Irvine\./);
    await context.close();
    await modContext.close();
  });

  test('claim → the moderator approves → edits publish at once → a conflicting edit is refused with what changed → still correct', async () => {
    const db = site.database.db;
    const org = await db.insertInto('organization').values({ name: 'Kilwinning Mens Shed', website: 'https://kilwinningshed.example', email: 'info@kilwinningshed.example' }).returning('id').executeTakeFirstOrThrow();
    const place = await db.insertInto('location').values({ organization_id: org.id, name: 'The Shed', latitude: 55.65, longitude: -4.7, council_area_code: 'north-ayrshire' }).returning('id').executeTakeFirstOrThrow();
    const service = await db.insertInto('service').values({ organization_id: org.id, name: 'Woodwork sessions', last_reviewed_at: '2025-01-01' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('service_at_location').values({ service_id: service.id, location_id: place.id }).execute();
    const chair = await createAccount(db, 'chair@kilwinningshed.example', { totp: true });

    const context = await site.newContext();
    const page = await context.newPage();
    const signIn = new SignInPage(page);
    await signIn.open();
    await signIn.signIn(chair.email, TEST_PASSWORD);
    await signIn.enterCode(totpCode(chair.totpSecret!, clock.now()));
    await page.goto(`/organisations/${org.id}`);
    await page.getByRole('link', { name: /Claim this organisation/ }).click();
    await expectNoAxeViolations(page);
    await page.getByLabel('Your role in the organisation').fill('Chair');
    await page.getByRole('button', { name: 'Send claim' }).click();

    const modContext = await site.newContext();
    const mod = await modContext.newPage();
    const modSignIn = new SignInPage(mod);
    await modSignIn.open();
    await modSignIn.signIn('mod@north-ayrshire.example', TEST_PASSWORD);
    await mod.goto('/moderate');
    assert.match(await mod.locator('#claims + div').textContent() ?? '', /same domain/);
    await expectNoAxeViolations(mod);
    await mod.getByRole('button', { name: /^Approve/ }).click();
    assert.match(await mod.locator('.govuk-notification-banner').textContent() ?? '', /The claim is approved/);

    // Two tabs on the same listing: the second save is refused, never silently overwriting the first.
    const first = page;
    const second = await context.newPage();
    await first.goto(`/manage/services/${service.id}/edit`);
    await second.goto(`/manage/services/${service.id}/edit`);
    await first.getByLabel('Summary').fill('Tools, tea and company on Tuesdays.');
    await first.getByRole('button', { name: 'Continue' }).click();
    await first.getByRole('button', { name: 'Save changes' }).click();
    assert.match(await first.locator('.govuk-notification-banner').textContent() ?? '', /Your changes are published/);
    await second.getByLabel('Summary').fill('Woodwork on Thursdays.');
    await second.getByRole('button', { name: 'Continue' }).click();
    await second.getByRole('button', { name: 'Save changes' }).click();
    const conflict = await second.locator('#conflict').textContent() ?? '';
    assert.match(conflict, /Someone else changed this listing/);
    assert.match(conflict, /Now: Tools, tea and company on Tuesdays\./);
    assert.match(conflict, /Yours: Woodwork on Thursdays\./);
    await expectNoAxeViolations(second);

    // The listing is overdue for review: one click says it is still correct.
    assert.match(await first.locator('#review').textContent() ?? '', /was due to be checked/);
    await first.getByRole('button', { name: 'Still correct' }).click();
    assert.match(await first.locator('.govuk-notification-banner').textContent() ?? '', /marked as checked today/);
    await expectNoAxeViolations(first);
    await context.close();
    await modContext.close();
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../platform/clock.ts';
import { expectNoAxeViolations, startBrowserTest, type BrowserTest } from '../platform/testing/browser.ts';
import { createAccount } from './testing/helpers.ts';
import { DevMailPage, TwoFactorSetupPage } from './testing/pages.ts';
import { totpCode } from './two-factor.ts';
import { signInAs } from '../listings/testing/pages.ts';

describe('inviting a colleague in a browser', { timeout: 300_000 }, () => {
  const clock = fixedClock(new Date());
  let site: BrowserTest;
  before(async () => {
    site = await startBrowserTest({ app: { clock } });
  });
  after(async () => site?.close());

  test('an admin invites by email → the colleague follows the link, creates an account, sets up two-factor → a second admin; the invitation shows as accepted', async () => {
    const db = site.database.db;
    const organizationId = (await db.insertInto('organization').values({ name: 'Largs Foodbank' }).returning('id').executeTakeFirstOrThrow()).id;
    const lead = await createAccount(db, 'lead@largsfoodbank.example', { totp: true, roles: [{ role: 'organisation_admin', organizationId }] });

    const adminPage = await site.newPage();
    await signInAs(adminPage, lead, clock);
    await adminPage.goto('/manage/listings');
    await adminPage.getByRole('link', { name: /^Invite a colleague/ }).click();
    assert.equal(new URL(adminPage.url()).pathname, `/manage/organisations/${organizationId}/invitations`);
    await expectNoAxeViolations(adminPage);
    await adminPage.getByRole('button', { name: 'Send invitation' }).click();
    assert.match(await adminPage.locator('.govuk-error-summary').textContent() ?? '', /Enter an email address[\s\S]*Choose a role/);
    await expectNoAxeViolations(adminPage);
    await adminPage.getByLabel('Their email address').fill('val@largsfoodbank.example');
    await adminPage.getByLabel('Organisation admin').check();
    await adminPage.getByRole('button', { name: 'Send invitation' }).click();
    assert.match(await adminPage.locator('.govuk-notification-banner').textContent() ?? '', /An invitation has been sent to val@largsfoodbank\.example/);
    assert.match(await adminPage.locator('#invitations').textContent() ?? '', /val@largsfoodbank\.example\s*Organisation admin[\s\S]*Waiting until/);
    await expectNoAxeViolations(adminPage);

    // The colleague, in their own browser, follows the link in the email.
    const page = await site.newPage();
    const mail = new DevMailPage(page);
    await mail.openNewest(/You are invited to join Largs Foodbank/);
    await mail.followLink('/invitations/accept');
    assert.equal((await page.locator('h1').textContent())?.trim(), 'Join Largs Foodbank');
    await expectNoAxeViolations(page);
    await page.getByLabel('Your name').fill('Val');
    await page.getByLabel('Create a password').fill('tidal basket lantern orchard');
    await page.getByRole('button', { name: 'Create account and accept' }).click();
    await page.waitForLoadState();
    // An admin role needs two-factor sign-in: set it up, then the role is in force.
    assert.equal(new URL(page.url()).pathname, '/account/two-factor');
    const setup = new TwoFactorSetupPage(page);
    await setup.confirm(totpCode(await setup.secret(), clock.now()));
    await page.goto('/manage/listings');
    assert.match(await page.locator('h2').first().textContent() ?? '', /Largs Foodbank/);
    await page.getByRole('link', { name: /^Invite a colleague/ }).click();
    assert.equal(new URL(page.url()).pathname, `/manage/organisations/${organizationId}/invitations`, 'the new admin may invite too');

    await adminPage.reload();
    assert.match(await adminPage.locator('#invitations').textContent() ?? '', /val@largsfoodbank\.example[\s\S]*Accepted/);
    await adminPage.goto(`/manage/organisations/${organizationId}`);
    assert.equal(await adminPage.locator('#members tbody tr', { hasText: 'Organisation admin' }).count(), 2, 'two admins');

    // The link works once.
    const again = await site.newPage();
    await again.goto(new URL(page.url()).origin + (await db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', 'val@largsfoodbank.example').executeTakeFirstOrThrow()).text_body.match(/\/invitations\/accept\?token=\S+/)![0]);
    assert.match(await again.locator('h1').textContent() ?? '', /This invitation cannot be used/);
    await expectNoAxeViolations(again);
  });
});

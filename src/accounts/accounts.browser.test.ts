import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../platform/clock.ts';
import { expectNoAxeViolations, startBrowserTest, type BrowserTest } from '../platform/testing/browser.ts';
import { createAccount, createOrganisation } from './testing/helpers.ts';
import { DevMailPage, OrganisationPage, SignInPage, SignUpPage, TwoFactorSetupPage, signOut } from './testing/pages.ts';
import { totpCode } from './two-factor.ts';

const PASSWORD = 'heather bothy kelpie lantern';

// The app's clock is fixed and moved by the test, so authenticator codes never straddle a 30-second
// step and a code is never refused as already used. One app and one browser serve both tests.
describe('accounts in a browser', { timeout: 300_000 }, () => {
const clock = fixedClock(new Date());
let site: BrowserTest;
before(async () => {
  site = await startBrowserTest({ app: { clock } });
});
after(async () => site?.close());

test('sign up → confirm the address → set up two-factor → be granted a role → sign in with two factors', async () => {
  const db = site.database.db;
  const organisation = await createOrganisation(db, 'Arran Community Transport');
  const admin = await createAccount(db, 'admin@arran-transport.example', { totp: true, roles: [{ role: 'organisation_admin', organizationId: organisation }] });

  const page = await site.newPage();
  const signUp = new SignUpPage(page);
  await signUp.open();
  await expectNoAxeViolations(page);
  await signUp.createAccount('Iona Driver', 'iona@example.org', PASSWORD);
  assert.equal(await page.locator('h1').textContent(), 'Check your email');
  await expectNoAxeViolations(page);

  const mail = new DevMailPage(page);
  await mail.openNewest(/Confirm your email address/);
  await mail.followLink('/verify-email');
  assert.match((await page.locator('h1').textContent())!, /has been confirmed/);
  await expectNoAxeViolations(page);

  const signIn = new SignInPage(page);
  await signIn.open();
  await expectNoAxeViolations(page);
  await signIn.signIn('iona@example.org', PASSWORD);
  assert.equal(new URL(page.url()).pathname, '/account');
  await expectNoAxeViolations(page);

  await page.goto('/account/two-factor');
  await expectNoAxeViolations(page);
  const setup = new TwoFactorSetupPage(page);
  const secret = await setup.secret();
  await setup.confirm(totpCode(secret, clock.now()));
  const recoveryCodes = await setup.recoveryCodes();
  assert.equal(recoveryCodes.length, 10);
  await expectNoAxeViolations(page);
  await page.goto('/account');
  await signOut(page);

  // The organisation's admin, in their own browser, grants Iona a role.
  const adminPage = await site.newPage();
  const adminSignIn = new SignInPage(adminPage);
  await adminSignIn.open();
  await adminSignIn.signIn(admin.email, 'correct horse battery staple');
  await adminSignIn.enterCode(totpCode(admin.totpSecret!, clock.now()));
  const organisationPage = new OrganisationPage(adminPage);
  await organisationPage.open(organisation);
  await expectNoAxeViolations(adminPage);
  await organisationPage.grant('iona@example.org', 'Organisation member');
  assert.match((await adminPage.locator('#members').textContent())!, /iona@example.org/);
  await expectNoAxeViolations(adminPage);

  // Iona signs in with her password and a fresh code, and has the role in force.
  clock.advance(60_000);
  await signIn.open();
  await signIn.signIn('iona@example.org', PASSWORD);
  assert.equal(new URL(page.url()).pathname, '/sign-in/two-factor');
  await expectNoAxeViolations(page);
  await signIn.enterCode(totpCode(secret, clock.now()));
  assert.equal(new URL(page.url()).pathname, '/account');
  const roles = (await page.locator('#roles').textContent())!;
  assert.match(roles, /Organisation member in Arran Community Transport/);
  await expectNoAxeViolations(page);
});

test('the admin and account pages have no accessibility violations', async () => {
  clock.advance(60_000);
  const root = await createAccount(site.database.db, 'root@frontdoor.example', { totp: true, roles: [{ role: 'system_admin' }] });
  const board = await createOrganisation(site.database.db, 'NHS Borders', { kind: 'nhs_board' });
  const page = await site.newPage();
  const signIn = new SignInPage(page);
  await signIn.open();
  await signIn.signIn(root.email, 'correct horse battery staple');
  await signIn.enterCode(totpCode(root.totpSecret!, clock.now()));
  for (const path of ['/admin', '/admin/users', `/admin/users/${root.id}`, '/admin/organisations', `/manage/organisations/${board}`, '/admin/taxonomy', '/admin/audit', '/admin/jobs', '/account', '/account/password', '/account/email', '/forgot-password', '/sign-in/sso', '/dev/mail']) {
    await page.goto(path);
    assert.equal(new URL(page.url()).pathname, path);
    await expectNoAxeViolations(page);
  }
  // A form with errors: the error summary and field messages.
  await page.goto('/admin/organisations');
  await page.getByRole('button', { name: 'Add organisation' }).click();
  await page.waitForLoadState();
  assert.equal(await page.locator('.govuk-error-summary').count(), 1);
  await expectNoAxeViolations(page);
});
});

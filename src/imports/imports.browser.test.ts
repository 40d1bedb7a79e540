import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../platform/clock.ts';
import { expectNoAxeViolations, startBrowserTest, type BrowserTest } from '../platform/testing/browser.ts';
import { createAccount, TEST_PASSWORD } from '../accounts/testing/helpers.ts';
import { SignInPage } from '../accounts/testing/pages.ts';
import { totpCode } from '../accounts/two-factor.ts';
import { startFakeFeed, type FakeFeed } from './testing/fake-feed.ts';

describe('importing another directory in a browser', { timeout: 300_000 }, () => {
  const clock = fixedClock(new Date());
  let site: BrowserTest;
  let feed: FakeFeed;
  before(async () => {
    feed = await startFakeFeed([
      { id: 'walk', name: 'Health walks', status: 'active', organization: { id: 'c', name: 'Far Council', description: 'A council far away' } },
      { id: 'lunch', name: 'Lunch club', status: 'active', organization: { id: 'c', name: 'Far Council', description: 'A council far away' } },
      { id: 'broken', name: '', organization: { id: 'c', name: 'Far Council', description: '' } },
    ]);
    feed.fail('/services/lunch', 'error500');
    site = await startBrowserTest({ app: { clock, importCrawl: { backoffMs: 5, timeoutMs: 2_000 } } });
  });
  after(async () => {
    await site?.close();
    await feed?.close();
  });

  test('an admin registers a source pointing at a feed, syncs it, and sees the run’s figures; axe on every page', async () => {
    const admin = await createAccount(site.database.db, 'root@frontdoor.example', { totp: true, roles: [{ role: 'system_admin' }] });
    const page = await site.newPage();
    const signIn = new SignInPage(page);
    await signIn.open();
    await signIn.signIn(admin.email, TEST_PASSWORD);
    await signIn.enterCode(totpCode(admin.totpSecret!, clock.now()));

    await page.goto('/admin');
    await page.getByRole('link', { name: 'Imports' }).click();
    assert.equal(await page.locator('h1').textContent(), 'Imported directories');
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Add a source' }).click();
    await expectNoAxeViolations(page);

    await page.getByRole('button', { name: 'Add source' }).click();
    assert.match(await page.locator('.govuk-error-summary').textContent() ?? '', /Enter a name for the source/);
    await expectNoAxeViolations(page);

    await page.getByLabel('Name', { exact: true }).fill('Far Council directory');
    await page.getByLabel('An Open Referral UK API').check();
    await page.getByLabel('Address or file path').fill(feed.baseUrl);
    await page.getByLabel('Sync every (hours, optional)').fill('24');
    await page.getByRole('button', { name: 'Add source' }).click();
    assert.equal(await page.locator('h1').textContent(), 'Far Council directory');
    await expectNoAxeViolations(page);

    await page.getByRole('button', { name: 'Sync now' }).click();
    assert.match(await page.locator('.govuk-notification-banner').textContent() ?? '', /The sync will start shortly/);
    // The job runner polls every 100 ms in browser tests: reload until the run has finished.
    for (let tries = 0; tries < 50; tries++) {
      const status = await page.locator('#runs tbody tr').first().locator('td').nth(1).textContent().catch(() => null);
      if (status === 'completed') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
      await page.reload();
    }
    const cells = await page.locator('#runs tbody tr').first().locator('td').allTextContents();
    assert.deepEqual(cells.slice(1).map((cell) => cell.trim()), ['completed', '2', '0', '0', '0', '1', '2'], 'completed; 2 added, 1 rejected, 2 faults (the 500 and its recovery)');
    await expectNoAxeViolations(page);

    await page.locator('#runs tbody tr').first().getByRole('link').click();
    assert.match(await page.locator('#rejections').textContent() ?? '', /The service has no name/);
    assert.match(await page.locator('#faults').textContent() ?? '', /HTTP 500/);
    await expectNoAxeViolations(page);
  });
});

import type { Page } from 'playwright-core';
import { SignInPage } from '../../accounts/testing/pages.ts';
import { totpCode } from '../../accounts/two-factor.ts';
import { TEST_PASSWORD } from '../../accounts/testing/helpers.ts';
import type { Clock } from '../../platform/clock.ts';

/** Page objects for the listings pages: what an editor or a moderator does, not how the page is built. */

export class QuestionPages {
  constructor(private readonly page: Page) {}
  async answer(label: string, value: string) {
    await this.page.getByLabel(label, { exact: true }).fill(value);
  }
  async continue() {
    await this.page.getByRole('button', { name: 'Continue' }).click();
    await this.page.waitForLoadState();
  }
  /** On "Check your answers": the button says "Save changes", or "Add the …" for a new record. */
  async save() {
    await this.page.getByRole('button', { name: /^(Save changes|Add the )/ }).click();
    await this.page.waitForLoadState();
  }
  async banner(): Promise<string> {
    return (await this.page.locator('.govuk-notification-banner').textContent()) ?? '';
  }
  async heading(): Promise<string> {
    return ((await this.page.locator('h1').textContent()) ?? '').trim();
  }
}

export class ModeratorDesk {
  constructor(private readonly page: Page) {}
  async open() {
    await this.page.goto('/moderate');
  }
  /** Publishes the waiting edit of the record with this name. */
  async publish(recordName: string) {
    await this.page.getByRole('button', { name: new RegExp(`^Publish version \\d+ of ${recordName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).click();
    await this.page.waitForLoadState();
  }
}

/** Signs in with a password and, for an account with an authenticator, the current code. */
export async function signInAs(page: Page, account: { email: string; totpSecret?: string }, clock: Clock) {
  const signIn = new SignInPage(page);
  if (!new URL(page.url()).pathname.startsWith('/sign-in')) await signIn.open();
  await signIn.signIn(account.email, TEST_PASSWORD);
  if (account.totpSecret) await signIn.enterCode(totpCode(account.totpSecret, clock.now()));
}

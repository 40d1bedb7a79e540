import type { Page } from 'playwright-core';

/** Page objects for the accounts pages: what a person does, not how the page is built. */

export class SignUpPage {
  constructor(private readonly page: Page) {}
  async open() {
    await this.page.goto('/sign-up');
  }
  async createAccount(name: string, email: string, password: string) {
    await this.page.getByLabel('Your name').fill(name);
    await this.page.getByLabel('Email address').fill(email);
    await this.page.getByLabel('Create a password').fill(password);
    await this.page.getByRole('button', { name: 'Create account' }).click();
    await this.page.waitForLoadState();
  }
}

export class DevMailPage {
  constructor(private readonly page: Page) {}
  /** Opens the newest message with this subject, waiting for the job runner to send it. */
  async openNewest(subject: RegExp, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.page.goto('/dev/mail');
      const link = this.page.getByRole('link', { name: subject }).first();
      if ((await link.count()) > 0) {
        await link.click();
        await this.page.waitForLoadState();
        return;
      }
      if (Date.now() > deadline) throw new Error(`No mail matching ${subject} arrived`);
      await this.page.waitForTimeout(100);
    }
  }
  async followLink(pathPart: string) {
    await this.page.locator(`a[href*="${pathPart}"]`).first().click();
    await this.page.waitForLoadState();
  }
}

export class SignInPage {
  constructor(private readonly page: Page) {}
  async open() {
    await this.page.goto('/sign-in');
  }
  async signIn(email: string, password: string) {
    await this.page.getByLabel('Email address').fill(email);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
    await this.page.waitForLoadState();
  }
  async enterCode(code: string) {
    await this.page.getByLabel('Security code').fill(code);
    await this.page.getByRole('button', { name: 'Continue' }).click();
    await this.page.waitForLoadState();
  }
}

export class TwoFactorSetupPage {
  constructor(private readonly page: Page) {}
  async secret(): Promise<string> {
    await this.page.getByText('I cannot scan the QR code').click();
    return (await this.page.locator('#totp-secret').textContent())!.trim();
  }
  async confirm(code: string) {
    await this.page.getByLabel('Code from your app').fill(code);
    await this.page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
    await this.page.waitForLoadState();
  }
  async recoveryCodes(): Promise<string[]> {
    return this.page.locator('#recovery-codes code').allTextContents();
  }
}

export class OrganisationPage {
  constructor(private readonly page: Page) {}
  async open(organizationId: string) {
    await this.page.goto(`/manage/organisations/${organizationId}`);
  }
  async grant(email: string, roleLabel: string) {
    await this.page.getByLabel('Their email address').fill(email);
    await this.page.getByLabel('Role', { exact: true }).selectOption({ label: roleLabel });
    await this.page.getByRole('button', { name: 'Grant role' }).click();
    await this.page.waitForLoadState();
  }
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForLoadState();
}

import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import type { Clock } from '../../platform/clock.ts';
import type { RoleName } from '../../platform/auth/rules.ts';
import { hashPassword } from '../passwords.ts';
import { newTotpSecret, totpCode } from '../two-factor.ts';
import type { FormClient } from '../../platform/testing/http.ts';

export const TEST_PASSWORD = 'correct horse battery staple';
let cachedHash: Promise<string> | undefined;

/** An account with a confirmed address, straight into the database (argon2 is slow; one hash serves every test). */
export async function createAccount(
  db: Kysely<Database>,
  email: string,
  options: { roles?: Array<{ role: RoleName; organizationId?: string; councilAreaCode?: string }>; totp?: boolean; verified?: boolean } = {},
): Promise<{ id: string; email: string; totpSecret: string | undefined }> {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  const totpSecret = options.totp ? newTotpSecret() : undefined;
  const user = await db
    .insertInto('user_account')
    .values({
      email,
      display_name: email.split('@')[0]!,
      password_hash: await cachedHash,
      email_verified_at: options.verified === false ? null : new Date('2026-01-01T00:00:00Z'),
      totp_secret: totpSecret ?? null,
      totp_enabled_at: totpSecret ? new Date('2026-01-01T00:00:00Z') : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const grant of options.roles ?? []) {
    await db
      .insertInto('role_grant')
      .values({ user_id: user.id, role: grant.role, organization_id: grant.organizationId ?? null, team_id: null, council_area_code: grant.councilAreaCode ?? null, granted_by: null, granted_because: 'bootstrap' })
      .execute();
  }
  return { id: user.id, email, totpSecret };
}

/** Signs a form client in with a password and, when the account has one, the current authenticator code. */
export async function signIn(client: FormClient, account: { email: string; totpSecret?: string }, clock: Clock, password = TEST_PASSWORD) {
  await client.get('/sign-in');
  let response = await client.post('/sign-in', { email: account.email, password });
  if (response.headers.location === '/sign-in/two-factor') {
    await client.get('/sign-in/two-factor');
    response = await client.post('/sign-in/two-factor', { code: totpCode(account.totpSecret!, clock.now()) });
  }
  return response;
}

/** The newest link of this kind in the outbox for this address. */
export async function linkFromOutbox(db: Kysely<Database>, to: string, path: string): Promise<string> {
  const messages = await db.selectFrom('mail_outbox').select(['text_body', 'created_at']).where('to_address', '=', to).orderBy('created_at', 'desc').execute();
  for (const message of messages) {
    const match = new RegExp(`https?://[^\\s]+${path.replace(/[/?]/g, (c) => `\\${c}`)}[^\\s]*`).exec(message.text_body);
    if (match) return new URL(match[0]).pathname + new URL(match[0]).search;
  }
  throw new Error(`No ${path} link was sent to ${to}`);
}

export async function createOrganisation(db: Kysely<Database>, name: string, access: { kind?: 'charity' | 'nhs_board' | 'council' | 'partnership' | 'other'; domain?: string; domainRole?: 'organisation_member' | 'professional' } = {}): Promise<string> {
  const row = await db.insertInto('organization').values({ name, listed: false }).returning('id').executeTakeFirstOrThrow();
  await db
    .insertInto('organization_access')
    .values({ organization_id: row.id, kind: access.kind ?? 'charity', allowed_email_domain: access.domain ?? null, domain_role: access.domainRole ?? null, oidc_issuer: null, oidc_client_id: null, oidc_client_secret: null })
    .execute();
  return row.id;
}

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { App } from '../app.ts';
import { fixedClock } from '../platform/clock.ts';
import { loadConfig } from '../platform/config.ts';
import { describeOnEachEngine } from '../platform/testing/databases.ts';
import { buildTestApp } from '../platform/testing/app.ts';
import { FormClient } from '../platform/testing/http.ts';
import { memoryTransport } from '../platform/mail/mailer.ts';
import type { OidcClient } from './sso.ts';
import { createAccount, createOrganisation } from './testing/helpers.ts';

/** An identity provider that answers at once: for the paths the real provider in sso.test.ts cannot take. */
function fakeProvider(identity: { email: string; multiFactor: boolean }): OidcClient {
  return {
    async start() {
      return { url: 'https://login.example/authorize', pending: { state: 's', nonce: 'n', codeVerifier: 'v' } };
    },
    async finish(settings) {
      return { issuer: settings.issuer, subject: `sub-${identity.email}`, email: identity.email, emailVerified: true, name: 'Fiona', multiFactor: identity.multiFactor };
    },
  };
}

describeOnEachEngine('accounts: rate limits, the first admin, and a provider’s second factor', (database) => {
  const clock = fixedClock('2026-11-24T09:00:00Z');
  let built: App;
  let identity = { email: 'lead@borders.example', multiFactor: true };
  before(async () => {
    built = await buildTestApp(database(), {
      clock,
      config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', FORM_RATE_LIMIT: '3' }),
      mailTransport: memoryTransport(),
      oidc: { start: (...args) => fakeProvider(identity).start(...args), finish: (...args) => fakeProvider(identity).finish(...args) },
    });
  });
  after(async () => built.app.close());

  test('one address may post a sign-in form only so often a minute', async () => {
    const client = new FormClient(built.app);
    await client.get('/sign-in');
    const statuses = [];
    for (let n = 0; n < 4; n += 1) statuses.push((await client.post('/sign-in', { email: `nobody${n}@example.org`, password: 'not a password at all' })).statusCode);
    assert.deepEqual(statuses, [400, 400, 400, 429]);
  });

  test('the first system admin is made from the command line, and it is audited', async () => {
    const account = await createAccount(database().db, 'first-admin@example.org');
    const missing = await built.services.accounts.bootstrapSystemAdmin('nobody@example.org');
    assert.equal(missing.ok, false);
    assert.equal((await built.services.accounts.bootstrapSystemAdmin('First-Admin@example.org')).ok, true);
    assert.equal((await built.services.accounts.bootstrapSystemAdmin('first-admin@example.org')).ok, true, 'twice is harmless');
    const grants = await database().db.selectFrom('role_grant').selectAll().where('user_id', '=', account.id).execute();
    assert.deepEqual(grants.map((g) => [g.role, g.granted_because]), [['system_admin', 'bootstrap']]);
    const actor = await built.services.accounts.loadActor(account.id, false);
    assert.equal(actor!.grants.some((g) => g.role === 'system_admin'), false, 'not in force without two factors');
    assert.equal(actor!.suspendedGrants[0]!.role, 'system_admin');
    assert.ok(await database().db.selectFrom('audit_event').select('id').where('target_id', '=', account.id).executeTakeFirst());
  });

  test('the last system admin cannot be revoked', async () => {
    const root = await createAccount(database().db, 'only-root@example.org', { totp: true, roles: [{ role: 'system_admin' }] });
    await database().db.updateTable('role_grant').set({ revoked_at: new Date() }).where('role', '=', 'system_admin').where('user_id', '!=', root.id).execute();
    const actor = (await built.services.accounts.loadActor(root.id, true))!;
    const grant = await database().db.selectFrom('role_grant').select('id').where('user_id', '=', root.id).executeTakeFirstOrThrow();
    await assert.rejects(built.services.accounts.revokeGrant(actor, grant.id), /last system admin/);
  });

  test('a provider that says it asked for a second factor gives a two-factor session; one that does not, does not', async () => {
    const organisation = await createOrganisation(database().db, 'Borders Partnership', { kind: 'partnership', domain: 'borders.example', domainRole: 'organisation_member' });
    await database().db.updateTable('organization_access').set({ oidc_issuer: 'https://login.example/tenant/v2.0', oidc_client_id: 'id', oidc_client_secret: 'secret' }).where('organization_id', '=', organisation).execute();

    const withMfa = new FormClient(built.app);
    await withMfa.get('/sign-in/sso');
    assert.equal((await withMfa.post('/sign-in/sso', { email: 'lead@borders.example' })).headers.location, 'https://login.example/authorize');
    const back = await withMfa.get('/sign-in/sso/callback?code=c&state=s');
    assert.equal(back.statusCode, 303);
    assert.equal(back.headers.location, '/account', 'roles in force at once');
    assert.equal((await withMfa.get(`/manage/organisations/${organisation}`)).statusCode, 403, 'a member does not see the members list');
    assert.match((await withMfa.get('/account')).body, /Organisation member in Borders Partnership/);
    assert.doesNotMatch((await withMfa.get('/account')).body, /need two-factor sign-in. <a/);

    identity = { email: 'other@borders.example', multiFactor: false };
    const withoutMfa = new FormClient(built.app);
    await withoutMfa.get('/sign-in/sso');
    await withoutMfa.post('/sign-in/sso', { email: 'other@borders.example' });
    const second = await withoutMfa.get('/sign-in/sso/callback?code=c&state=s');
    assert.equal(second.headers.location, '/account/two-factor');
  });
});

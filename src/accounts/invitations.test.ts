import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { App } from '../app.ts';
import { fixedClock } from '../platform/clock.ts';
import { describeOnEachEngine } from '../platform/testing/databases.ts';
import { buildTestApp } from '../platform/testing/app.ts';
import { FormClient } from '../platform/testing/http.ts';
import { memoryTransport } from '../platform/mail/mailer.ts';
import { createAccount, linkFromOutbox, signIn } from './testing/helpers.ts';
import { sha256 } from './passwords.ts';

describeOnEachEngine('accounts: an organisation’s admins invite colleagues by email', (database) => {
  const clock = fixedClock('2026-11-24T09:00:00Z');
  let built: App;
  let organizationId: string;
  let admin: FormClient;
  before(async () => {
    const db = database().db;
    organizationId = (await db.insertInto('organization').values({ name: 'Largs Foodbank' }).returning('id').executeTakeFirstOrThrow()).id;
    built = await buildTestApp(database(), { clock, mailTransport: memoryTransport() });
    admin = new FormClient(built.app);
    await signIn(admin, await createAccount(db, 'lead@largsfoodbank.example', { totp: true, roles: [{ role: 'organisation_admin', organizationId }] }), clock);
  });
  after(async () => built.app.close());

  const grantsOf = async (email: string) =>
    (await database().db.selectFrom('role_grant').innerJoin('user_account', 'user_account.id', 'role_grant.user_id').select(['role_grant.role', 'role_grant.organization_id']).where('user_account.email', '=', email).where('role_grant.revoked_at', 'is', null).execute());

  test('a new colleague creates an account from the link and becomes an admin; the link works once; only a hash of the token is kept', async () => {
    const db = database().db;
    const page = await admin.get(`/manage/organisations/${organizationId}/invitations`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Invite a colleague/);
    assert.match((await admin.get(`/manage/organisations/${organizationId}`)).body, /Invite a colleague by email/);
    const bad = await admin.post(`/manage/organisations/${organizationId}/invitations`, { email: 'not an address', role: 'system_admin' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Enter an email address in the correct format/);
    assert.match(bad.body, /Choose a role/, 'only roles the inviter could grant in the organisation');
    const sent = await admin.post(`/manage/organisations/${organizationId}/invitations`, { email: 'Volunteer@LargsFoodbank.example', role: 'organisation_admin' });
    assert.equal(sent.statusCode, 303);
    assert.match((await admin.get(`/manage/organisations/${organizationId}/invitations`)).body, /volunteer@largsfoodbank\.example[\s\S]*Organisation admin[\s\S]*Waiting until/);
    const again = await admin.post(`/manage/organisations/${organizationId}/invitations`, { email: 'volunteer@largsfoodbank.example', role: 'organisation_admin' });
    assert.equal(again.statusCode, 400);
    assert.match(again.body, /already been invited/);

    const link = await linkFromOutbox(db, 'volunteer@largsfoodbank.example', '/invitations/accept');
    const token = new URL(link, 'http://x').searchParams.get('token')!;
    const stored = await db.selectFrom('organization_invitation').selectAll().executeTakeFirstOrThrow();
    assert.equal(stored.token_hash, sha256(token));
    assert.ok(!JSON.stringify(stored).includes(token), 'the token itself is not stored');
    assert.equal(stored.expires_at.toISOString(), '2026-12-01T09:00:00.000Z', 'a week to accept');

    const colleague = new FormClient(built.app);
    const open = await colleague.get(link);
    assert.equal(open.statusCode, 200);
    assert.match(open.body, /Join Largs Foodbank/);
    assert.match(open.body, /Create your account/);
    const weak = await colleague.post('/invitations/accept/new-account', { token, displayName: 'Val', password: 'short' });
    assert.equal(weak.statusCode, 400);
    assert.match(weak.body, /at least 12 characters/i);
    const created = await colleague.post('/invitations/accept/new-account', { token, displayName: 'Val', password: 'tidal basket lantern orchard' });
    assert.equal(created.statusCode, 303);
    assert.equal(created.headers.location, '/account/two-factor', 'an admin role needs two-factor sign-in: set it up first');
    assert.deepEqual(await grantsOf('volunteer@largsfoodbank.example'), [{ role: 'organisation_admin', organization_id: organizationId }]);
    const account = await db.selectFrom('user_account').select('email_verified_at').where('email', '=', 'volunteer@largsfoodbank.example').executeTakeFirstOrThrow();
    assert.ok(account.email_verified_at, 'the link came to the address: it is confirmed');
    const admins = await db.selectFrom('role_grant').select('id').where('organization_id', '=', organizationId).where('role', '=', 'organisation_admin').where('revoked_at', 'is', null).execute();
    assert.equal(admins.length, 2, 'an organisation can have several admins');

    const reused = await new FormClient(built.app).get(link);
    assert.equal(reused.statusCode, 400, 'single use');
    assert.match(reused.body, /expired, been revoked or already been used/);
    const audit = await db.selectFrom('audit_event').select('action').where('organization_id', '=', organizationId).execute();
    for (const action of ['invitation.sent', 'invitation.accepted', 'role.granted']) assert.ok(audit.some((e) => e.action === action), action);
  });

  test('someone with an account signs in with the invited address to accept; another account may not accept it', async () => {
    const db = database().db;
    const existing = await createAccount(db, 'driver@largsfoodbank.example', { totp: true });
    const other = await createAccount(db, 'someone@elsewhere.example', { totp: true });
    assert.equal((await admin.post(`/manage/organisations/${organizationId}/invitations`, { email: 'driver@largsfoodbank.example', role: 'organisation_member' })).statusCode, 303);
    const link = await linkFromOutbox(db, 'driver@largsfoodbank.example', '/invitations/accept');
    const token = new URL(link, 'http://x').searchParams.get('token')!;

    const anonymous = await new FormClient(built.app).get(link);
    assert.match(anonymous.body, /Sign in to accept/);
    assert.match(anonymous.body, /href="\/sign-in\?next=%2Finvitations%2Faccept%3Ftoken%3D/, 'back to the invitation after signing in');

    const wrong = new FormClient(built.app);
    await signIn(wrong, other, clock);
    assert.match((await wrong.get(link)).body, /You are signed in as someone@elsewhere\.example/);
    const refused = await wrong.post('/invitations/accept', { token });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /This invitation is for driver@largsfoodbank\.example/);
    assert.deepEqual(await grantsOf('someone@elsewhere.example'), []);

    const driver = new FormClient(built.app);
    await signIn(driver, existing, clock);
    const page = await driver.get(link);
    assert.match(page.body, /Accept the invitation/);
    const accepted = await driver.post('/invitations/accept', { token });
    assert.equal(accepted.statusCode, 303);
    assert.equal(accepted.headers.location, '/manage/listings');
    assert.deepEqual(await grantsOf('driver@largsfoodbank.example'), [{ role: 'organisation_member', organization_id: organizationId }]);
    assert.match((await driver.get('/manage/listings')).body, /Largs Foodbank/);
    assert.equal((await driver.get(`/manage/organisations/${organizationId}/invitations`)).statusCode, 403, 'a member does not invite');
  });

  test('a revoked or expired invitation’s link no longer works', async () => {
    const db = database().db;
    await admin.post(`/manage/organisations/${organizationId}/invitations`, { email: 'revoked@largsfoodbank.example', role: 'organisation_member' });
    await admin.post(`/manage/organisations/${organizationId}/invitations`, { email: 'late@largsfoodbank.example', role: 'organisation_member' });
    const revokedLink = await linkFromOutbox(db, 'revoked@largsfoodbank.example', '/invitations/accept');
    const lateLink = await linkFromOutbox(db, 'late@largsfoodbank.example', '/invitations/accept');
    const list = await admin.get(`/manage/organisations/${organizationId}/invitations`);
    const invitationId = new RegExp(`action="/manage/invitations/([0-9a-f-]+)/revoke">\\s*<input[^>]*>\\s*<button[^>]*>Revoke<span class="govuk-visually-hidden"> the invitation of revoked@largsfoodbank\\.example`).exec(list.body)![1]!;
    assert.equal((await admin.post(`/manage/invitations/${invitationId}/revoke`)).statusCode, 303);
    assert.match((await admin.get(`/manage/organisations/${organizationId}/invitations`)).body, /revoked@largsfoodbank\.example<\/td>(\s*<td[^>]*>[^<]*<\/td>){2}\s*<td class="govuk-table__cell">Revoked/);
    assert.equal((await new FormClient(built.app).get(revokedLink)).statusCode, 400);
    assert.equal((await admin.post(`/manage/invitations/${invitationId}/revoke`)).statusCode, 409, 'once');

    clock.set('2026-12-02T09:00:00Z');
    const late = new FormClient(built.app);
    assert.equal((await late.get(lateLink)).statusCode, 400);
    const token = new URL(lateLink, 'http://x').searchParams.get('token')!;
    // Any form opened before the week ran out has lost its session by now: ask the service itself.
    const tooLate = await built.services.accounts.acceptInvitationWithNewAccount(token, { displayName: 'Late', password: 'tidal basket lantern orchard' });
    assert.deepEqual(tooLate, { ok: false, expired: true });
    assert.equal((await db.selectFrom('user_account').select('id').where('email', '=', 'late@largsfoodbank.example').execute()).length, 0);
  });
});

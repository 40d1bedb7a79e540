import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { App } from '../app.ts';
import { fixedClock } from '../platform/clock.ts';
import { describeOnEachEngine } from '../platform/testing/databases.ts';
import { buildTestApp } from '../platform/testing/app.ts';
import { FormClient } from '../platform/testing/http.ts';
import { memoryTransport } from '../platform/mail/mailer.ts';
import { totpCode } from './two-factor.ts';
import { createAccount, createOrganisation, linkFromOutbox, signIn, TEST_PASSWORD } from './testing/helpers.ts';

const NEW_PASSWORD = 'lighthouse marmalade tractor';

describeOnEachEngine('accounts over HTTP', (database) => {
  const clock = fixedClock('2026-11-24T09:00:00Z');
  const mail = memoryTransport();
  let built: App;
  before(async () => {
    built = await buildTestApp(database(), { clock, mailTransport: mail });
  });
  after(async () => built.app.close());

  test('sign up, confirm the address from the emailed link, sign in, see the account, sign out', async () => {
    const client = new FormClient(built.app);
    const form = await client.get('/sign-up');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Create an account/);

    const weak = await client.post('/sign-up', { email: 'ailsa@example.org', displayName: 'Ailsa', password: 'password1234' });
    assert.equal(weak.statusCode, 400);
    assert.match(weak.body, /govuk-error-summary/);
    assert.match(weak.body, /too common/);
    const short = await client.post('/sign-up', { email: 'ailsa@example.org', displayName: 'Ailsa', password: 'short' });
    assert.match(short.body, /at least 12 characters/);

    const done = await client.post('/sign-up', { email: 'Ailsa@Example.org', displayName: 'Ailsa', password: TEST_PASSWORD });
    assert.equal(done.statusCode, 200);
    assert.match(done.body, /Check your email/);

    clock.advance(60_000);
    const early = await client.post('/sign-in', { email: 'ailsa@example.org', password: TEST_PASSWORD });
    assert.match(early.body, /confirm your email address before you can sign in/);
    // Signing in unconfirmed sent a new link, which replaces the first.

    const link = await linkFromOutbox(database().db, 'ailsa@example.org', '/verify-email');
    const verified = await client.get(link);
    assert.equal(verified.statusCode, 200);
    assert.match(verified.body, /has been confirmed/);
    assert.equal((await client.get(link)).statusCode, 400, 'a link works once');

    await client.get('/sign-in');
    const signedIn = await client.post('/sign-in', { email: 'ailsa@example.org', password: TEST_PASSWORD });
    assert.equal(signedIn.statusCode, 303);
    assert.equal(signedIn.headers.location, '/account');
    const account = await client.get('/account');
    assert.equal(account.statusCode, 200);
    assert.match(account.body, /ailsa@example.org/);
    assert.match(account.body, /You have a public account/);

    const out = await client.post('/sign-out');
    assert.equal(out.statusCode, 303);
    const after = await client.get('/account');
    assert.equal(after.statusCode, 303);
    assert.equal(after.headers.location, '/sign-in?next=%2Faccount');
  });

  test('signing up with an address that has an account says the same, and emails the owner instead', async () => {
    await createAccount(database().db, 'taken@example.org');
    const client = new FormClient(built.app);
    await client.get('/sign-up');
    const response = await client.post('/sign-up', { email: 'taken@example.org', displayName: 'Someone', password: NEW_PASSWORD });
    assert.match(response.body, /Check your email/);
    const message = await database().db.selectFrom('mail_outbox').selectAll().where('to_address', '=', 'taken@example.org').executeTakeFirstOrThrow();
    assert.match(message.subject, /already have/);
  });

  test('a form posted without a valid CSRF token is refused with 403', async () => {
    const client = new FormClient(built.app);
    await client.get('/sign-in');
    const missing = await client.post('/sign-in', { _csrf: null, email: 'x@example.org', password: 'whatever-it-is' });
    assert.equal(missing.statusCode, 403);
    const forged = await client.post('/sign-in', { _csrf: 'forged', email: 'x@example.org', password: 'whatever-it-is' });
    assert.equal(forged.statusCode, 403);
  });

  test('five wrong passwords lock the account for 15 minutes, in the database; then the right one works', async () => {
    clock.set('2026-11-24T10:00:00Z');
    await createAccount(database().db, 'lock@example.org');
    const client = new FormClient(built.app);
    await client.get('/sign-in');
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      const wrong = await client.post('/sign-in', { email: 'lock@example.org', password: `wrong password ${attempt}` });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /Enter a correct email address and password/);
    }
    const fifth = await client.post('/sign-in', { email: 'lock@example.org', password: 'wrong password 5' });
    assert.equal(fifth.statusCode, 429);
    assert.match(fifth.body, /too many attempts/);
    const row = await database().db.selectFrom('sign_in_throttle').selectAll().where('key', '=', 'sign_in:lock@example.org').executeTakeFirstOrThrow();
    assert.ok(row.locked_until);
    const right = await client.post('/sign-in', { email: 'lock@example.org', password: TEST_PASSWORD });
    assert.equal(right.statusCode, 429, 'even the right password is refused while locked');
    clock.advance(15 * 60_000 + 1000);
    const later = await client.post('/sign-in', { email: 'lock@example.org', password: TEST_PASSWORD });
    assert.equal(later.statusCode, 303);
  });

  test('password reset: the same answer for any address, a one-hour link, at most 3 emails an hour', async () => {
    clock.set('2026-11-24T11:00:00Z');
    await createAccount(database().db, 'reset@example.org');
    const client = new FormClient(built.app);
    await client.get('/forgot-password');
    const unknown = await client.post('/forgot-password', { email: 'nobody@example.org' });
    const known = await client.post('/forgot-password', { email: 'reset@example.org' });
    assert.equal(unknown.statusCode, 200);
    assert.equal(known.statusCode, 200);
    const strip = (body: string, email: string) => body.replaceAll(email, 'EMAIL').replace(/value="[^"]+"/g, '').replace(/nonce="[^"]+"/g, '');
    assert.equal(strip(unknown.body, 'nobody@example.org'), strip(known.body, 'reset@example.org'), 'the page does not reveal who has an account');
    assert.match(known.body, /If <strong>reset@example.org<\/strong> has a Frontdoor account/);

    const link = await linkFromOutbox(database().db, 'reset@example.org', '/reset-password');
    const resetPage = await client.get(link);
    assert.equal(resetPage.statusCode, 200);
    const token = new URLSearchParams(link.split('?')[1]).get('token')!;
    const mismatch = await client.post('/reset-password', { token, password: NEW_PASSWORD, confirm: 'something else entirely' });
    assert.equal(mismatch.statusCode, 400);
    const reset = await client.post('/reset-password', { token, password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    assert.equal(reset.statusCode, 303);
    assert.equal((await client.get(link)).statusCode, 400, 'used links stop working');
    assert.equal((await signIn(new FormClient(built.app), { email: 'reset@example.org' }, clock, NEW_PASSWORD)).statusCode, 303);

    // Two more requests this hour are sent; after the third, none until the hour is out.
    const count = async () => (await database().db.selectFrom('mail_outbox').select('id').where('to_address', '=', 'reset@example.org').where('subject', 'like', 'Reset%').execute()).length;
    await client.post('/forgot-password', { email: 'reset@example.org' });
    await client.post('/forgot-password', { email: 'reset@example.org' });
    assert.equal(await count(), 3);
    const refused = await client.post('/forgot-password', { email: 'reset@example.org' });
    assert.equal(refused.statusCode, 200, 'the page does not say');
    assert.equal(await count(), 3);
    clock.advance(61 * 60_000);
    await client.get('/forgot-password'); // the old session has timed out
    await client.post('/forgot-password', { email: 'reset@example.org' });
    assert.equal(await count(), 4);

    clock.advance(2 * 60 * 60_000);
    const expiredLink = await linkFromOutbox(database().db, 'reset@example.org', '/reset-password');
    assert.equal((await client.get(expiredLink)).statusCode, 400, 'links last an hour');
  });

  test('change of password (with the current one) and of email address (confirmed from the new address)', async () => {
    clock.set('2026-11-24T12:00:00Z');
    const account = await createAccount(database().db, 'mover@example.org');
    const client = new FormClient(built.app);
    await signIn(client, account, clock);
    await client.get('/account/password');
    const wrong = await client.post('/account/password', { current: 'not my password', password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    assert.match(wrong.body, /current password is not right/);
    const changed = await client.post('/account/password', { current: TEST_PASSWORD, password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    assert.equal(changed.statusCode, 303);

    await client.get('/account/email');
    const requested = await client.post('/account/email', { email: 'moved@example.org', password: NEW_PASSWORD });
    assert.match(requested.body, /Check your new email address/);
    const link = await linkFromOutbox(database().db, 'moved@example.org', '/account/email/confirm');
    assert.equal((await client.get(link)).statusCode, 200);
    const user = await database().db.selectFrom('user_account').select('email').where('id', '=', account.id).executeTakeFirstOrThrow();
    assert.equal(user.email, 'moved@example.org');
  });

  test('two-factor enrolment: QR code, confirm with a code, recovery codes shown once; then sign-in asks for a code or a recovery code', async () => {
    clock.set('2026-11-24T13:00:00Z');
    const account = await createAccount(database().db, 'totp@example.org');
    const client = new FormClient(built.app);
    await signIn(client, account, clock);
    const setup = await client.get('/account/two-factor');
    assert.equal(setup.statusCode, 200);
    assert.match(setup.body, /<svg[^>]*viewBox/);
    const secret = /<code id="totp-secret">([A-Z2-7]+)<\/code>/.exec(setup.body)![1]!;
    const bad = await client.post('/account/two-factor', { code: '000000' });
    assert.equal(bad.statusCode, 400);
    const good = await client.post('/account/two-factor', { code: totpCode(secret, clock.now()) });
    assert.equal(good.statusCode, 200);
    const stored = await database().db.selectFrom('user_account').select('totp_secret').where('id', '=', account.id).executeTakeFirstOrThrow();
    assert.doesNotMatch(stored.totp_secret!, new RegExp(secret), 'the authenticator secret is stored encrypted');
    const codes = [...good.body.matchAll(/<li><code>([a-z0-9-]{14})<\/code><\/li>/g)].map((m) => m[1]!);
    assert.equal(codes.length, 10);
    await client.post('/sign-out');

    clock.advance(60_000);
    const next = new FormClient(built.app);
    await next.get('/sign-in');
    const first = await next.post('/sign-in', { email: 'totp@example.org', password: TEST_PASSWORD });
    assert.equal(first.headers.location, '/sign-in/two-factor');
    assert.equal((await next.get('/account')).statusCode, 303, 'not signed in before the second step');
    await next.get('/sign-in/two-factor');
    assert.equal((await next.post('/sign-in/two-factor', { code: '123456' })).statusCode, 400);
    const code = totpCode(secret, clock.now());
    assert.equal((await next.post('/sign-in/two-factor', { code })).statusCode, 303);
    assert.equal((await next.get('/account')).statusCode, 200);
    await next.post('/sign-out');

    // The same code cannot be used twice.
    const replay = new FormClient(built.app);
    await replay.get('/sign-in');
    await replay.post('/sign-in', { email: 'totp@example.org', password: TEST_PASSWORD });
    await replay.get('/sign-in/two-factor');
    assert.equal((await replay.post('/sign-in/two-factor', { code })).statusCode, 400);

    // A recovery code works once.
    const recovered = await replay.post('/sign-in/two-factor', { code: codes[0]!.toUpperCase() });
    assert.equal(recovered.statusCode, 303);
    assert.match((await replay.get('/account')).body, /You signed in with a recovery code. You have 9 left/);
    await replay.post('/sign-out');
    const again = new FormClient(built.app);
    await again.get('/sign-in');
    await again.post('/sign-in', { email: 'totp@example.org', password: TEST_PASSWORD });
    await again.get('/sign-in/two-factor');
    assert.equal((await again.post('/sign-in/two-factor', { code: codes[0]! })).statusCode, 400);
  });

  test('five wrong second-factor codes lock the second step', async () => {
    clock.set('2026-11-24T14:00:00Z');
    const account = await createAccount(database().db, 'guess@example.org', { totp: true });
    const client = new FormClient(built.app);
    await client.get('/sign-in');
    await client.post('/sign-in', { email: account.email, password: TEST_PASSWORD });
    await client.get('/sign-in/two-factor');
    let last;
    for (let attempt = 0; attempt < 5; attempt += 1) last = await client.post('/sign-in/two-factor', { code: String(100000 + attempt) });
    assert.equal(last!.statusCode, 429);
    assert.equal((await client.post('/sign-in/two-factor', { code: totpCode(account.totpSecret!, clock.now()) })).statusCode, 429);
  });

  test('a role that sees personal data is not in force until the account signs in with two factors', async () => {
    clock.set('2026-11-24T15:00:00Z');
    const organisation = await createOrganisation(database().db, 'Ayrshire Carers Centre');
    const account = await createAccount(database().db, 'admin-no-2fa@example.org', { roles: [{ role: 'organisation_admin', organizationId: organisation }] });
    const client = new FormClient(built.app);
    const response = await signIn(client, account, clock);
    assert.equal(response.headers.location, '/account/two-factor', 'sent to set up two factors');
    assert.equal((await client.get(`/manage/organisations/${organisation}`)).statusCode, 403);
    const setup = await client.get('/account/two-factor');
    const secret = /<code id="totp-secret">([A-Z2-7]+)<\/code>/.exec(setup.body)![1]!;
    await client.post('/account/two-factor', { code: totpCode(secret, clock.now()) });
    assert.equal((await client.get(`/manage/organisations/${organisation}`)).statusCode, 200);
  });

  test('sessions end after the idle timeout', async () => {
    clock.set('2026-11-24T16:00:00Z');
    const account = await createAccount(database().db, 'idle@example.org');
    const client = new FormClient(built.app);
    await signIn(client, account, clock);
    assert.equal((await client.get('/account')).statusCode, 200);
    clock.advance(31 * 60_000);
    assert.equal((await client.get('/account')).statusCode, 303);
  });

  test('the email domain grants its role automatically to a verified address, and the grant is recorded', async () => {
    clock.set('2026-11-24T17:00:00Z');
    const organisation = await createOrganisation(database().db, 'NHS Lanarkshire', { kind: 'nhs_board', domain: 'lanarkshire.scot.nhs.uk', domainRole: 'professional' });
    const client = new FormClient(built.app);
    await client.get('/sign-up');
    await client.post('/sign-up', { email: 'nurse@lanarkshire.scot.nhs.uk', displayName: 'A Nurse', password: NEW_PASSWORD });
    const before = await database().db.selectFrom('role_grant').selectAll().where('organization_id', '=', organisation).execute();
    assert.equal(before.length, 0, 'not before the address is confirmed');
    await client.get(await linkFromOutbox(database().db, 'nurse@lanarkshire.scot.nhs.uk', '/verify-email'));
    const grants = await database().db.selectFrom('role_grant').selectAll().where('organization_id', '=', organisation).execute();
    assert.equal(grants.length, 1);
    assert.equal(grants[0]!.role, 'professional');
    assert.equal(grants[0]!.granted_because, 'email_domain');
    const audit = await database().db.selectFrom('audit_event').selectAll().where('action', '=', 'role.granted').where('organization_id', '=', organisation).execute();
    assert.equal(audit.length, 1);
  });
});

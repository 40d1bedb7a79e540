import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import Provider from 'oidc-provider';
import type { App } from '../app.ts';
import { loadConfig } from '../platform/config.ts';
import { describeOnEachEngine } from '../platform/testing/databases.ts';
import { buildTestApp } from '../platform/testing/app.ts';
import { FormClient } from '../platform/testing/http.ts';
import { memoryTransport } from '../platform/mail/mailer.ts';
import { createAccount, createOrganisation } from './testing/helpers.ts';

const PUBLIC_URL = 'http://frontdoor.test';
const PEOPLE: Record<string, { email: string; name: string }> = {
  'entra-0001': { email: 'nurse@ayrshire.example', name: 'Morag Nurse' },
  'entra-0002': { email: 'existing@ayrshire.example', name: 'Existing Person' },
  'entra-0666': { email: 'intruder@elsewhere.example', name: 'Intruder' },
};

/** A local OpenID provider on 127.0.0.1, standing in for an organisation's Entra ID tenant. */
async function startProvider(): Promise<{ issuer: string; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [{ client_id: 'frontdoor', client_secret: 'frontdoor-test-secret', redirect_uris: [`${PUBLIC_URL}/sign-in/sso/callback`], grant_types: ['authorization_code'], response_types: ['code'] }],
    cookies: { keys: ['test-cookie-key-not-secret'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx, sub) {
      const person = PEOPLE[sub];
      if (!person) return undefined;
      return { accountId: sub, claims: async () => ({ sub, email: person.email, email_verified: true, name: person.name }) };
    },
  });
  server.on('request', provider.callback());
  return { issuer, server };
}

/** Plays the browser at the provider: logs in as `sub` and consents, until it is sent back to Frontdoor. */
async function loginAtProvider(start: string, sub: string): Promise<string> {
  const cookies = new Map<string, string>();
  const send = async (url: string, body?: Record<string, string>) => {
    const response = await fetch(url, {
      method: body ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: body ? new URLSearchParams(body).toString() : undefined,
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const index = pair!.indexOf('=');
      cookies.set(pair!.slice(0, index), pair!.slice(index + 1));
    }
    await response.arrayBuffer();
    return new URL(response.headers.get('location') ?? '', url).href;
  };
  let location = await send(start);
  for (let step = 0; step < 10; step += 1) {
    if (location.startsWith(PUBLIC_URL)) return location;
    if (/\/interaction\/[^/]+$/.test(location)) {
      const prompt = step === 0 ? 'login' : 'consent';
      location = await send(location, prompt === 'login' ? { prompt, login: sub, password: 'anything' } : { prompt });
    } else {
      location = await send(location);
    }
  }
  throw new Error(`The provider never sent the browser back (last at ${location})`);
}

describeOnEachEngine('single sign-on with an organisation’s OpenID Connect provider', (database) => {
  let built: App;
  let provider: { issuer: string; server: Server };
  let organisation: string;
  before(async () => {
    provider = await startProvider();
    built = await buildTestApp(database(), {
      config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_URL }),
      mailTransport: memoryTransport(),
    });
    organisation = await createOrganisation(database().db, 'NHS Ayrshire (test)', { kind: 'nhs_board', domain: 'ayrshire.example', domainRole: 'organisation_member' });
    await database()
      .db.updateTable('organization_access')
      .set({ oidc_issuer: provider.issuer, oidc_client_id: 'frontdoor', oidc_client_secret: 'frontdoor-test-secret' })
      .where('organization_id', '=', organisation)
      .execute();
  });
  after(async () => {
    await built.app.close();
    provider.server.closeAllConnections();
    await new Promise((resolve) => provider.server.close(resolve));
  });

  async function ssoSignIn(email: string, sub: string) {
    const client = new FormClient(built.app);
    await client.get('/sign-in/sso');
    const started = await client.post('/sign-in/sso', { email });
    assert.equal(started.statusCode, 303);
    const authorise = String(started.headers.location);
    assert.ok(authorise.startsWith(`${provider.issuer}/auth?`), authorise);
    const url = new URL(authorise);
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(url.searchParams.get('state'));
    assert.ok(url.searchParams.get('nonce'));
    const back = await loginAtProvider(authorise, sub);
    const callback = new URL(back);
    const response = await client.get(callback.pathname + callback.search);
    return { client, response };
  }

  test('a first sign-in makes a verified account on the allowed domain, with the domain’s role, and asks for two factors', async () => {
    const { client, response } = await ssoSignIn('nurse@ayrshire.example', 'entra-0001');
    assert.equal(response.statusCode, 303, response.body);
    // The domain role can see people's data, and the provider did not say it asked for a second factor.
    assert.equal(response.headers.location, '/account/two-factor');
    const account = await client.get('/account');
    assert.match(account.body, /nurse@ayrshire.example/);
    assert.match(account.body, /Organisation member in NHS Ayrshire \(test\)/);
    const user = await database().db.selectFrom('user_account').selectAll().where('email', '=', 'nurse@ayrshire.example').executeTakeFirstOrThrow();
    assert.ok(user.email_verified_at);
    assert.equal(user.password_hash, null);
    const identity = await database().db.selectFrom('sso_identity').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
    assert.equal(identity.subject, 'entra-0001');
    assert.equal(identity.issuer, provider.issuer);
  });

  test('an existing account with the same address is linked, not duplicated; later sign-ins find it by the provider’s subject', async () => {
    const existing = await createAccount(database().db, 'existing@ayrshire.example');
    const first = await ssoSignIn('existing@ayrshire.example', 'entra-0002');
    assert.equal(first.response.statusCode, 303);
    const links = await database().db.selectFrom('sso_identity').selectAll().where('user_id', '=', existing.id).execute();
    assert.equal(links.length, 1);
    const again = await ssoSignIn('existing@ayrshire.example', 'entra-0002');
    assert.equal(again.response.statusCode, 303);
    assert.equal((await database().db.selectFrom('user_account').select('id').where('email', '=', 'existing@ayrshire.example').execute()).length, 1);
  });

  test('an address the provider vouches for outside the organisation’s domain is refused', async () => {
    const { response } = await ssoSignIn('nurse@ayrshire.example', 'entra-0666');
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /not on ayrshire.example/);
    assert.equal(await database().db.selectFrom('user_account').select('id').where('email', '=', 'intruder@elsewhere.example').executeTakeFirst(), undefined);
  });

  test('a callback that does not match the sign-in it started is refused', async () => {
    const client = new FormClient(built.app);
    const forged = await client.get('/sign-in/sso/callback?code=made-up&state=made-up');
    assert.equal(forged.statusCode, 400);
  });

  test('an address whose organisation has no single sign-on is told to use a password', async () => {
    const client = new FormClient(built.app);
    await client.get('/sign-in/sso');
    const response = await client.post('/sign-in/sso', { email: 'someone@charity.example' });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /does not sign in to Frontdoor with its own accounts/);
  });
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { fixedClock } from '../clock.ts';
import { describeOnEachEngine } from '../testing/databases.ts';
import { installErrorHandlers } from './errors.ts';
import { sessions } from './sessions.ts';

declare module 'fastify' {
  interface Session {
    visits?: number;
  }
}

function cookieFrom(response: { headers: Record<string, unknown> }): string | undefined {
  const header = response.headers['set-cookie'];
  const value = Array.isArray(header) ? header[0] : header;
  return typeof value === 'string' ? value.split(';')[0] : undefined;
}

describeOnEachEngine('database sessions and CSRF', (database) => {
  const clock = fixedClock('2026-11-24T09:00:00Z');
  let app: FastifyInstance;
  before(async () => {
    // Secure cookies are only set over HTTPS, as behind the production proxy.
    app = Fastify({ trustProxy: true });
    app.addHook('onRequest', async (request) => {
      request.headers['x-forwarded-proto'] ??= 'https';
    });
    installErrorHandlers(app);
    await app.register(sessions, { db: database().db, clock, secret: 'x'.repeat(40), secureCookies: true, idleMinutes: 30, absoluteHours: 12 });
    app.get('/visit', async (request) => {
      request.session.visits = (request.session.visits ?? 0) + 1;
      return { visits: request.session.visits };
    });
    app.get('/form', async (_request, reply) => ({ token: reply.generateCsrf() }));
    app.post('/form', async () => ({ saved: true }));
    app.post('/hook', { config: { csrf: false } }, async () => ({ ok: true }));
    await app.ready();
  });
  after(async () => app.close());

  test('a session survives across requests and processes because it lives in the database', async () => {
    const first = await app.inject('/visit');
    const cookie = cookieFrom(first);
    assert.ok(cookie?.startsWith('frontdoor_session='));
    const setCookie = String(first.headers['set-cookie']);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /Secure/);
    assert.match(setCookie, /SameSite=Lax/);
    const second = await app.inject({ url: '/visit', headers: { cookie: cookie! } });
    assert.equal(second.json().visits, 2);
    const rows = await database().db.selectFrom('http_session').select('id').execute();
    assert.ok(rows.length >= 1);
  });

  test('nothing is stored for a visitor whose session holds nothing', async () => {
    const before = (await database().db.selectFrom('http_session').select('id').execute()).length;
    const response = await app.inject('/form-that-does-not-exist');
    assert.equal(response.headers['set-cookie'], undefined);
    assert.equal((await database().db.selectFrom('http_session').select('id').execute()).length, before);
  });

  test('an idle session ends after the idle timeout', async () => {
    clock.set('2026-11-24T09:00:00Z');
    const cookie = cookieFrom(await app.inject('/visit'))!;
    clock.advance(29 * 60_000);
    assert.equal((await app.inject({ url: '/visit', headers: { cookie } })).json().visits, 2);
    clock.advance(31 * 60_000);
    assert.equal((await app.inject({ url: '/visit', headers: { cookie } })).json().visits, 1, 'a new session began');
  });

  test('an active session still ends at the absolute timeout', async () => {
    clock.set('2026-11-24T09:00:00Z');
    const cookie = cookieFrom(await app.inject('/visit'))!;
    let visits = 1;
    for (let hour = 0; hour < 11 * 3; hour += 1) {
      clock.advance(20 * 60_000);
      visits = (await app.inject({ url: '/visit', headers: { cookie } })).json().visits;
    }
    assert.equal(visits, 34, 'kept alive by activity for 11 hours');
    clock.advance(60 * 60_000 + 1);
    assert.equal((await app.inject({ url: '/visit', headers: { cookie } })).json().visits, 1);
  });

  test('a form post without the session token is refused with 403; with it, accepted', async () => {
    clock.set('2026-11-24T09:00:00Z');
    const page = await app.inject('/form');
    const cookie = cookieFrom(page)!;
    const token = page.json().token as string;
    const missing = await app.inject({ method: 'POST', url: '/form', headers: { cookie }, payload: { name: 'x' } });
    assert.equal(missing.statusCode, 403);
    assert.equal(missing.json().error, 'csrf_failed');
    const forged = await app.inject({ method: 'POST', url: '/form', headers: { cookie }, payload: { _csrf: 'forged', name: 'x' } });
    assert.equal(forged.statusCode, 403);
    const noSession = await app.inject({ method: 'POST', url: '/form', payload: { _csrf: token } });
    assert.equal(noSession.statusCode, 403);
    const good = await app.inject({
      method: 'POST',
      url: '/form',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(token)}&name=x`,
    });
    assert.equal(good.statusCode, 200);
    assert.equal((await app.inject({ method: 'POST', url: '/hook' })).statusCode, 200, 'opted-out routes skip the check');
  });
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { App } from '../../app.ts';
import { buildApp } from '../../app.ts';
import { fixedClock } from '../clock.ts';
import { loadConfig } from '../config.ts';
import { describeOnEachEngine } from '../testing/databases.ts';
import { buildTestApp } from '../testing/app.ts';
import { FormClient } from '../testing/http.ts';
import { memoryTransport } from '../mail/mailer.ts';
import { createAccount, signIn } from '../../accounts/testing/helpers.ts';
import { isRouteAccess } from './rules.ts';

const SOME_ID = '00000000-0000-4000-8000-000000000123';
const concrete = (url: string) => url.replace(/:[a-zA-Z]+/g, SOME_ID).replace(/\*$/, 'x');

describeOnEachEngine('every route has an access rule', (database) => {
  const clock = fixedClock('2026-11-24T09:00:00Z');
  let built: App;
  before(async () => {
    built = await buildTestApp(database(), { clock, mailTransport: memoryTransport() });
  });
  after(async () => built.app.close());

  test('the walk: every registered route declares public, signed-in or an action from the rules', () => {
    const routes = built.app.routeRules;
    assert.ok(routes.length > 40, `expected many routes, found ${routes.length}`);
    const missing = routes.filter((route) => !isRouteAccess(route.access)).map((route) => `${route.method} ${route.url}`);
    assert.deepEqual(missing, [], 'give each of these routes config: { access: … }');
    for (const url of ['/healthz', '/readyz', '/api/v1/services', '/api/openapi.json', '/api/docs/', '/sign-in']) {
      assert.ok(routes.some((route) => route.url === url && route.access === 'public'), `${url} is public`);
    }
  });

  test('an anonymous visitor is sent to sign in (pages) or refused (other requests) on every route that is not public', async () => {
    const guarded = built.app.routeRules.filter((route) => route.access !== 'public' && (route.method === 'GET' || route.method === 'POST'));
    assert.ok(guarded.length > 15);
    for (const route of guarded) {
      const response = await built.app.inject({ method: route.method as 'GET' | 'POST', url: concrete(route.url), headers: { accept: 'text/html' } });
      if (route.method === 'GET') {
        assert.equal(response.statusCode, 303, `${route.method} ${route.url}`);
        assert.match(String(response.headers.location), /^\/sign-in\?next=/);
      } else {
        // Posts are refused before they reach the handler: by the CSRF check (no session) or the sign-in check.
        assert.ok([401, 403].includes(response.statusCode), `${route.method} ${route.url} gave ${response.statusCode}`);
      }
    }
  });

  test('a public account gets 403 from every route that needs an action', async () => {
    const account = await createAccount(database().db, 'public-walker@example.org');
    const client = new FormClient(built.app);
    await signIn(client, account, clock);
    await client.get('/account');
    const actionRoutes = built.app.routeRules.filter((route) => route.access !== 'public' && route.access !== 'signed-in' && (route.method === 'GET' || route.method === 'POST'));
    for (const route of actionRoutes) {
      const response = route.method === 'GET' ? await client.get(concrete(route.url)) : await client.post(concrete(route.url), {});
      assert.equal(response.statusCode, 403, `${route.method} ${route.url}`);
    }
  });
});

describeOnEachEngine('a route without a rule', (database) => {
  test('is found by the walk, and refused at run time (fail closed)', async () => {
    const { app } = await buildApp({ config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), database: database(), mailTransport: memoryTransport() });
    try {
      app.get('/forgotten', async () => ({ secret: true }));
      await app.ready();
      assert.ok(app.routeRules.some((route) => route.url === '/forgotten' && route.access === undefined));
      const response = await app.inject('/forgotten');
      assert.equal(response.statusCode, 403);
    } finally {
      await app.close();
    }
  });
});

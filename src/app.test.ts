import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import type { App } from './app.ts';
import { loadConfig } from './platform/config.ts';
import { buildApp } from './app.ts';
import { describeOnEachEngine } from './platform/testing/databases.ts';
import { buildTestApp } from './platform/testing/app.ts';
import type { DirectoryService } from './directory/service.ts';

describeOnEachEngine('the app', (database) => {
  let built: App;
  before(async () => {
    built = await buildTestApp(database());
  });
  after(async () => built.app.close());

  test('is alive and ready, and says so', async () => {
    assert.deepEqual((await built.app.inject('/healthz')).json(), { status: 'ok' });
    assert.deepEqual((await built.app.inject('/readyz')).json(), { status: 'ready' });
  });

  test('is not ready once shutting down', async () => {
    built.readiness.accepting = false;
    try {
      const response = await built.app.inject('/readyz');
      assert.equal(response.statusCode, 503);
      assert.equal(response.json().reason, 'shutting down');
    } finally {
      built.readiness.accepting = true;
    }
  });

  test('serves an OpenAPI 3.1 document generated from the route schemas, and interactive docs', async () => {
    const document = (await built.app.inject('/api/openapi.json')).json();
    assert.equal(document.openapi, '3.1.0');
    for (const path of ['/api/v1/services', '/api/v1/services/{id}', '/api/v1/organizations/{id}', '/api/v1/locations', '/api/v1/taxonomy-terms']) {
      assert.ok(document.paths[path], `${path} is documented`);
    }
    const perPage = document.paths['/api/v1/services'].get.parameters.find((p: { name: string }) => p.name === 'per_page');
    assert.equal(perPage.schema.maximum, 100);
    const docs = await built.app.inject('/api/docs/');
    assert.equal(docs.statusCode, 200);
    assert.match(docs.headers['content-type'] as string, /text\/html/);
  });

  test('an unknown address is a JSON 404', async () => {
    const response = await built.app.inject('/api/v1/nothing-here');
    assert.equal(response.statusCode, 404);
    assert.equal(response.json().error, 'not_found');
  });
});

describeOnEachEngine('logging and failures', (database) => {
  test('logs the route pattern and a request id, never the query string or path values', async () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    const { app } = await buildApp({ config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info' }), database: database(), logStream: stream });
    try {
      const response = await app.inject('/api/v1/services?per_page=5&q=womens+refuge&near=KA12+8AA');
      assert.equal(response.statusCode, 200);
      await app.inject('/api/v1/services/00000000-0000-4000-8000-000000000abc');
      const requestIds = [response.headers['x-request-id']];
      assert.ok(requestIds[0]);
      const completed = lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'request completed');
      assert.equal(completed.length, 2);
      assert.deepEqual(completed.map((entry) => entry.route), ['/api/v1/services', '/api/v1/services/:id']);
      assert.equal(completed[0].reqId, requestIds[0]);
      // Request ids are random UUIDs, which now and then contain "abc" themselves.
      const everything = lines.join('\n').replace(/"reqId":"[0-9a-f-]+"/g, '');
      assert.doesNotMatch(everything, /refuge|KA12|per_page|abc/i);
    } finally {
      await app.close();
    }
  });

  test('an unexpected failure is a 500 that reveals nothing, logged with its route', async () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    const failing = {
      getService: async () => {
        throw new Error('relation "secret_table" does not exist');
      },
    } as unknown as DirectoryService;
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info' });
    const { app } = await buildApp({ config, database: database(), logStream: stream, services: { directory: failing } });
    try {
      const response = await app.inject('/api/v1/services/00000000-0000-4000-8000-000000000000');
      assert.equal(response.statusCode, 500);
      assert.equal(response.json().error, 'internal_error');
      assert.doesNotMatch(response.body, /secret_table|at .*\.ts/);
      const logged = lines.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'request failed');
      assert.equal(logged.route, '/api/v1/services/:id');
      assert.match(logged.err.message, /secret_table/);
    } finally {
      await app.close();
    }
  });
});

describeOnEachEngine('pages', (database) => {
  let built: App;
  before(async () => {
    built = await buildTestApp(database());
  });
  after(async () => built.app.close());

  test('a browser asking for a missing page gets an HTML 404 in the site layout, without GOV.UK branding', async () => {
    const response = await built.app.inject({ url: '/no-such-page', headers: { accept: 'text/html' } });
    assert.equal(response.statusCode, 404);
    assert.match(response.headers['content-type'] as string, /text\/html/);
    assert.match(response.body, /<title>Page not found – Frontdoor<\/title>/);
    assert.match(response.body, /class="frontdoor-header"/);
    assert.doesNotMatch(response.body, /govuk-logo|GOV\.UK|govuk-header__crown/);
    const stylesheet = /href="(\/assets\/frontdoor-[0-9a-f]+\.css)"/.exec(response.body)?.[1];
    assert.ok(stylesheet);
    const css = await built.app.inject(stylesheet);
    assert.equal(css.statusCode, 200);
    assert.match(css.headers['cache-control'] as string, /immutable/);
    assert.doesNotMatch(css.body, /GDS Transport|@font-face/, 'the GOV.UK typeface is not used');
  });

  test('pages carry a strict content security policy and refuse framing', async () => {
    const response = await built.app.inject({ url: '/no-such-page', headers: { accept: 'text/html' } });
    const csp = response.headers['content-security-policy'] as string;
    assert.match(csp, /script-src 'self' 'nonce-[^']+'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(response.headers['x-frame-options'], 'DENY');
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    assert.ok(response.body.includes(`nonce="${nonce}"`), 'inline scripts carry the nonce');
  });

  test('the browser scripts are served', async () => {
    assert.equal((await built.app.inject('/assets/govuk-frontend.min.js')).statusCode, 200);
    assert.equal((await built.app.inject('/assets/site/frontdoor.js')).statusCode, 200);
  });
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { App } from '../app.ts';
import { describeOnEachEngine } from '../platform/testing/databases.ts';
import { buildTestApp } from '../platform/testing/app.ts';
import { insertEdgeCases, type EdgeCases } from './testing/fixtures.ts';

type Json = any;

function collectRefs(node: Json, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((item) => collectRefs(item, found));
  else if (node && typeof node === 'object') {
    if (typeof node.$ref === 'string') found.add(node.$ref);
    Object.values(node).forEach((value) => collectRefs(value, found));
  }
  return found;
}

describeOnEachEngine('the Open Referral feed over HTTP', (database) => {
  let built: App;
  let edge: EdgeCases;
  before(async () => {
    edge = await insertEdgeCases(database().db);
    built = await buildTestApp(database());
  });
  after(async () => built.app.close());

  test('unknown ids and addresses are JSON 404s, open to every origin', async () => {
    for (const url of [
      '/openreferral/services/00000000-0000-4000-8000-000000000000',
      '/openreferral/services/not-a-uuid',
      '/openreferral/service_at_locations/00000000-0000-4000-8000-000000000000',
      '/openreferral/organizations/00000000-0000-4000-8000-000000000000',
      '/openreferral/taxonomies/00000000-0000-4000-8000-000000000000',
      '/openreferral/taxonomy_terms/00000000-0000-4000-8000-000000000000',
      '/openreferral/no-such-endpoint',
      '/openreferral/schema/nothing.json',
    ]) {
      const response = await built.app.inject({ url, headers: { accept: 'text/html' } });
      assert.equal(response.statusCode, 404, url);
      assert.match(response.headers['content-type'] as string, /application\/json/, url);
      assert.equal(response.json().error, 'not_found', url);
      assert.equal(response.headers['access-control-allow-origin'], '*', url);
    }
  });

  test('bad parameters are JSON 400s that name the parameter', async () => {
    const cases: Array<[string, string]> = [
      ['/openreferral/services?page=0', 'page'],
      ['/openreferral/services?per_page=abc', 'per_page'],
      ['/openreferral/services?taxonomy_term_id=dementia', 'taxonomy_term_id'],
      ['/openreferral/services?day=someday', 'day'],
      ['/openreferral/services?start_time=9am', 'start_time'],
      ['/openreferral/services?modified_after=yesterday', 'modified_after'],
      ['/openreferral/services?minimum_age=-1', 'minimum_age'],
      ['/openreferral/service_at_locations?proximity=1000', 'proximity'],
      ['/openreferral/service_at_locations?postcode=KA12+8AA&proximity=0', 'proximity'],
      ['/openreferral/service_at_locations?postcode=ZZ99+9ZZ', 'postcode'],
    ];
    for (const [url, parameter] of cases) {
      const response = await built.app.inject(url);
      assert.equal(response.statusCode, 400, url);
      assert.equal(response.json().error, 'invalid_parameter', url);
      assert.equal(response.json().parameter, parameter, url);
      assert.equal(response.headers['access-control-allow-origin'], '*', url);
    }
    const unknownDistrict = (await built.app.inject('/openreferral/service_at_locations?postcode=KA99+1AA')).json();
    assert.ok(unknownDistrict.suggestions.length > 0 && unknownDistrict.suggestions.every((code: string) => code.startsWith('KA')), JSON.stringify(unknownDistrict));
  });

  test('answers carry an ETag; sending it back gets 304 Not Modified without a body', async () => {
    const url = `/openreferral/services/${edge.serviceIds.everything}`;
    const first = await built.app.inject(url);
    const etag = first.headers.etag as string;
    assert.match(etag, /^"[A-Za-z0-9_-]{32}"$/);
    assert.match(first.headers['cache-control'] as string, /public/);
    const again = await built.app.inject({ url, headers: { 'if-none-match': etag } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
    assert.equal(again.headers.etag, etag);
    assert.equal(again.headers['access-control-allow-origin'], '*');
    assert.equal((await built.app.inject({ url, headers: { 'if-none-match': `"other", W/${etag}` } })).statusCode, 304);
    assert.equal((await built.app.inject({ url, headers: { 'if-none-match': '"other"' } })).statusCode, 200);
    const page1 = await built.app.inject('/openreferral/services?per_page=2&page=1');
    const page2 = await built.app.inject('/openreferral/services?per_page=2&page=2');
    assert.notEqual(page1.headers.etag, page2.headers.etag);
    // A change to the data changes the tag.
    await database().db.updateTable('service').set({ alert: 'Moved to Tuesdays.', updated_at: new Date() }).where('id', '=', edge.serviceIds.everything).execute();
    const changed = await built.app.inject({ url, headers: { 'if-none-match': etag } });
    assert.equal(changed.statusCode, 200);
    assert.notEqual(changed.headers.etag, etag);
  });

  test('listings kept between requests follow every change to the directory at once', async () => {
    const db = database().db;
    const total = async (url: string) => (await built.app.inject(url)).json().total_items as number;
    const services = await total('/openreferral/services');
    const links = await total('/openreferral/service_at_locations');
    assert.equal(await total('/openreferral/services'), services, 'unchanged while nothing changes');
    const added = await db.insertInto('service').values({ organization_id: edge.organizationIds.bare, name: 'Brand new' }).returning('id').executeTakeFirstOrThrow();
    assert.equal(await total('/openreferral/services'), services + 1);
    await db.insertInto('service_at_location').values({ service_id: added.id, location_id: edge.hubId }).execute();
    assert.equal(await total('/openreferral/service_at_locations'), links + 1);
    await db.updateTable('organization').set({ listed: false }).where('id', '=', edge.organizationIds.bare).execute();
    assert.equal(await total('/openreferral/services'), services - 1, 'the organisation\'s services leave the feed');
    await db.updateTable('organization').set({ listed: true }).where('id', '=', edge.organizationIds.bare).execute();
    await db.deleteFrom('service').where('id', '=', added.id).execute();
    assert.equal(await total('/openreferral/services'), services);
    assert.equal(await total('/openreferral/service_at_locations'), links);
  });

  test('is open to pages on other sites: CORS on every answer, and preflight requests are answered', async () => {
    const response = await built.app.inject({ url: '/openreferral/services', headers: { origin: 'https://council.example.gov.uk' } });
    assert.equal(response.headers['access-control-allow-origin'], '*');
    assert.match(response.headers['access-control-expose-headers'] as string, /ETag/);
    assert.equal(response.headers['cross-origin-resource-policy'], 'cross-origin');
    const preflight = await built.app.inject({
      method: 'OPTIONS',
      url: '/openreferral/services',
      headers: { origin: 'https://council.example.gov.uk', 'access-control-request-method': 'GET', 'access-control-request-headers': 'if-none-match' },
    });
    assert.equal(preflight.statusCode, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], '*');
    assert.match(preflight.headers['access-control-allow-headers'] as string, /If-None-Match/);
    assert.notEqual((await built.app.inject('/api/v1/services')).headers['access-control-allow-origin'], '*', 'only the feed is open');
  });

  test('serves its corrected OpenAPI document, and every schema it refers to, from this server', async () => {
    const response = await built.app.inject('/openreferral/openapi.json');
    assert.equal(response.statusCode, 200);
    const document = response.json();
    assert.equal(document.openapi, '3.1.0');
    assert.equal(document.servers[0].url, '/openreferral');
    const base = 'http://localhost/openreferral/openapi.json';
    for (const ref of collectRefs(document)) {
      if (ref.startsWith('#')) continue;
      const target = new URL(ref, base);
      const schema = await built.app.inject(target.pathname);
      assert.equal(schema.statusCode, 200, `${ref} is served at ${target.pathname}`);
      assert.equal(typeof schema.json().properties, 'object');
      // The schema's own relative $refs resolve on this server too.
      for (const inner of collectRefs(schema.json())) {
        if (inner.startsWith('#')) continue;
        assert.equal((await built.app.inject(new URL(inner, target).pathname)).statusCode, 200, `${inner} from ${ref}`);
      }
    }
    const licence = await built.app.inject('/openreferral/schema/LICENSE');
    assert.match(licence.body, /Attribution-ShareAlike 4.0/);
  });

  test('is described by the public URL when one is set', async () => {
    const withUrl = await buildTestApp(database(), {
      config: { ...(await import('../platform/config.ts')).loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_URL: 'https://frontdoor.example.scot' }) },
    });
    try {
      assert.equal((await withUrl.app.inject('/openreferral/')).json().openapi_url, 'https://frontdoor.example.scot/openreferral/openapi.json');
      assert.equal((await withUrl.app.inject('/openreferral/openapi.json')).json().servers[0].url, 'https://frontdoor.example.scot/openreferral');
    } finally {
      await withUrl.app.close();
    }
  });

  test('limits how many requests one address makes in a minute, with a JSON 429 that says when to come back', async () => {
    const limited = await buildTestApp(database(), { openReferralRateLimitPerMinute: 3 });
    try {
      for (let n = 0; n < 3; n++) {
        const response = await limited.app.inject('/openreferral/taxonomies');
        assert.equal(response.statusCode, 200);
        assert.equal(response.headers['x-ratelimit-limit'], '3');
      }
      const refused = await limited.app.inject('/openreferral/taxonomies');
      assert.equal(refused.statusCode, 429);
      assert.equal(refused.json().error, 'rate_limited');
      assert.ok(Number(refused.headers['retry-after']) > 0);
      assert.equal(refused.headers['access-control-allow-origin'], '*');
      const elsewhere = await limited.app.inject({ url: '/openreferral/taxonomies', remoteAddress: '192.0.2.7' });
      assert.equal(elsewhere.statusCode, 200, 'another address is not held back');
      assert.equal((await limited.app.inject('/healthz')).statusCode, 200, 'the rest of the app is not limited');
    } finally {
      await limited.app.close();
    }
  });
});

import assert from 'node:assert/strict';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import type { App } from '../app.ts';
import { fixedClock } from '../platform/clock.ts';
import { describeOnEachEngine } from '../platform/testing/databases.ts';
import { buildTestApp } from '../platform/testing/app.ts';
import { insertSmallDirectory } from '../directory/testing/fixtures.ts';

describeOnEachEngine('search API', (database) => {
  let built: App;
  let ids: Awaited<ReturnType<typeof insertSmallDirectory>>;
  before(async () => {
    ids = await insertSmallDirectory(database().db);
    built = await buildTestApp(database(), { clock: fixedClock('2026-11-24T10:00:00Z') });
    await built.services.searchSync.loadAll();
  });
  after(async () => built.app.close());

  const search = async (query: string) => {
    const response = await built.app.inject(`/api/v1/search?${query}`);
    return { status: response.statusCode, body: response.json() };
  };

  test('answers with total, paging, facets and results', async () => {
    const { status, body } = await search('q=carers');
    assert.equal(status, 200);
    assert.equal(body.page, 1);
    assert.equal(body.per_page, 20);
    assert.deepEqual(new Set(body.results.map((r: { id: string }) => r.id)), new Set([ids.carersServiceId, ids.areaServiceId, ids.helplineId]));
    const first = body.results.find((r: { id: string }) => r.id === ids.carersServiceId);
    assert.deepEqual(first.organization, { id: ids.organizationId, name: "Irvine Carers' Centre" });
    assert.equal(first.url, `/services/${ids.carersServiceId}`);
    assert.equal(first.summary, 'Advice, a listening ear and short breaks for unpaid carers.');
    assert.equal('match' in first, false, 'match only appears when near is given');
    assert.ok(body.facets.category.some((f: { value: string; count: number }) => f.value === 'carers-centres' && f.count === 1));
    assert.ok(body.facets.category.some((f: { value: string; count: number }) => f.value === 'dementia' && f.count === 0), 'every value has a count');
    assert.deepEqual(body.facets.free.map((f: { value: string }) => f.value), ['true', 'false']);
    assert.ok(!body.results.some((r: { id: string }) => r.id === ids.hiddenServiceId), 'unlisted organisations are not searchable');
  });

  test('near a postcode: near, covers_area and national, each with a reason in words', async () => {
    const { status, body } = await search('near=KA12%208BD&radius=5');
    assert.equal(status, 200);
    const byId = new Map(body.results.map((r: { id: string }) => [r.id, r]));
    const near = byId.get(ids.carersServiceId) as { match: string; distance_miles: number; reason: string };
    assert.equal(near.match, 'near');
    assert.ok(near.distance_miles < 2);
    assert.match(near.reason, /^\d+\.\d miles? away$|less than 0.1 miles away/);
    const area = byId.get(ids.areaServiceId) as { match: string; reason: string; status: string };
    assert.equal(area.match, 'covers_area');
    assert.equal(area.reason, 'covers North Ayrshire');
    assert.equal(area.status, 'temporarily closed');
    const helpline = byId.get(ids.helplineId) as { match: string; reason: string };
    assert.equal(helpline.match, 'national');
    assert.equal(helpline.reason, 'national helpline');
    assert.equal(body.place.council_area, 'North Ayrshire');
  });

  test('an island name resolves and finds the service delivered there', async () => {
    const { body } = await search('near=Arran&radius=3&sort=distance');
    assert.equal(body.results[0].id, ids.carersServiceId);
    assert.equal(body.results[0].match, 'near');
  });

  test('filters combine, and facets leave out only their own filter', async () => {
    const { body } = await search('free=true&access=phone');
    assert.deepEqual(body.results.map((r: { id: string }) => r.id), []);
    const both = await search('access=phone,drop_in');
    assert.deepEqual(both.body.results.map((r: { id: string }) => r.id), [ids.helplineId]);
    const free = await search('free=true');
    assert.deepEqual(free.body.results.map((r: { id: string }) => r.id), [ids.carersServiceId]);
    assert.equal(free.body.facets.free.find((f: { value: string }) => f.value === 'false').count, 2);
    const aged = await search('age=10');
    assert.deepEqual(aged.body.results.map((r: { id: string }) => r.id).sort(), [ids.areaServiceId, ids.helplineId].sort());
    const monday = await search('day=monday');
    assert.deepEqual(monday.body.results.map((r: { id: string }) => r.id), [ids.carersServiceId]);
  });

  test('bad parameters are 400s that name the parameter and what is valid', async () => {
    const radius = await search('near=Irvine&radius=500');
    assert.equal(radius.status, 400);
    assert.equal(radius.body.parameter, 'radius');
    assert.match(radius.body.message, /at most 200/);

    const sort = await search('sort=best');
    assert.equal(sort.body.parameter, 'sort');
    assert.deepEqual(sort.body.allowed, ['relevance', 'distance', 'reviewed', 'name']);

    const distance = await search('sort=distance');
    assert.equal(distance.status, 400);
    assert.equal(distance.body.parameter, 'sort');

    const category = await search('category=knitting');
    assert.equal(category.status, 400);
    assert.equal(category.body.parameter, 'category');
    assert.match(category.body.message, /"knitting" does not exist/);

    const group = await search('client_group=aliens');
    assert.equal(group.status, 400);
    assert.equal(group.body.parameter, 'client_group');

    const mode = await search('mode=carrier-pigeon');
    assert.equal(mode.status, 400);
    assert.equal(mode.body.parameter, 'mode');

    const page = await search('per_page=1000');
    assert.equal(page.body.parameter, 'per_page');
  });

  test('an unknown place is a 400 with suggestions', async () => {
    const { status, body } = await search('near=Irvin');
    assert.equal(status, 400);
    assert.equal(body.parameter, 'near');
    assert.ok(body.suggestions.includes('Irvine'));
    assert.match(body.message, /Did you mean/);
  });

  test('changes in the database reach the index on the next refresh', async () => {
    const { db } = database();
    await db.updateTable('service').set({ name: 'Carers wellbeing cafe', updated_at: new Date() }).where('id', '=', ids.carersServiceId).execute();
    await built.services.searchSync.refresh();
    assert.deepEqual((await search('q=wellbeing%20cafe')).body.results.map((r: { id: string }) => r.id), [ids.carersServiceId]);
    await db.updateTable('service').set({ status: 'defunct', updated_at: new Date() }).where('id', '=', ids.helplineId).execute();
    await built.services.searchSync.refresh();
    assert.ok(!(await search('q=helpline')).body.results.some((r: { id: string }) => r.id === ids.helplineId), 'defunct services drop out');
  });

  test('a repeated search is answered from the kept answer until the index changes, in the encoding asked for', async () => {
    const { db } = database();
    const plain = await built.app.inject('/api/v1/search?q=carers&per_page=50');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.match(String(plain.headers['content-type']), /^application\/json/);
    assert.equal(plain.headers.vary, 'accept-encoding');
    const gzip = await built.app.inject({ url: '/api/v1/search?q=carers&per_page=50', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    assert.equal(gzip.headers['content-encoding'], 'gzip', 'gzip is preferred when the client takes both');
    assert.deepEqual(JSON.parse(gunzipSync(gzip.rawPayload).toString()), plain.json());
    const brotli = await built.app.inject({ url: '/api/v1/search?q=carers&per_page=50', headers: { 'accept-encoding': 'br' } });
    assert.equal(brotli.headers['content-encoding'], 'br');
    assert.deepEqual(JSON.parse(brotliDecompressSync(brotli.rawPayload).toString()), plain.json());

    // The same words again after a change in this process: the new name, not the kept answer.
    await db.updateTable('service').set({ name: 'Carers respite and advice', updated_at: new Date() }).where('id', '=', ids.carersServiceId).execute();
    await built.services.searchSync.refreshServices([ids.carersServiceId]);
    for (const headers of [{}, { 'accept-encoding': 'gzip' }]) {
      const again = await built.app.inject({ url: '/api/v1/search?q=carers&per_page=50', headers });
      const body = headers['accept-encoding' as keyof typeof headers] ? JSON.parse(gunzipSync(again.rawPayload).toString()) : again.json();
      assert.equal(body.results.find((r: { id: string }) => r.id === ids.carersServiceId).name, 'Carers respite and advice');
    }
  });

  test('a search that finds nothing is reported to the desk every time it is made', async () => {
    const { db } = database();
    const times = async () => (await db.selectFrom('search_miss').select('times').where('words', '=', 'zither lessons').executeTakeFirst())?.times ?? 0;
    const before = Number(await times());
    for (let i = 0; i < 2; i++) assert.equal((await search('q=zither%20lessons')).body.total, 0);
    assert.equal(Number(await times()), before + 2);
  });
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Kysely } from 'kysely';
import type { App } from '../app.ts';
import type { Database } from '../platform/db/schema.ts';
import { describeOnEachEngine } from '../platform/testing/databases.ts';
import { buildTestApp } from '../platform/testing/app.ts';
import { termId } from '../directory/taxonomy.ts';
import { ACCESS_TAXONOMY, ACCESS_TERMS } from './access-taxonomy.ts';

// Every query parameter of the profile (and HSDS's organization_id, modified_after), alone and
// combined, on a directory small enough to know the right answer by heart.

async function insertFilterDirectory(db: Kysely<Database>) {
  const [a, b, hidden] = await db
    .insertInto('organization')
    .values([{ name: 'Org A' }, { name: 'Org B' }, { name: 'Hidden Org', listed: false }])
    .returning('id')
    .execute();
  const [cafe, walks, helpline, young, hiddenService, advice] = await db
    .insertInto('service')
    .values([
      {
        organization_id: a!.id,
        name: 'Dementia café',
        description: 'A friendly café for people living with dementia.',
        minimum_age: 50,
        access_routes: ['self_referral'],
        free_of_charge: true,
        updated_at: '2026-01-10T12:00:00Z',
      },
      {
        organization_id: a!.id,
        name: 'Walking group',
        description: 'Gentle walks, 100% free.',
        maximum_age: 18,
        delivery_modes: ['in_person'],
        updated_at: '2025-05-01T00:00:00Z',
      },
      { organization_id: a!.id, name: 'Carers helpline', access_routes: ['phone'], updated_at: '2026-02-01T00:00:00Z' },
      { organization_id: b!.id, name: 'Young carers group', minimum_age: 8, maximum_age: 18, updated_at: '2025-03-01T00:00:00Z' },
      { organization_id: hidden!.id, name: 'Hidden dementia service', updated_at: '2026-03-01T00:00:00Z' },
      { organization_id: a!.id, name: 'Edinburgh advice', description: 'Money advice.', updated_at: '2025-02-01T00:00:00Z' },
    ])
    .returning('id')
    .execute();
  const [irvine, glasgow, kilwinning, edinburgh] = await db
    .insertInto('location')
    .values([
      { name: 'Irvine hall', latitude: 55.6116, longitude: -4.6694, council_area_code: 'north-ayrshire' },
      { name: 'Glasgow hall', latitude: 55.8642, longitude: -4.2518, council_area_code: 'glasgow-city' },
      { name: 'Kilwinning hall', latitude: 55.653, longitude: -4.706, council_area_code: 'north-ayrshire' },
      { name: 'Edinburgh office', latitude: 55.9533, longitude: -3.1883, council_area_code: 'city-of-edinburgh' },
    ])
    .returning('id')
    .execute();
  const links = await db
    .insertInto('service_at_location')
    .values([
      { service_id: cafe!.id, location_id: irvine!.id },
      { service_id: walks!.id, location_id: glasgow!.id },
      { service_id: young!.id, location_id: irvine!.id },
      { service_id: young!.id, location_id: kilwinning!.id },
      { service_id: hiddenService!.id, location_id: irvine!.id },
      { service_id: advice!.id, location_id: edinburgh!.id },
    ])
    .returning(['id', 'service_id', 'location_id'])
    .execute();
  const youngAtKilwinning = links.find((link) => link.service_id === young!.id && link.location_id === kilwinning!.id)!;
  await db
    .insertInto('attribute')
    .values([
      { service_id: cafe!.id, taxonomy_term_id: termId('categories', 'dementia') },
      { service_id: cafe!.id, taxonomy_term_id: termId('client-groups', 'older-people') },
      { service_id: walks!.id, taxonomy_term_id: termId('categories', 'walking-groups') },
      { service_id: helpline!.id, taxonomy_term_id: termId('categories', 'carers-centres') },
      { service_id: helpline!.id, taxonomy_term_id: termId('client-groups', 'carers') },
      { service_id: young!.id, taxonomy_term_id: termId('categories', 'carers-centres') },
      { service_id: hiddenService!.id, taxonomy_term_id: termId('categories', 'dementia') },
      { location_id: irvine!.id, taxonomy_term_id: termId('accessibility', 'step-free-access') },
    ])
    .execute();
  await db
    .insertInto('schedule')
    .values([
      { service_id: cafe!.id, freq: 'WEEKLY', byday: 'MO,WE', opens_at: '10:00', closes_at: '12:00' },
      { service_id: walks!.id, freq: 'WEEKLY', byday: 'SA', opens_at: '09:00', closes_at: '11:00' },
      { service_id: helpline!.id, freq: 'WEEKLY', byday: 'MO,TU,WE,TH,FR', opens_at: '09:00', closes_at: '17:00' },
      { service_at_location_id: youngAtKilwinning.id, freq: 'WEEKLY', byday: 'TU', opens_at: '16:00', closes_at: '18:00' },
    ])
    .execute();
  await db
    .insertInto('service_area')
    .values([
      { service_id: walks!.id, name: 'Glasgow City', area_type: 'council_area', area_name: 'Glasgow City' },
      { service_id: helpline!.id, name: 'Scotland', area_type: 'scotland' },
      { service_id: young!.id, name: 'North Ayrshire', area_type: 'council_area', area_name: 'North Ayrshire' },
      { service_id: advice!.id, name: 'Edinburgh', area_type: 'partnership', area_name: 'Edinburgh Health and Social Care Partnership' },
    ])
    .execute();
  return { organizationB: b!.id };
}

describeOnEachEngine('Open Referral query parameters', (database) => {
  let built: App;
  let organizationB: string;
  before(async () => {
    ({ organizationB } = await insertFilterDirectory(database().db));
    built = await buildTestApp(database());
  });
  after(async () => built.app.close());

  async function get(url: string) {
    const response = await built.app.inject(url);
    assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
    return response.json();
  }
  async function services(query: string): Promise<string[]> {
    const body = await get(`/openreferral/services?per_page=100&${query}`);
    assert.equal(body.total_items, body.contents.length);
    return body.contents.map((service: { name: string }) => service.name).sort();
  }
  /** "service @ location" for each service at location, in the order given. */
  async function links(query: string): Promise<string[]> {
    const body = await get(`/openreferral/service_at_locations?per_page=100&${query}`);
    return body.contents.map((link: { service: { name: string }; location: { name: string } }) => `${link.service.name} @ ${link.location.name}`);
  }

  test('search: every word, in the name or description, in any case; % and _ are plain characters', async () => {
    assert.deepEqual(await services('search=dementia'), ['Dementia café']);
    assert.deepEqual(await services('search=FRIENDLY+dementia'), ['Dementia café']);
    assert.deepEqual(await services('search=friendly+walks'), []);
    assert.deepEqual(await services('search=100%25'), ['Walking group']);
    assert.deepEqual(await services('search=100_'), []);
    assert.deepEqual(await services('search=carers'), ['Carers helpline', 'Young carers group']);
  });

  test('taxonomy_term_id: the term or its children, on the service or on one of its locations', async () => {
    assert.deepEqual(await services(`taxonomy_term_id=${termId('categories', 'dementia')}`), ['Dementia café']);
    assert.deepEqual(await services(`taxonomy_term_id=${termId('categories', 'physical-activity')}`), ['Walking group']);
    assert.deepEqual(await services(`taxonomy_term_id=${termId('accessibility', 'step-free-access')}`), ['Dementia café', 'Young carers group']);
    assert.deepEqual(await links(`taxonomy_term_id=${termId('accessibility', 'step-free-access')}`).then((found) => found.sort()), [
      'Dementia café @ Irvine hall',
      'Young carers group @ Irvine hall',
    ]);
  });

  test('taxonomy_id: any term of the taxonomy', async () => {
    const categories = (await get('/openreferral/taxonomies')).contents.find((taxonomy: { name: string }) => taxonomy.name === 'Frontdoor categories');
    assert.deepEqual(await services(`taxonomy_id=${categories.id}`), ['Carers helpline', 'Dementia café', 'Walking group', 'Young carers group']);
  });

  test('access routes, delivery modes and free of charge filter through their derived terms', async () => {
    const term = (code: string) => ACCESS_TERMS.find((candidate) => candidate.code === code)!.id;
    assert.deepEqual(await services(`taxonomy_term_id=${term('free-of-charge')}`), ['Dementia café']);
    assert.deepEqual(await services(`taxonomy_term_id=${term('access-route:phone')}`), ['Carers helpline']);
    assert.deepEqual(await services(`taxonomy_term_id=${term('access-routes')}`), ['Carers helpline', 'Dementia café']);
    assert.deepEqual(await services(`taxonomy_term_id=${term('delivery-mode:in_person')}`), ['Walking group']);
    assert.deepEqual(await services(`taxonomy_id=${ACCESS_TAXONOMY.id}`), ['Carers helpline', 'Dementia café', 'Walking group']);
  });

  test('minimum_age and maximum_age read as the profile words them', async () => {
    assert.deepEqual(await services('minimum_age=16'), ['Dementia café']);
    assert.deepEqual(await services('minimum_age=8'), ['Dementia café', 'Young carers group']);
    assert.equal((await services('minimum_age=0')).length, 5);
    assert.deepEqual(await services('maximum_age=18'), ['Walking group', 'Young carers group']);
    assert.deepEqual(await services('maximum_age=17.5'), []);
  });

  test('day, start_time and end_time: one schedule of the service, or of the service at a location, matches them all', async () => {
    assert.deepEqual(await services('day=MO'), ['Carers helpline', 'Dementia café']);
    assert.deepEqual(await services('day=monday'), ['Carers helpline', 'Dementia café']);
    assert.deepEqual(await services('day=TU'), ['Carers helpline', 'Young carers group']);
    assert.deepEqual(await services('day=SA&start_time=09:00'), ['Walking group']);
    assert.deepEqual(await services('day=SA&start_time=09:30'), []);
    assert.deepEqual(await services('end_time=12:00'), ['Dementia café', 'Walking group']);
    assert.deepEqual(await services('day=MO&end_time=12:00:00'), ['Dementia café']);
    assert.deepEqual(await services('start_time=16:00&end_time=18:00'), ['Young carers group']);
    assert.deepEqual(await links('day=TU').then((found) => found.sort()), ['Young carers group @ Kilwinning hall']);
  });

  test('organization_id and modified_after (on or after)', async () => {
    assert.deepEqual(await services(`organization_id=${organizationB}`), ['Young carers group']);
    assert.deepEqual(await services('modified_after=2026-01-01'), ['Carers helpline', 'Dementia café']);
    assert.deepEqual(await services('modified_after=2026-01-10T12:00:00Z'), ['Carers helpline', 'Dementia café']);
    assert.deepEqual(await services('modified_after=2026-01-10T12:00:00.001Z'), ['Carers helpline']);
    assert.deepEqual(await services('modified_after=2026-01-10T13:00:00%2B01:00'), ['Carers helpline', 'Dementia café']);
  });

  test('parameters combine with AND', async () => {
    assert.deepEqual(await services(`taxonomy_term_id=${termId('categories', 'carers-centres')}&minimum_age=5`), ['Young carers group']);
    assert.deepEqual(await services(`taxonomy_term_id=${termId('categories', 'carers-centres')}&day=MO&search=helpline`), ['Carers helpline']);
    assert.deepEqual(await services(`taxonomy_term_id=${termId('categories', 'carers-centres')}&day=SA`), []);
    assert.deepEqual(await services(`organization_id=${organizationB}&modified_after=2026-01-01`), []);
  });

  test('postcode with proximity: locations within that many metres, nearest first', async () => {
    // Two services at one hall are equally near: their order between them is by id.
    assert.deepEqual((await links('postcode=KA12+8AA&proximity=2000')).sort(), ['Dementia café @ Irvine hall', 'Young carers group @ Irvine hall']);
    const wider = await links('postcode=ka128aa&proximity=6000');
    assert.deepEqual(wider.slice(2), ['Young carers group @ Kilwinning hall']);
    assert.deepEqual(await links('postcode=KA12+8AA&proximity=6000&day=TU'), ['Young carers group @ Kilwinning hall']);
    assert.deepEqual(await links('postcode=KA12&proximity=100'), []);
  });

  test('postcode alone: services that declare service areas must cover it; results nearest first', async () => {
    const irvine = await links('postcode=KA12+8AA');
    assert.deepEqual(irvine.slice(0, 2).sort(), ['Dementia café @ Irvine hall', 'Young carers group @ Irvine hall']);
    assert.deepEqual(irvine.slice(2), ['Young carers group @ Kilwinning hall']);
    assert.deepEqual(await links('postcode=EH1+1YZ'), ['Edinburgh advice @ Edinburgh office', 'Dementia café @ Irvine hall']);
    assert.deepEqual(await links('postcode=G1+1XQ'), ['Walking group @ Glasgow hall', 'Dementia café @ Irvine hall']);
    assert.deepEqual(await links('postcode=SW1A+1AA'), ['Dementia café @ Irvine hall']);
  });

  test('the paging envelope: totals, sizes, first and last pages, and a page beyond the last', async () => {
    const first = await get('/openreferral/services?per_page=2');
    assert.deepEqual({ ...first, contents: first.contents.length }, {
      total_items: 5, total_pages: 3, page_number: 1, size: 2, first_page: true, last_page: false, empty: false, contents: 2,
    });
    const last = await get('/openreferral/services?per_page=2&page=3');
    assert.deepEqual({ ...last, contents: last.contents.length }, {
      total_items: 5, total_pages: 3, page_number: 3, size: 1, first_page: false, last_page: true, empty: false, contents: 1,
    });
    const beyond = await get('/openreferral/services?per_page=2&page=9');
    assert.deepEqual({ ...beyond, contents: beyond.contents.length }, {
      total_items: 5, total_pages: 3, page_number: 9, size: 0, first_page: false, last_page: true, empty: true, contents: 0,
    });
    const none = await get('/openreferral/services?search=nothing-matches-this');
    assert.deepEqual(none, { total_items: 0, total_pages: 0, page_number: 1, size: 0, first_page: true, last_page: true, empty: true, contents: [] });
    const defaults = await get('/openreferral/taxonomy_terms');
    assert.equal(defaults.size, 50);
    assert.ok(defaults.total_items > 50);
    const clamped = await get('/openreferral/taxonomy_terms?per_page=1000');
    assert.equal(clamped.size, Math.min(100, clamped.total_items));
    assert.equal(clamped.total_pages, Math.ceil(clamped.total_items / 100));
    const small = await get('/openreferral/services?per_page=2&page=2');
    const large = await get('/openreferral/services?per_page=500&page=1');
    assert.deepEqual(large.contents.slice(2, 4), small.contents, 'a clamped per_page still pages consistently');
  });

  test('taxonomy_terms takes HSDS\'s taxonomy_id, parent_id and top_only', async () => {
    const parent = termId('categories', 'physical-activity');
    const children = await get(`/openreferral/taxonomy_terms?parent_id=${parent}`);
    assert.deepEqual(children.contents.map((term: { code: string }) => term.code).sort(), ['dance', 'exercise-classes', 'swimming', 'walking-groups']);
    const top = await get(`/openreferral/taxonomy_terms?top_only=true&taxonomy_id=${ACCESS_TAXONOMY.id}`);
    assert.deepEqual(top.contents.map((term: { code: string }) => term.code).sort(), ['access-routes', 'delivery-modes', 'free-of-charge']);
  });
});

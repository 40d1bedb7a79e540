import assert from 'node:assert/strict';
import { before, after, test } from 'node:test';
import type { App } from '../app.ts';
import { describeOnEachEngine } from '../platform/testing/databases.ts';
import { buildTestApp } from '../platform/testing/app.ts';
import { insertSmallDirectory } from './testing/fixtures.ts';
import { termId } from './taxonomy.ts';

describeOnEachEngine('directory record API', (database) => {
  let built: App;
  let ids: Awaited<ReturnType<typeof insertSmallDirectory>>;
  before(async () => {
    ids = await insertSmallDirectory(database().db);
    built = await buildTestApp(database());
  });
  after(async () => built.app.close());

  const get = (url: string) => built.app.inject({ method: 'GET', url });

  test('a service comes with its organisation, locations, terms, times, costs and languages', async () => {
    const response = await get(`/api/v1/services/${ids.carersServiceId}`);
    assert.equal(response.statusCode, 200);
    const service = response.json();
    assert.equal(service.name, "Carers' support and short breaks");
    assert.deepEqual(service.organization, { id: ids.organizationId, name: "Irvine Carers' Centre" });
    assert.deepEqual(service.access_routes, ['self_referral', 'professional_referral']);
    assert.equal(service.free_of_charge, true);
    assert.equal(service.minimum_age, 16);
    assert.equal('maximum_age' in service, false, 'absent optional fields are left out, not null');
    assert.equal(service.last_reviewed_at, '2026-06-01');
    assert.deepEqual(service.categories.map((term: { code: string }) => term.code), ['carers-centres']);
    assert.deepEqual(service.client_groups.map((term: { code: string }) => term.code), ['carers']);
    assert.equal(service.locations.length, 2);
    const centre = service.locations.find((location: { id: string }) => location.id === ids.centreId);
    assert.deepEqual(centre.council_area, { code: 'north-ayrshire', name: 'North Ayrshire' });
    assert.equal(centre.addresses[0].postal_code, 'KA12 8BD');
    assert.deepEqual(centre.accessibility.map((term: { code: string }) => term.code), ['step-free-access']);
    assert.equal(service.schedules[0].opens_at, '09:30:00');
    assert.equal(service.cost_options[0].amount, 12.5);
    assert.equal(service.languages[0].code, 'gd');
    assert.match(service.updated_at, /^\d{4}-\d{2}-\d{2}T/);
  });

  test('an area-wide service and a national helpline have service areas and no location', async () => {
    const area = (await get(`/api/v1/services/${ids.areaServiceId}`)).json();
    assert.equal(area.status, 'temporarily closed');
    assert.deepEqual(area.locations, []);
    assert.deepEqual(area.service_areas.map((a: { area_type: string; area_name: string }) => [a.area_type, a.area_name]), [['council_area', 'North Ayrshire']]);
    const helpline = (await get(`/api/v1/services/${ids.helplineId}`)).json();
    assert.equal(helpline.service_areas[0].area_type, 'scotland');
    assert.equal(helpline.alert, 'Closed on public holidays.');
  });

  test('lists come in pages with totals, and unlisted organisations stay out', async () => {
    const first = (await get('/api/v1/services?per_page=2')).json();
    assert.equal(first.total, 3);
    assert.equal(first.total_pages, 2);
    assert.equal(first.items.length, 2);
    const second = (await get('/api/v1/services?per_page=2&page=2')).json();
    assert.equal(second.items.length, 1);
    const all = [...first.items, ...second.items].map((service: { id: string }) => service.id);
    assert.equal(new Set(all).size, 3);
    assert.ok(!all.includes(ids.hiddenServiceId));
    assert.equal((await get(`/api/v1/services/${ids.hiddenServiceId}`)).statusCode, 404);
    assert.equal((await get(`/api/v1/organizations/${ids.hiddenOrganizationId}`)).statusCode, 404);
    const organizations = (await get('/api/v1/organizations')).json();
    assert.deepEqual(organizations.items.map((o: { name: string }) => o.name), ["Irvine Carers' Centre"]);
  });

  test('an organisation lists its services, locations, phones and website', async () => {
    const organization = (await get(`/api/v1/organizations/${ids.organizationId}`)).json();
    assert.equal(organization.charity_number, 'SC012345');
    assert.equal(organization.services.length, 3);
    assert.equal(organization.locations.length, 2);
    assert.equal(organization.phones[0].number, '01294 960 002');
  });

  test('a location lists the services delivered there', async () => {
    const location = (await get(`/api/v1/locations/${ids.hallId}`)).json();
    assert.equal(location.name, 'Brodick Village Hall');
    assert.deepEqual(location.services.map((s: { id: string }) => s.id), [ids.carersServiceId]);
    const page = (await get('/api/v1/locations')).json();
    assert.equal(page.total, 2);
  });

  test('taxonomy terms can be listed by taxonomy and by parent', async () => {
    const groups = (await get('/api/v1/taxonomy-terms?taxonomy=client-groups&per_page=100')).json();
    assert.ok(groups.total >= 20);
    assert.ok(groups.items.every((term: { taxonomy: { name: string } }) => term.taxonomy.name === 'Frontdoor client groups'));
    const children = (await get(`/api/v1/taxonomy-terms?parent_id=${termId('categories', 'health-conditions')}&per_page=100`)).json();
    assert.ok(children.items.some((term: { code: string }) => term.code === 'dementia'));
    const one = (await get(`/api/v1/taxonomy-terms/${termId('categories', 'dementia')}`)).json();
    assert.equal(one.name, 'Dementia');
    assert.equal(one.parent_id, termId('categories', 'health-conditions'));
  });

  test('unknown ids are 404 with a JSON body', async () => {
    for (const kind of ['organizations', 'services', 'locations', 'taxonomy-terms']) {
      const response = await get(`/api/v1/${kind}/00000000-0000-4000-8000-000000000000`);
      assert.equal(response.statusCode, 404, kind);
      assert.equal(response.json().error, 'not_found');
      assert.match(response.json().message, /No .* has the id/);
    }
  });

  test('bad parameters are 400 naming the parameter and what would be valid', async () => {
    const notUuid = await get('/api/v1/services/not-a-uuid');
    assert.equal(notUuid.statusCode, 400);
    assert.equal(notUuid.json().parameter, 'id');
    assert.match(notUuid.json().message, /must be a UUID/);

    const tooMany = (await get('/api/v1/services?per_page=500')).json();
    assert.equal(tooMany.parameter, 'per_page');
    assert.match(tooMany.message, /at most 100/);

    const notNumber = (await get('/api/v1/organizations?page=two')).json();
    assert.equal(notNumber.parameter, 'page');
    assert.match(notNumber.message, /whole number/);

    const badTaxonomy = await get('/api/v1/taxonomy-terms?taxonomy=colours');
    assert.equal(badTaxonomy.statusCode, 400);
    assert.equal(badTaxonomy.json().parameter, 'taxonomy');
    assert.deepEqual(badTaxonomy.json().allowed, ['categories', 'client-groups', 'accessibility']);
  });
});

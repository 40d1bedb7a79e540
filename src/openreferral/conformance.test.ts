import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { App } from '../app.ts';
import { describeOnEachEngine } from '../platform/testing/databases.ts';
import { buildTestApp } from '../platform/testing/app.ts';
import { insertEdgeCases, type EdgeCases } from './testing/fixtures.ts';
import { generateServices } from './testing/generate.ts';
import { conformanceChecker } from './testing/conformance.ts';

// Item 3 of the issue: every endpoint, the first, a middle and the last page of every list, and every
// kind of record, validated against the profile's official schemas, for generated data and for edge cases.

type Json = any;

describeOnEachEngine('the Open Referral feed conforms to the UK profile', (database) => {
  let built: App;
  let edge: EdgeCases;
  before(async () => {
    edge = await insertEdgeCases(database().db);
    await generateServices(database().db, { count: 230, seed: 7, batchSize: 100 });
    built = await buildTestApp(database());
  });
  after(async () => built.app.close());

  const check = () => conformanceChecker(built.app);
  const getValid = (url: string, pathTemplate: string) => check().getValid(url, pathTemplate);
  const firstMiddleLast = (url: string, pathTemplate: string, perPage: number) => check().firstMiddleLast(url, pathTemplate, perPage);

  test('GET /openreferral/ says which version and profile, and where the OpenAPI document is', async () => {
    const body = await getValid('/openreferral/', '/');
    assert.deepEqual(Object.keys(body).sort(), ['openapi_url', 'profile', 'version']);
    assert.equal(body.version, '3.0');
    assert.match(body.openapi_url, /^http:\/\/localhost(:\d+)?\/openreferral\/openapi\.json$/);
    assert.match(body.profile, /^https:\/\//);
    assert.equal((await built.app.inject('/openreferral')).statusCode, 200);
  });

  test('services: first, middle and last pages, plain and fully nested', async () => {
    await firstMiddleLast('/openreferral/services', '/services', 25);
    const nested = await firstMiddleLast('/openreferral/services?full=true', '/services', 40);
    assert.ok(nested.some((service) => service.service_at_locations), 'full=true nests locations');
  });

  test('service_at_locations: first, middle and last pages, plain and fully nested', async () => {
    await firstMiddleLast('/openreferral/service_at_locations', '/service_at_locations', 25);
    await firstMiddleLast('/openreferral/service_at_locations?full=true', '/service_at_locations', 50);
  });

  test('organizations, taxonomies and taxonomy terms: first, middle and last pages', async () => {
    await firstMiddleLast('/openreferral/organizations', '/organizations', 10);
    await firstMiddleLast('/openreferral/taxonomies', '/taxonomies', 1);
    await firstMiddleLast('/openreferral/taxonomy_terms', '/taxonomy_terms', 20);
  });

  test('every service, service at location, organisation, taxonomy and term by id', async () => {
    const services = (await getValid('/openreferral/services?per_page=100&page=1', '/services')).contents;
    for (const service of services) await getValid(`/openreferral/services/${service.id}`, '/services/{id}');
    for (const id of Object.values(edge.serviceIds).filter((id) => id !== edge.serviceIds.internal)) {
      await getValid(`/openreferral/services/${id}`, '/services/{id}');
    }
    const links = (await getValid('/openreferral/service_at_locations?per_page=60', '/service_at_locations')).contents;
    for (const link of [...links, { id: edge.everythingAtHubId }]) {
      await getValid(`/openreferral/service_at_locations/${link.id}`, '/service_at_locations/{id}');
    }
    const organizations = (await getValid('/openreferral/organizations?per_page=100', '/organizations')).contents;
    for (const organization of organizations) {
      await getValid(`/openreferral/organizations/${organization.id}`, '/organizations/{id}');
    }
    await getValid(`/openreferral/organizations/${edge.organizationIds.full}?full_service=true`, '/organizations/{id}');
    const taxonomies = (await getValid('/openreferral/taxonomies?per_page=100', '/taxonomies')).contents;
    assert.equal(taxonomies.length, 4);
    for (const taxonomy of taxonomies) {
      const full = await getValid(`/openreferral/taxonomies/${taxonomy.id}`, '/taxonomies/{id}');
      assert.ok(full.taxonomy_terms.length > 0);
    }
    const terms = (await getValid('/openreferral/taxonomy_terms?per_page=100', '/taxonomy_terms')).contents;
    for (const term of terms) await getValid(`/openreferral/taxonomy_terms/${term.id}`, '/taxonomy_terms/{id}');
  });

  test('a service with every optional field present publishes all of them, HSDS fields included', async () => {
    const service = await getValid(`/openreferral/services/${edge.serviceIds.everything}`, '/services/{id}');
    for (const field of [
      'id', 'organization_id', 'name', 'alternate_name', 'description', 'url', 'email', 'status', 'interpretation_services',
      'application_process', 'fees_description', 'fees', 'wait_time', 'accreditations', 'eligibility_description', 'minimum_age',
      'maximum_age', 'assured_date', 'alert', 'last_modified', 'frontdoor_summary', 'organization', 'phones', 'schedules',
      'service_areas', 'service_at_locations', 'languages', 'cost_options', 'contacts', 'attributes',
    ]) {
      assert.ok(field in service, `the service has ${field}`);
    }
    assert.equal(service.last_modified, '2026-03-01T09:30:00.123Z');
    assert.deepEqual(service.languages, [
      { id: service.languages[0].id, service_id: service.id, name: 'Scottish Gaelic', code: 'gd', note: 'On Wednesdays.' },
    ]);
    const mainLine = service.phones.find((phone: Json) => phone.number === '01294 960 000');
    assert.equal(mainLine.extension, 204);
    assert.deepEqual(mainLine.languages.map((language: Json) => language.code), ['pl']);
    const textLine = service.phones.find((phone: Json) => phone.number === '07700 900 000');
    assert.equal(textLine.extension, undefined);
    assert.equal(textLine.description, 'Extension: ask for Morag');
    assert.equal(service.organization.organization_identifiers[0].identifier, 'SC012345');
    assert.equal(service.contacts[0].phones[0].number, '01294 960 002');

    const [link] = service.service_at_locations;
    assert.equal(link.description, 'At the Hub on weekdays.');
    assert.deepEqual(link.schedules.map((schedule: Json) => schedule.byday), ['FR']);
    assert.equal(link.phones[0].number, '01294 960 010');
    assert.equal(link.contacts[0].phones[0].number, '01294 960 003');
    const location = link.location;
    for (const field of ['url', 'alternate_name', 'transportation', 'external_identifier', 'addresses', 'accessibility', 'attributes', 'phones', 'schedules', 'contacts', 'languages']) {
      assert.ok(field in location, `the location has ${field}`);
    }
    assert.deepEqual(location.accessibility.map((feature: Json) => feature.description).sort(), ['Hearing loop', 'Step-free access']);
    assert.equal(location.languages[0].name, 'British Sign Language');

    // Access routes, delivery modes and free of charge are attributes with terms of a derived taxonomy.
    const derived = service.attributes.filter((attribute: Json) => attribute.taxonomy_term.taxonomy === 'Frontdoor access and delivery');
    assert.deepEqual(
      derived.map((attribute: Json) => attribute.taxonomy_term.code).sort(),
      [
        'access-route:drop_in', 'access-route:online', 'access-route:phone', 'access-route:professional_referral', 'access-route:self_referral',
        'delivery-mode:in_person', 'delivery-mode:online', 'delivery-mode:phone', 'free-of-charge',
      ],
    );
    for (const attribute of derived) {
      const term = await getValid(`/openreferral/taxonomy_terms/${attribute.taxonomy_term_id}`, '/taxonomy_terms/{id}');
      assert.equal(term.id, attribute.taxonomy_term_id);
    }
    const again = await getValid(`/openreferral/services/${edge.serviceIds.everything}`, '/services/{id}');
    assert.deepEqual(again.attributes.map((attribute: Json) => attribute.id), service.attributes.map((attribute: Json) => attribute.id), 'derived ids are stable');
  });

  test('a service with every optional field absent publishes only what it has', async () => {
    const service = await getValid(`/openreferral/services/${edge.serviceIds.minimal}`, '/services/{id}');
    assert.deepEqual(Object.keys(service).sort(), ['id', 'last_modified', 'name', 'organization', 'organization_id', 'schedules', 'status']);
    assert.deepEqual(Object.keys(service.organization).sort(), ['description', 'id', 'name']);
    const listed = (await getValid(`/openreferral/services?organization_id=${edge.organizationIds.bare}`, '/services')).contents;
    assert.deepEqual(Object.keys(listed[0]).sort(), ['id', 'last_modified', 'name', 'organization', 'organization_id', 'status']);
  });

  test('a service with no location, one at ten places, and national services', async () => {
    const helpline = await getValid(`/openreferral/services/${edge.serviceIds.helpline}`, '/services/{id}');
    assert.equal(helpline.service_at_locations, undefined);
    assert.deepEqual(helpline.service_areas.map((area: Json) => [area.name, area.frontdoor_area_type]), [['United Kingdom', 'uk']]);
    const ten = await getValid(`/openreferral/services/${edge.serviceIds.tenPlaces}`, '/services/{id}');
    assert.equal(ten.service_at_locations.length, 10);
    assert.deepEqual(new Set(ten.service_at_locations.map((link: Json) => link.id)), new Set(edge.tenPlacesLinkIds));
    const links = await getValid(`/openreferral/service_at_locations?organization_id=${edge.organizationIds.full}&per_page=100`, '/service_at_locations');
    assert.equal(links.contents.filter((link: Json) => link.service_id === edge.serviceIds.tenPlaces).length, 10);
    assert.ok(!links.contents.some((link: Json) => link.service_id === edge.serviceIds.helpline), 'a service without a location has no service_at_location');
    const scottish = await getValid(`/openreferral/services/${edge.serviceIds.unicode}`, '/services/{id}');
    assert.equal(scottish.service_areas[0].service_area, 'Scotland');
  });

  test('unicode and very long text arrive intact', async () => {
    const unicode = await getValid(`/openreferral/services/${edge.serviceIds.unicode}`, '/services/{id}');
    assert.equal(unicode.name, 'Seirbheis Cùraim Gàidhlig — “Taigh” 🏠 支援 دعم');
    assert.match(unicode.description, /👩‍👩‍👧/);
    const long = await getValid(`/openreferral/services/${edge.serviceIds.long}`, '/services/{id}');
    assert.ok(long.description.length > 18_000);
    assert.ok(long.name.length > 400);
  });

  test('addresses and emails that are not valid are left out rather than published invalid', async () => {
    const messy = await getValid(`/openreferral/services/${edge.serviceIds.messy}`, '/services/{id}');
    assert.equal(messy.url, undefined);
    assert.equal(messy.email, undefined);
    assert.equal(messy.organization.website, 'https://www.messy.example.org/');
    assert.equal(messy.organization.email, undefined);
    assert.equal(messy.organization.logo, undefined);
  });

  test('every status is published as HSDS names it; an unlisted organisation\'s services never are', async () => {
    const statuses = new Map<string, string>();
    for (const [name, id] of Object.entries(edge.serviceIds)) {
      if (name === 'internal') continue;
      statuses.set(name, (await getValid(`/openreferral/services/${id}`, '/services/{id}')).status);
    }
    assert.equal(statuses.get('inactive'), 'inactive');
    assert.equal(statuses.get('defunct'), 'defunct');
    assert.equal(statuses.get('closed'), 'temporarily closed');
    assert.equal(statuses.get('everything'), 'active');
    const hidden = await built.app.inject(`/openreferral/services/${edge.serviceIds.internal}`);
    assert.equal(hidden.statusCode, 404);
    assert.equal((await built.app.inject(`/openreferral/organizations/${edge.organizationIds.hidden}`)).statusCode, 404);
    const all = await getValid('/openreferral/organizations?per_page=100&search=internal', '/organizations');
    assert.equal(all.total_items, 0);
  });

  test('a crawl page by page sees every published service exactly once', async () => {
    const first = await getValid('/openreferral/services?per_page=37', '/services');
    const seen: string[] = [];
    for (let page = 1; page <= first.total_pages; page++) {
      const body = await getValid(`/openreferral/services?per_page=37&page=${page}`, '/services');
      assert.equal(body.page_number, page);
      assert.equal(body.total_items, first.total_items);
      seen.push(...body.contents.map((service: Json) => service.id));
    }
    assert.equal(seen.length, first.total_items);
    assert.equal(new Set(seen).size, seen.length);
    assert.ok(!seen.includes(edge.serviceIds.internal));
    assert.equal(first.total_items, 230 + Object.keys(edge.serviceIds).length - 1);
  });
});

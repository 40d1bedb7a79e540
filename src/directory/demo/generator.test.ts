import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadGeoData } from '../../geography/data.ts';
import { TAXONOMIES } from '../../platform/db/migrations/0002_reference_data.ts';
import { termId, type TaxonomyKey } from '../taxonomy.ts';
import { DEMO_TABLES_IN_INSERT_ORDER, generateDemoDirectory, type DemoDirectory } from './generator.ts';
import { DEMO_COUNCIL_AREAS, DEMO_HOSPITALS } from './places.ts';

const REFERENCE_DATE = new Date('2026-01-15T09:30:00Z');
const DAY = 86_400_000;
const directory = generateDemoDirectory({ seed: 42, referenceDate: REFERENCE_DATE });
const geo = loadGeoData();
const councilAreaByCode = new Map(geo.councilAreas.map((area) => [area.code, area]));
const councilAreaByName = new Map(geo.councilAreas.map((area) => [area.name, area]));

const termCode = new Map<string, string>();
for (const taxonomy of TAXONOMIES) {
  for (const [code, , children] of taxonomy.terms) {
    termCode.set(termId(taxonomy.key as TaxonomyKey, code), code);
    for (const [child] of children ?? []) termCode.set(termId(taxonomy.key as TaxonomyKey, child), child);
  }
}

/** Everything a test needs to know about one service, joined up from the rows. */
interface ServiceView {
  id: string;
  text: string;
  status: string;
  terms: Set<string>;
  locationNames: string[];
  councilAreaCodes: Set<string>;
  boards: Set<string>;
  areaTypes: Set<string>;
  deliveryModes: readonly string[];
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string | null | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const value = key(row);
    if (value) groups.set(value, [...(groups.get(value) ?? []), row]);
  }
  return groups;
}

function viewServices(data: DemoDirectory): ServiceView[] {
  const locations = new Map(data.location.map((row) => [row.id, row]));
  const sitesOf = groupBy(data.service_at_location, (row) => row.service_id);
  const areasOf = groupBy(data.service_area, (row) => row.service_id);
  const attributesOf = groupBy(data.attribute, (row) => row.service_id);
  return data.service.map((service) => {
    const sites = (sitesOf.get(service.id) ?? []).map((row) => locations.get(row.location_id)!);
    const areas = areasOf.get(service.id) ?? [];
    const councilAreaCodes = new Set(sites.map((site) => site.council_area_code!));
    const boards = new Set([...councilAreaCodes].map((code) => councilAreaByCode.get(code)!.healthBoardName));
    for (const area of areas) {
      for (const candidate of geo.councilAreas) {
        const covers =
          (area.area_type === 'council_area' && candidate.name === area.area_name) ||
          (area.area_type === 'partnership' && candidate.partnershipName === area.area_name) ||
          (area.area_type === 'health_board' && candidate.healthBoardName === area.area_name);
        if (covers) {
          councilAreaCodes.add(candidate.code);
          boards.add(candidate.healthBoardName);
        }
      }
    }
    return {
      id: service.id,
      text: `${service.name} ${service.summary} ${service.description}`,
      status: service.status!,
      terms: new Set((attributesOf.get(service.id) ?? []).map((row) => termCode.get(row.taxonomy_term_id)!)),
      locationNames: sites.map((site) => site.name ?? ''),
      councilAreaCodes,
      boards,
      areaTypes: new Set(areas.map((area) => area.area_type)),
      deliveryModes: service.delivery_modes ?? [],
    };
  });
}

const services = viewServices(directory);
const boards = [...new Set(geo.councilAreas.map((area) => area.healthBoardName))];

describe('demo directory generator', () => {
  test('the same seed and day give byte-identical rows; another seed gives different ones', () => {
    const again = generateDemoDirectory({ seed: 42, referenceDate: new Date('2026-01-15T23:59:00Z') });
    assert.equal(JSON.stringify(again), JSON.stringify(directory));
    // A smaller directory is enough to show that another seed changes things, and much quicker.
    const other = generateDemoDirectory({ seed: 7, referenceDate: REFERENCE_DATE, localServiceTarget: 300 });
    assert.notEqual(other.service[0]!.id, directory.service[0]!.id);
    assert.notDeepEqual(other.service.map((row) => row.name), directory.service.map((row) => row.name));
  });

  test('is big enough: at least 600 organisations and 2,000 services', () => {
    assert.ok(directory.organization.length >= 600, `${directory.organization.length} organisations`);
    assert.ok(directory.service.length >= 2000, `${directory.service.length} services`);
    assert.ok(directory.organization.length <= 750 && directory.service.length <= 2600, 'and not far beyond the ~650/2,200 aimed for');
    const perOrganisation = new Map<string, number>();
    for (const row of directory.service) perOrganisation.set(row.organization_id, (perOrganisation.get(row.organization_id) ?? 0) + 1);
    assert.equal(perOrganisation.size, directory.organization.length, 'every organisation runs at least one service');
    assert.ok([...perOrganisation.values()].filter((count) => count >= 5).length >= 50, 'plenty of organisations run several services');
  });

  test('covers all 32 council areas roughly in proportion to population, islands included', () => {
    const perArea = new Map<string, number>();
    for (const service of services) for (const code of service.councilAreaCodes) perArea.set(code, (perArea.get(code) ?? 0) + 1);
    assert.equal(perArea.size, 32);
    assert.ok(perArea.get('glasgow-city')! > 5 * perArea.get('orkney-islands')!);
    assert.ok(perArea.get('city-of-edinburgh')! > 5 * perArea.get('shetland-islands')!);
    assert.ok(perArea.get('fife')! > perArea.get('clackmannanshire')!);
    for (const code of perArea.keys()) assert.ok(perArea.get(code)! >= 14, `${code} has ${perArea.get(code)} services`);
    const postcodes = directory.address.map((row) => row.postal_code);
    for (const [island, districts] of [['Arran', ['KA27']], ['Skye', ['IV49', 'IV51', 'IV55']], ['Lewis', ['HS1', 'HS2']]] as const) {
      assert.ok(postcodes.some((postcode) => districts.some((district) => postcode.startsWith(`${district} `))), `services on ${island}`);
    }
  });

  test('every health board has each kind of support Frontdoor exists for, open now', () => {
    const kinds: Array<[string, (service: ServiceView) => boolean]> = [
      ['a lunch club in sheltered housing', (s) => s.terms.has('sheltered-housing') && s.terms.has('lunch-clubs')],
      ['a social hub in sheltered housing', (s) => s.terms.has('sheltered-housing') && /social hub/i.test(s.text)],
      ['dementia post-diagnostic support', (s) => s.terms.has('dementia') && /post-diagnostic support/i.test(s.text)],
      ['heart failure self-management', (s) => s.terms.has('heart-conditions') && /heart failure/i.test(s.text) && /self-management|six (weekly )?sessions|six-session/i.test(s.text)],
      ['an eye clinic liaison officer in a hospital', (s) => s.terms.has('sight-loss') && /eye clinic liaison officer/i.test(s.text) && s.locationNames.some((name) => /Hospital|Infirmary|Eye Pavilion/.test(name))],
      ['physical activity for severe mental illness', (s) => s.terms.has('exercise-classes') && s.terms.has('people-with-mental-health-conditions') && /severe mental illness/i.test(s.text)],
      ["a carers' centre", (s) => s.terms.has('carers-centres') && /carers' centre/i.test(s.text)],
      ['care-sector employability and training', (s) => s.terms.has('care-sector-training') && s.terms.has('employability')],
    ];
    for (const [kind, matches] of kinds) {
      for (const board of boards) {
        assert.ok(services.some((service) => service.status === 'active' && service.boards.has(board) && matches(service)), `${kind} in ${board}`);
      }
    }
    for (const hospital of DEMO_HOSPITALS) {
      assert.ok(services.some((service) => service.locationNames.includes(hospital.name) && /eye clinic liaison/i.test(service.text)), `an ECLO at ${hospital.name}`);
    }
  });

  test('has the status mix of a real directory, with some listings long unreviewed', () => {
    const share = (status: string) => directory.service.filter((row) => row.status === status).length / directory.service.length;
    assert.ok(share('active') >= 0.9 && share('active') <= 0.96, `active ${share('active')}`);
    assert.ok(share('temporarily closed') >= 0.02 && share('temporarily closed') <= 0.07, `temporarily closed ${share('temporarily closed')}`);
    assert.ok(share('inactive') >= 0.005 && share('inactive') <= 0.04, `inactive ${share('inactive')}`);
    assert.ok(share('defunct') >= 0.002 && share('defunct') <= 0.025, `defunct ${share('defunct')}`);
    for (const row of directory.service.filter((candidate) => candidate.status === 'temporarily closed')) assert.ok(row.alert, `${row.name} says why it is closed`);

    const reference = Date.UTC(2026, 0, 15);
    const ages = directory.service.map((row) => (reference - Date.parse(row.last_reviewed_at!)) / DAY);
    assert.ok(ages.every((age) => age >= 0 && age <= 730));
    const longUnreviewed = ages.filter((age) => age > 365).length / ages.length;
    assert.ok(longUnreviewed >= 0.05 && longUnreviewed <= 0.11, `long unreviewed ${longUnreviewed}`);
  });

  test('has national helplines and area-wide services with no location', () => {
    const national = services.filter((service) => service.areaTypes.has('scotland') || service.areaTypes.has('uk'));
    assert.ok(national.length >= 20, `${national.length} national services`);
    for (const service of national) {
      assert.equal(service.locationNames.length, 0);
      assert.ok(service.deliveryModes.every((mode) => mode === 'phone' || mode === 'online'));
    }
    assert.ok(national.some((service) => service.areaTypes.has('uk')) && national.some((service) => service.areaTypes.has('scotland')));
    for (const type of ['council_area', 'partnership', 'health_board']) {
      const areaWide = services.filter((service) => service.areaTypes.has(type));
      assert.ok(areaWide.length > 0, `area-wide services by ${type}`);
      assert.ok(areaWide.every((service) => service.locationNames.length === 0));
    }
    const sitesPerService = new Map<string, number>();
    for (const row of directory.service_at_location) sitesPerService.set(row.service_id, (sitesPerService.get(row.service_id) ?? 0) + 1);
    assert.ok([...sitesPerService.values()].filter((count) => count >= 2 && count <= 4).length >= 20, 'services at two to four places');
    assert.ok([...sitesPerService.values()].every((count) => count <= 4));
  });

  test('has names with apostrophes, ampersands and Gaelic, and the examples people will look for', () => {
    const names = directory.organization.map((row) => row.name);
    assert.ok(names.filter((name) => name.includes("'")).length >= 20);
    assert.ok(names.filter((name) => name.includes('&')).length >= 10);
    assert.ok(names.filter((name) => /[àèìòùÀÈÌÒÙ]/.test(name)).length >= 3);
    for (const example of ["Irvine Carers' Centre", 'Arran Lunch Club', 'Comann nam Pàrant', 'Age & Opportunity Fife', 'Dementia Friendly Kilwinning', 'Ceòl is Cuimhne']) {
      assert.ok(names.includes(example), example);
    }
    assert.equal(new Set(names).size, names.length, 'organisation names are unique');
  });

  test('gives search realistic words to find', () => {
    const text = services.map((service) => service.text.toLowerCase());
    for (const phrase of ['dementia', "alzheimer's", "carers' centre", 'lunch club', 'walking group', 'heart failure', 'copd', 'sight loss', 'dancing', 'eye clinic liaison officer']) {
      assert.ok(text.filter((entry) => entry.includes(phrase)).length >= 10, `"${phrase}" appears in at least ten services`);
    }
    const lengths = directory.service.map((row) => row.description!.length);
    assert.ok(lengths.filter((length) => length > 2000).length >= 5, 'a few very long descriptions');
    assert.ok(lengths.every((length) => length >= 100));
    const paragraphs = directory.service.map((row) => row.description!.split('\n\n').length);
    assert.ok(paragraphs.includes(1) && paragraphs.includes(2) && paragraphs.includes(3));
    assert.ok(directory.service.every((row) => !/\{\w+\}/.test(`${row.name} ${row.summary} ${row.description}`)), 'no unfilled placeholders');
  });

  test('rows reference each other and the reference data correctly', () => {
    const ids = new Map<string, Set<string>>();
    for (const table of DEMO_TABLES_IN_INSERT_ORDER) {
      const tableIds = new Set(directory[table].map((row) => row.id));
      assert.equal(tableIds.size, directory[table].length, `ids in ${table} are unique`);
      ids.set(table, tableIds);
    }
    const has = (table: string, id: string | null | undefined) => id === null || id === undefined || ids.get(table)!.has(id);
    for (const row of directory.service) assert.ok(has('organization', row.organization_id));
    for (const row of directory.location) assert.ok(has('organization', row.organization_id) && councilAreaByCode.has(row.council_area_code!));
    for (const row of directory.address) assert.ok(has('location', row.location_id));
    for (const row of directory.service_at_location) assert.ok(has('service', row.service_id) && has('location', row.location_id));
    for (const row of [...directory.contact, ...directory.phone]) {
      assert.ok(has('organization', row.organization_id) && has('service', row.service_id));
      assert.equal([row.organization_id, row.service_id].filter(Boolean).length, 1);
    }
    for (const row of directory.schedule) assert.ok(has('service', row.service_id) && has('service_at_location', row.service_at_location_id) && row.service_id);
    for (const row of directory.attribute) {
      assert.ok(termCode.has(row.taxonomy_term_id), 'attribute terms exist in migration 0002');
      assert.equal([row.service_id, row.location_id, row.organization_id].filter(Boolean).length, 1);
      assert.ok(has('service', row.service_id) && has('location', row.location_id));
    }
    for (const row of [...directory.service_area, ...directory.cost_option, ...directory.language, ...directory.url]) {
      assert.ok(has('service', row.service_id));
    }
    const located = new Set([...directory.service_at_location.map((row) => row.service_id), ...directory.service_area.map((row) => row.service_id)]);
    assert.ok(directory.service.every((row) => located.has(row.id)), 'every service has a place or an area');
    const termsPerService = new Map<string, { categories: number; clientGroups: number }>();
    for (const row of directory.attribute.filter((candidate) => candidate.service_id)) {
      const counts = termsPerService.get(row.service_id!) ?? { categories: 0, clientGroups: 0 };
      if (row.taxonomy_term_id === termId('client-groups', termCode.get(row.taxonomy_term_id)!)) counts.clientGroups++;
      else counts.categories++;
      termsPerService.set(row.service_id!, counts);
    }
    for (const counts of termsPerService.values()) {
      assert.ok(counts.categories >= 1 && counts.categories <= 3 && counts.clientGroups >= 1 && counts.clientGroups <= 3);
    }
    assert.equal(termsPerService.size, directory.service.length);
  });

  test('places every address in a real postcode district of its own council area', () => {
    const outcodes = new Map(geo.outcodes.map((row) => [row.outcode, row]));
    const locations = new Map(directory.location.map((row) => [row.id, row]));
    for (const address of directory.address) {
      assert.match(address.postal_code, /^[A-Z]{1,2}\d{1,2} \d[ABD-HJLNP-UW-Z]{2}$/);
      const location = locations.get(address.location_id)!;
      const district = outcodes.get(address.postal_code.split(' ')[0]!)!;
      const area = councilAreaByCode.get(location.council_area_code!)!;
      assert.equal(district.region, area.outcodeRegionLabel, `${address.postal_code} is in ${area.name}`);
      assert.equal(address.region, area.name);
      assert.ok(Math.abs(location.latitude! - district.latitude) < 0.02 && Math.abs(location.longitude! - district.longitude) < 0.03, 'near the district centroid');
    }
    for (const area of DEMO_COUNCIL_AREAS) assert.ok(councilAreaByName.has(area.name));
  });

  test('uses drama phone numbers, example.org addresses and OSCR-style charity numbers', () => {
    const drama = /^(?:18001 )?(?:0141 496 0\d{3}|0131 496 0\d{3}|01632 960\d{3}|0808 157 0\d{3}|07700 900\d{3}|0306 999 0\d{3})$/;
    for (const phone of directory.phone) assert.match(phone.number, drama);
    for (const row of [...directory.organization, ...directory.service, ...directory.contact]) {
      if (row.email) assert.match(row.email, /^[a-z.]+@[a-z0-9-]+\.example\.org$/);
    }
    for (const row of directory.organization) assert.match(row.website!, /^https:\/\/[a-z0-9-]+\.example\.org\/$/);
    const charityNumbers = directory.organization.map((row) => row.charity_number).filter((number): number is string => number !== null && number !== undefined);
    assert.ok(charityNumbers.length > 400);
    for (const number of charityNumbers) assert.match(number, /^SC0\d{5}$/);
    assert.equal(new Set(charityNumbers).size, charityNumbers.length);
  });

  test('has opening times, prices and languages that make sense', () => {
    for (const row of directory.schedule) {
      assert.ok(row.freq === 'WEEKLY' || row.freq === 'MONTHLY');
      assert.match(row.byday!, row.freq === 'WEEKLY' ? /^(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*$/ : /^-?[1-4](MO|TU|WE|TH|FR)$/);
      assert.ok(row.opens_at! < row.closes_at!, `${row.opens_at} before ${row.closes_at}`);
      assert.ok(row.description);
    }
    assert.ok(directory.schedule.some((row) => row.byday === 'MO,WE' || row.byday!.split(',').length === 2));
    const costed = new Set(directory.cost_option.map((row) => row.service_id));
    for (const row of directory.service) assert.equal(row.free_of_charge, !costed.has(row.id));
    const freeShare = directory.service.filter((row) => row.free_of_charge).length / directory.service.length;
    assert.ok(freeShare > 0.7 && freeShare < 0.95, `free ${freeShare}`);
    for (const row of directory.cost_option) assert.ok(row.currency === 'GBP' && row.amount! > 0 && row.amount! < 100);
    const languages = new Set(directory.language.map((row) => row.code));
    for (const code of ['en', 'gd', 'pl', 'bfi', 'ur', 'ar']) assert.ok(languages.has(code), code);
    const english = new Set(directory.language.filter((row) => row.code === 'en').map((row) => row.service_id));
    assert.equal(english.size, directory.service.length, 'every service is offered in English');
  });

  test('timestamps come from the reference day, never after it', () => {
    const end = Date.UTC(2026, 0, 16);
    for (const row of [...directory.organization, ...directory.service, ...directory.location]) {
      const created = Date.parse(row.created_at as string);
      const updated = Date.parse(row.updated_at as string);
      assert.ok(created <= updated && updated < end, `${row.id}: created ${row.created_at}, updated ${row.updated_at}`);
    }
    for (const row of directory.service) assert.ok(Date.parse(row.created_at as string) < Date.parse(row.last_reviewed_at!) + DAY);
  });
});

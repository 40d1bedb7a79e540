import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { stableUuid } from '../../platform/ids.ts';
import { termId, type TaxonomyKey } from '../../directory/taxonomy.ts';
import { ACCESS_ROUTES, DELIVERY_MODES, SERVICE_STATUSES } from '../../platform/db/schema.ts';

// A seeded generator of a plausible directory, for the feed's paging tests and the crawl benchmark:
// about 3.5 services an organisation, most with one to three locations, opening times, a phone, terms
// and sometimes service areas, costs, languages and contacts. Multi-row inserts in batches; ids are
// name-based on the seed so two runs with the same seed make the same rows.
// (The demo branch's generateBenchmarkServices does the same job; this one keeps the feed's tests
// independent of the demo data's exact content.)

export interface GenerateOptions {
  count: number;
  seed?: number;
  batchSize?: number;
  onProgress?: (done: number) => void;
}

function mulberry32(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOWNS: Array<[town: string, councilArea: string, latitude: number, longitude: number, postcode: string]> = [
  ['Irvine', 'north-ayrshire', 55.6194, -4.6634, 'KA12 8AA'],
  ['Glasgow', 'glasgow-city', 55.8642, -4.2518, 'G1 1XQ'],
  ['Edinburgh', 'city-of-edinburgh', 55.9533, -3.1883, 'EH1 1YZ'],
  ['Aberdeen', 'aberdeen-city', 57.1497, -2.0943, 'AB10 1AB'],
  ['Inverness', 'highland', 57.4778, -4.2247, 'IV1 1AA'],
  ['Dundee', 'dundee-city', 56.462, -2.9707, 'DD1 1AA'],
  ['Stornoway', 'na-h-eileanan-siar', 58.209, -6.3865, 'HS1 2AA'],
  ['Lerwick', 'shetland-islands', 60.155, -1.145, 'ZE1 0AA'],
  ['Dumfries', 'dumfries-and-galloway', 55.0709, -3.6051, 'DG1 1AA'],
  ['Perth', 'perth-and-kinross', 56.395, -3.4308, 'PH1 1AA'],
];
const CATEGORIES = ['lunch-clubs', 'befriending', 'dementia', 'stroke', 'mental-health-support', 'walking-groups', 'carers-centres', 'welfare-rights', 'food', 'employability', 'advocacy'];
const CLIENT_GROUPS = ['older-people', 'adults', 'carers', 'young-people', 'veterans', 'women'];
const ACCESSIBILITY = ['step-free-access', 'hearing-loop', 'accessible-toilet'];
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const WORDS = ['community', 'support', 'group', 'advice', 'café', 'walk', 'carers', 'wellbeing', 'club', 'centre', 'help', 'lunch'];

export async function generateServices(db: Kysely<Database>, options: GenerateOptions): Promise<{ services: number; organizations: number }> {
  const seed = options.seed ?? 1;
  const batchSize = options.batchSize ?? 1000;
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const id = (kind: string, n: number | string) => stableUuid(`frontdoor:generated:${seed}:${kind}`, String(n));
  const term = (key: TaxonomyKey, code: string) => termId(key, code);
  const base = Date.UTC(2025, 0, 1);

  let organizations = 0;
  for (let start = 0; start < options.count; start += batchSize) {
    const end = Math.min(options.count, start + batchSize);
    const rows = {
      organization: [] as Insertable<Database['organization']>[],
      service: [] as Insertable<Database['service']>[],
      location: [] as Insertable<Database['location']>[],
      address: [] as Insertable<Database['address']>[],
      service_at_location: [] as Insertable<Database['service_at_location']>[],
      phone: [] as Insertable<Database['phone']>[],
      schedule: [] as Insertable<Database['schedule']>[],
      attribute: [] as Insertable<Database['attribute']>[],
      service_area: [] as Insertable<Database['service_area']>[],
      cost_option: [] as Insertable<Database['cost_option']>[],
      language: [] as Insertable<Database['language']>[],
      contact: [] as Insertable<Database['contact']>[],
    };
    let organizationId = '';
    for (let n = start; n < end; n++) {
      // A new organisation every 3 or 4 services.
      if (n === start || random() < 0.29) {
        organizationId = id('organization', `${n}`);
        organizations++;
        const town = pick(TOWNS);
        rows.organization.push({
          id: organizationId,
          name: `${town[0]} ${pick(WORDS)} ${pick(WORDS)} trust ${n}`,
          description: `A charity in ${town[0]}.`,
          email: random() < 0.7 ? `hello${n}@example.org` : null,
          website: random() < 0.7 ? `https://org${n}.example.org` : null,
          charity_number: random() < 0.5 ? `SC${String(10000 + n).padStart(6, '0')}` : null,
          updated_at: new Date(base + Math.floor(random() * 300) * 86_400_000),
        });
      }
      const serviceId = id('service', n);
      const town = pick(TOWNS);
      const minimumAge = random() < 0.4 ? pick([0, 5, 11, 16, 18, 50, 65]) : null;
      rows.service.push({
        id: serviceId,
        organization_id: organizationId,
        name: `${pick(WORDS)} ${pick(WORDS)} ${n}`,
        summary: `A ${pick(WORDS)} service in ${town[0]}.`,
        description: `We offer ${pick(WORDS)} and ${pick(WORDS)} for people in ${town[0]}. Service number ${n}.`,
        status: random() < 0.9 ? 'active' : pick(SERVICE_STATUSES),
        url: random() < 0.5 ? `https://org.example.org/services/${n}` : null,
        email: random() < 0.5 ? `service${n}@example.org` : null,
        minimum_age: minimumAge,
        maximum_age: random() < 0.2 ? Math.max(minimumAge ?? 0, pick([18, 25, 64, 99])) : null,
        free_of_charge: random() < 0.6,
        access_routes: ACCESS_ROUTES.filter(() => random() < 0.35),
        delivery_modes: DELIVERY_MODES.filter(() => random() < 0.45),
        fees_description: random() < 0.2 ? 'Small charge for lunch.' : null,
        last_reviewed_at: random() < 0.6 ? '2026-01-15' : null,
        updated_at: new Date(base + Math.floor(random() * 365 * 86_400_000)),
      });
      rows.phone.push({ id: id('phone', n), service_id: serviceId, number: `01${String(100000000 + n).slice(0, 9)}`, type: 'voice' });
      const day = pick(DAYS);
      rows.schedule.push({
        id: id('schedule', n),
        service_id: serviceId,
        freq: 'WEEKLY',
        byday: random() < 0.5 ? day : `${day},${pick(DAYS.filter((d) => d !== day))}`,
        opens_at: pick(['09:00', '10:00', '13:30']),
        closes_at: pick(['12:00', '16:00', '17:00', '20:00']),
      });
      const categories = new Set([pick(CATEGORIES), ...(random() < 0.3 ? [pick(CATEGORIES)] : [])]);
      for (const code of categories) rows.attribute.push({ id: id('attribute', `${n}:${code}`), service_id: serviceId, taxonomy_term_id: term('categories', code) });
      if (random() < 0.5) {
        const code = pick(CLIENT_GROUPS);
        rows.attribute.push({ id: id('attribute', `${n}:${code}`), service_id: serviceId, taxonomy_term_id: term('client-groups', code) });
      }
      const locationCount = random() < 0.15 ? 0 : random() < 0.8 ? 1 : 2 + Math.floor(random() * 2);
      if (locationCount === 0) {
        rows.service_area.push(
          random() < 0.5
            ? { id: id('service_area', n), service_id: serviceId, name: 'Scotland', area_type: 'scotland' }
            : { id: id('service_area', n), service_id: serviceId, name: 'North Ayrshire', area_type: 'council_area', area_name: 'North Ayrshire' },
        );
      }
      for (let k = 0; k < locationCount; k++) {
        const place = k === 0 ? town : pick(TOWNS);
        const locationId = id('location', `${n}:${k}`);
        rows.location.push({
          id: locationId,
          organization_id: organizationId,
          name: `${place[0]} ${pick(['hall', 'centre', 'library', 'church'])}`,
          latitude: place[2] + (random() - 0.5) * 0.1,
          longitude: place[3] + (random() - 0.5) * 0.1,
          council_area_code: place[1],
        });
        rows.address.push({ id: id('address', `${n}:${k}`), location_id: locationId, address_1: `${1 + (n % 200)} High Street`, city: place[0], postal_code: place[4] });
        rows.service_at_location.push({ id: id('service_at_location', `${n}:${k}`), service_id: serviceId, location_id: locationId });
        if (random() < 0.3) {
          const code = pick(ACCESSIBILITY);
          rows.attribute.push({ id: id('attribute', `${n}:${k}:${code}`), location_id: locationId, taxonomy_term_id: term('accessibility', code) });
        }
      }
      if (random() < 0.15) rows.cost_option.push({ id: id('cost_option', n), service_id: serviceId, option: 'Per session', amount: 3.5, currency: 'GBP' });
      if (random() < 0.1) rows.language.push({ id: id('language', n), service_id: serviceId, name: 'Scottish Gaelic', code: 'gd' });
      if (random() < 0.1) rows.contact.push({ id: id('contact', n), service_id: serviceId, name: 'Duty worker', title: 'Coordinator' });
    }
    // Parents before children; each table in chunks that stay under PostgreSQL's 65,535 parameters.
    for (const table of Object.keys(rows) as Array<keyof typeof rows>) {
      const values = rows[table] as Array<Record<string, unknown>>;
      for (let offset = 0; offset < values.length; offset += 1000) {
        await db.insertInto(table).values(values.slice(offset, offset + 1000) as never).execute();
      }
    }
    options.onProgress?.(end);
  }
  return { services: options.count, organizations };
}

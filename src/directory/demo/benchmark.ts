import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { stableUuid } from '../../platform/ids.ts';
import type { Progress } from '../../platform/progress.ts';
import { loadGeoData, slugify } from '../../geography/data.ts';
import { termId } from '../taxonomy.ts';
import { DEMO_COUNCIL_AREAS } from './places.ts';
import { mix32, Random } from './random.ts';

// Benchmark mode: up to a million services, as fast as the database will take them. Rows are built
// column by column and sent as arrays, one `insert … select from unnest(…)` per table per batch, so
// PostgreSQL parses one statement for thousands of rows. Each batch is its own short transaction.

/**
 * Words that occur in a known share of benchmark services (in the description), so a search
 * benchmark can ask for a rare, a medium and a common match. None of them, nor any word with the
 * same stem, appears anywhere else in benchmark text, taxonomy term names included.
 */
export const BENCHMARK_VOCABULARY = { rare: 'beekeeping', medium: 'allotment', common: 'friendship' } as const;
export const BENCHMARK_VOCABULARY_SHARES = { rare: 0.005, medium: 0.05, common: 0.3 } as const;

export const BENCHMARK_SERVICES_PER_ORGANISATION = 4;
export const MAX_BENCHMARK_SERVICES = 1_000_000;
const DEFAULT_BATCH_SIZE = 5000;
const DEFAULT_CONCURRENCY = 2;

export interface BenchmarkOptions {
  count: number;
  seed: number;
  /** Services per transaction, rounded up to whole organisations; 5,000 by default. */
  batchSize?: number;
  /**
   * Batches written at once, each on its own connection. Two keeps both cores of a small server
   * busy on PostgreSQL; PGlite has one connection and simply takes them in turn.
   */
  concurrency?: number;
  /** "Today" for review dates and timestamps; the current day by default. */
  referenceDate?: Date;
  /** Told about every batch and stopped at the end. */
  progress?: Progress;
}

export interface BenchmarkSummary {
  services: number;
  organizations: number;
  locations: number;
  serviceAreas: number;
  attributes: number;
  seconds: number;
  servicesPerSecond: number;
}

export class BenchmarkDataExistsError extends Error {
  constructor(seed: number) {
    super(
      `Benchmark services for seed ${seed} are already in this database. ` +
        'Use a different --seed to add more, or start from an empty database.',
    );
    this.name = 'BenchmarkDataExistsError';
  }
}

// ── Word pools ──────────────────────────────────────────────────────────────────────────────────
// Kept free of the vocabulary words above; benchmark.test.ts checks that.

interface Activity {
  name: string;
  summary: string;
  sentence: string;
  categories: readonly string[];
  clientGroups: readonly string[];
  accessRoutes: string;
  deliveryModes: string;
  ages?: readonly [number | null, number | null];
  cost?: true;
}

const ACTIVITIES: readonly Activity[] = [
  { name: 'Lunch Club', summary: 'A hot two-course lunch and company for older people.', sentence: 'Volunteers cook a hot meal from fresh ingredients and there is tea and a quiz afterwards.', categories: ['lunch-clubs', 'social-groups'], clientGroups: ['older-people'], accessRoutes: '{drop_in}', deliveryModes: '{in_person}', ages: [60, null], cost: true },
  { name: 'Social Hub', summary: 'A drop-in lounge with activities and tea for older people in sheltered housing.', sentence: 'Tenants and neighbours come for dominoes, newspapers, crafts and a blether.', categories: ['social-groups', 'sheltered-housing'], clientGroups: ['older-people'], accessRoutes: '{drop_in}', deliveryModes: '{in_person}', ages: [60, null] },
  { name: 'Walking Group', summary: 'Short, gentle led walks for all abilities.', sentence: 'Walks last up to an hour on flat paths with trained walk leaders.', categories: ['walking-groups'], clientGroups: ['adults', 'older-people'], accessRoutes: '{drop_in}', deliveryModes: '{in_person}' },
  { name: 'Memory Café', summary: 'A relaxed café for people living with dementia and their carers.', sentence: "People with Alzheimer's and other dementias enjoy music, reminiscence and home baking.", categories: ['dementia', 'social-groups'], clientGroups: ['people-living-with-dementia', 'carers'], accessRoutes: '{drop_in,self_referral}', deliveryModes: '{in_person}' },
  { name: 'Dementia Link Worker Service', summary: 'Post-diagnostic support from a named link worker after a dementia diagnosis.', sentence: 'Link workers help people understand the diagnosis and plan ahead, including power of attorney.', categories: ['dementia'], clientGroups: ['people-living-with-dementia', 'carers'], accessRoutes: '{professional_referral,self_referral}', deliveryModes: '{in_person,phone}' },
  { name: "Carers' Centre", summary: 'Information, advice and breaks for unpaid carers.', sentence: 'Support workers help with carer support plans, benefits and short breaks.', categories: ['carers-centres', 'short-breaks'], clientGroups: ['carers'], accessRoutes: '{self_referral,drop_in,phone}', deliveryModes: '{in_person,phone,online}' },
  { name: 'Heart Failure Course', summary: 'A six-week self-management course for people with heart failure.', sentence: 'Specialist nurses cover daily weighing, medicines, fluid and breathlessness.', categories: ['heart-conditions'], clientGroups: ['people-with-long-term-conditions'], accessRoutes: '{professional_referral,self_referral}', deliveryModes: '{in_person,online}', ages: [18, null] },
  { name: 'Better Breathing Group', summary: 'Support and gentle exercise for people with COPD.', sentence: 'A respiratory physiotherapist visits once a month to answer questions about inhalers.', categories: ['respiratory', 'exercise-classes'], clientGroups: ['people-with-long-term-conditions'], accessRoutes: '{drop_in}', deliveryModes: '{in_person}' },
  { name: 'Sight Loss Support', summary: 'Advice and equipment for people with sight loss.', sentence: 'An eye clinic liaison officer helps people newly diagnosed with macular degeneration or glaucoma.', categories: ['sight-loss'], clientGroups: ['people-with-sight-loss'], accessRoutes: '{professional_referral,drop_in}', deliveryModes: '{in_person,phone}' },
  { name: 'Active Minds Sessions', summary: 'Supported physical activity for adults with severe mental illness.', sentence: 'Coaches trained in mental health run gym, football and swimming sessions at a gentle pace.', categories: ['exercise-classes', 'mental-health-support'], clientGroups: ['people-with-mental-health-conditions'], accessRoutes: '{professional_referral,self_referral}', deliveryModes: '{in_person}', ages: [18, null] },
  { name: 'Care Careers Course', summary: 'A free pre-employment course for jobs in social care.', sentence: 'Learners gain certificates in moving and handling and get a guaranteed interview.', categories: ['care-sector-training', 'employability'], clientGroups: ['job-seekers'], accessRoutes: '{self_referral,professional_referral}', deliveryModes: '{in_person}', ages: [16, null] },
  { name: 'Tea Dance', summary: 'Ballroom and old-time dancing to live music, with tea.', sentence: 'Beginners are welcome and nobody needs a partner to take to the floor.', categories: ['dance', 'social-groups'], clientGroups: ['older-people'], accessRoutes: '{drop_in}', deliveryModes: '{in_person}', cost: true },
  { name: 'Strength and Balance Class', summary: 'Gentle exercise to reduce the risk of falls.', sentence: 'Instructors trained in falls prevention build up leg strength over twelve weeks.', categories: ['exercise-classes'], clientGroups: ['older-people'], accessRoutes: '{self_referral}', deliveryModes: '{in_person}', ages: [60, null], cost: true },
  { name: 'Aquafit', summary: 'Exercise in warm water, easy on the joints.', sentence: 'A lifeguard and an instructor are on poolside for every session.', categories: ['swimming', 'exercise-classes'], clientGroups: ['older-people', 'people-with-physical-disabilities'], accessRoutes: '{drop_in}', deliveryModes: '{in_person}', cost: true },
  { name: 'Befriending Service', summary: 'A weekly visit from a trained volunteer for people who feel lonely.', sentence: 'Volunteers are matched on shared interests and checked under the PVG scheme.', categories: ['befriending'], clientGroups: ['older-people'], accessRoutes: '{self_referral,professional_referral}', deliveryModes: '{in_person,phone}' },
  { name: 'Welfare Rights Advice', summary: 'Free advice on benefits, forms and appeals.', sentence: 'Advisers check entitlement to Pension Credit, Attendance Allowance and Scottish Child Payment.', categories: ['welfare-rights'], clientGroups: ['adults', 'families'], accessRoutes: '{self_referral,phone}', deliveryModes: '{in_person,phone}' },
  { name: 'Community Pantry', summary: 'A weekly shop of fresh and store-cupboard food for a small fee.', sentence: 'Members choose their own groceries, fruit and vegetables.', categories: ['food'], clientGroups: ['families', 'adults'], accessRoutes: '{drop_in}', deliveryModes: '{in_person}', cost: true },
  { name: "Men's Shed", summary: 'A community workshop for making, mending and a cuppa.', sentence: 'Members build benches and bird boxes and repair bikes for local schools.', categories: ['social-groups', 'volunteering'], clientGroups: ['men', 'older-people'], accessRoutes: '{drop_in}', deliveryModes: '{in_person}' },
  { name: 'Recovery Café', summary: 'A café run by and for people in recovery from drugs and alcohol.', sentence: 'There is a free meal, mutual aid meetings and naloxone training.', categories: ['drugs-alcohol', 'social-groups'], clientGroups: ['people-in-recovery'], accessRoutes: '{drop_in}', deliveryModes: '{in_person}', ages: [16, null] },
  { name: 'Youth Club', summary: 'A safe, free place for young people with activities and trips.', sentence: 'Youth workers run games, cooking and outdoor trips.', categories: ['youth-work'], clientGroups: ['young-people'], accessRoutes: '{drop_in}', deliveryModes: '{in_person}', ages: [11, 18] },
  { name: 'Digital Drop-in', summary: 'Help with phones, tablets and getting online.', sentence: 'Volunteers help with video calls, online banking and repeat prescriptions.', categories: ['digital-skills'], clientGroups: ['older-people', 'adults'], accessRoutes: '{drop_in}', deliveryModes: '{in_person}' },
  { name: 'Stroke Club', summary: 'A friendly club for stroke survivors and their families.', sentence: 'Activities help with speech, memory and movement.', categories: ['stroke', 'social-groups'], clientGroups: ['people-with-long-term-conditions'], accessRoutes: '{drop_in,self_referral}', deliveryModes: '{in_person}' },
  { name: 'Peer Support Group', summary: 'Confidential peer support for adults with mental health problems.', sentence: 'The group is run by people with lived experience of mental ill health.', categories: ['mental-health-support'], clientGroups: ['people-with-mental-health-conditions'], accessRoutes: '{drop_in}', deliveryModes: '{in_person,online}', ages: [18, null] },
  { name: 'Community Transport', summary: 'Door-to-door accessible transport for people who cannot use buses.', sentence: 'Wheelchair-accessible minibuses run to shops and health appointments.', categories: ['community-transport'], clientGroups: ['older-people', 'people-with-physical-disabilities'], accessRoutes: '{self_referral,phone}', deliveryModes: '{in_person}', cost: true },
];

const ORGANISATION_WORDS = ['Community Trust', 'Development Trust', 'Wellbeing Network', 'Care Partnership', 'Community Hub', 'Voluntary Group', 'Neighbourhood Project', 'Support Network'];
const NAME_PREFIXES = ['', '', '', 'Riverside ', 'Hillside ', 'Kirkgate ', 'Northfield ', 'Southside ', 'Parkhead '];
const PRACTICAL_SENTENCES = [
  'The hall has level access and a hearing loop.',
  'There is no need to book; just come along.',
  'Volunteer drivers can collect people who find it hard to get out.',
  'Carers are welcome and never pay.',
  'Referrals are accepted from GPs, link workers and social work.',
  'Information is available in large print and easy read.',
  'Tea and home baking are served at every session.',
  'Sessions are led by trained staff and PVG-checked volunteers.',
];
const VOCABULARY_SENTENCES = {
  rare: ['Members also keep two beekeeping hives behind the hall and sell the honey at the summer fair.', 'A local beekeeping enthusiast gives a talk every spring.'],
  medium: ['There is an allotment next door where people grow vegetables together.', 'Produce from the allotment goes into the soup.'],
  common: ['Above all it is about friendship and feeling part of the community.', 'Many members say the friendship matters most.', 'New friendship groups form every year.'],
} as const;
const STATUSES = ['active', 'temporarily closed', 'inactive', 'defunct'] as const;

// ── Places ──────────────────────────────────────────────────────────────────────────────────────

interface BenchmarkTown {
  name: string;
  outcode: string;
  latitude: number;
  longitude: number;
  areaName: string;
  areaCode: string;
}

let cachedTowns: { towns: BenchmarkTown[]; cumulativeWeights: Float64Array } | undefined;

/** Every town of the demo geography, weighted by the area's population and the town's share in it. */
function benchmarkTowns(): { towns: BenchmarkTown[]; cumulativeWeights: Float64Array } {
  if (cachedTowns) return cachedTowns;
  const geo = loadGeoData();
  const outcodes = new Map(geo.outcodes.map((row) => [row.outcode, row]));
  const towns: BenchmarkTown[] = [];
  const weights: number[] = [];
  for (const area of DEMO_COUNCIL_AREAS) {
    const code = geo.councilAreas.find((candidate) => candidate.name === area.name)!.code;
    const areaWeight = area.towns.reduce((sum, town) => sum + town.weight, 0);
    for (const town of area.towns) {
      for (const outcode of town.outcodes) {
        const centroid = outcodes.get(outcode)!;
        towns.push({ name: town.name, outcode, latitude: centroid.latitude, longitude: centroid.longitude, areaName: area.name, areaCode: code });
        weights.push((area.populationThousands * town.weight) / areaWeight / town.outcodes.length);
      }
    }
  }
  const cumulativeWeights = new Float64Array(weights.length);
  let total = 0;
  for (const [index, weight] of weights.entries()) cumulativeWeights[index] = total += weight;
  cachedTowns = { towns, cumulativeWeights };
  return cachedTowns;
}

function pickTown(random: Random): BenchmarkTown {
  const { towns, cumulativeWeights } = benchmarkTowns();
  const point = random.next() * cumulativeWeights[cumulativeWeights.length - 1]!;
  let low = 0;
  let high = cumulativeWeights.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (cumulativeWeights[middle]! <= point) low = middle + 1;
    else high = middle;
  }
  return towns[low]!;
}

// ── Batches ─────────────────────────────────────────────────────────────────────────────────────

/** One batch of benchmark rows, column by column, ready to be sent as arrays. */
export interface BenchmarkBatch {
  organization: { id: string[]; name: string[]; description: string[]; email: string[]; website: string[]; charity_number: Array<string | null>; created_at: string[]; updated_at: string[] };
  location: { id: string[]; organization_id: string[]; name: string[]; latitude: number[]; longitude: number[]; council_area_code: string[]; created_at: string[]; updated_at: string[] };
  service: {
    id: string[]; organization_id: string[]; name: string[]; summary: string[]; description: string[]; status: string[];
    free_of_charge: boolean[]; access_routes: string[]; delivery_modes: string[]; minimum_age: Array<number | null>; maximum_age: Array<number | null>;
    last_reviewed_at: string[]; created_at: string[]; updated_at: string[];
  };
  service_at_location: { id: string[]; service_id: string[]; location_id: string[] };
  attribute: { id: string[]; taxonomy_term_id: string[]; service_id: string[] };
  service_area: { id: string[]; service_id: string[]; name: string[]; area_type: string[]; area_name: Array<string | null> };
}

function emptyBatch(): BenchmarkBatch {
  return {
    organization: { id: [], name: [], description: [], email: [], website: [], charity_number: [], created_at: [], updated_at: [] },
    location: { id: [], organization_id: [], name: [], latitude: [], longitude: [], council_area_code: [], created_at: [], updated_at: [] },
    service: {
      id: [], organization_id: [], name: [], summary: [], description: [], status: [], free_of_charge: [], access_routes: [],
      delivery_modes: [], minimum_age: [], maximum_age: [], last_reviewed_at: [], created_at: [], updated_at: [],
    },
    service_at_location: { id: [], service_id: [], location_id: [] },
    attribute: { id: [], taxonomy_term_id: [], service_id: [] },
    service_area: { id: [], service_id: [], name: [], area_type: [], area_name: [] },
  };
}

/**
 * Ids are a per-seed, per-table prefix and the row's index in hex: hashing a million names would
 * cost more than building the rows, and an index is just as deterministic.
 */
function idMaker(seed: number, table: string): (index: number) => string {
  const prefix = stableUuid('frontdoor:benchmark', `${seed}/${table}`).slice(0, 24);
  return (index) => prefix + index.toString(16).padStart(12, '0');
}

const CATEGORY_IDS = new Map<string, string>();
const CLIENT_GROUP_IDS = new Map<string, string>();
function categoryId(code: string): string {
  let id = CATEGORY_IDS.get(code);
  if (!id) CATEGORY_IDS.set(code, (id = termId('categories', code)));
  return id;
}
function clientGroupId(code: string): string {
  let id = CLIENT_GROUP_IDS.get(code);
  if (!id) CLIENT_GROUP_IDS.set(code, (id = termId('client-groups', code)));
  return id;
}

const DAY_MS = 86_400_000;

/** Whether service `index` carries each vocabulary word: decided by hashing, so shares are exact-ish at any size. */
export function benchmarkVocabularyFor(seed: number, index: number): { rare: boolean; medium: boolean; common: boolean } {
  return {
    rare: mix32(seed ^ 0x1b873593, index) % 100_000 < BENCHMARK_VOCABULARY_SHARES.rare * 100_000,
    medium: mix32(seed ^ 0x5bd1e995, index) % 100_000 < BENCHMARK_VOCABULARY_SHARES.medium * 100_000,
    common: mix32(seed ^ 0x27d4eb2f, index) % 100_000 < BENCHMARK_VOCABULARY_SHARES.common * 100_000,
  };
}

/**
 * Builds services [start, end). Each service draws from its own seeded stream, and each
 * organisation from its own, so the rows do not depend on the batch size.
 */
export function buildBenchmarkBatch(seed: number, start: number, end: number, referenceDay: number): BenchmarkBatch {
  const batch = emptyBatch();
  const ids = {
    organization: idMaker(seed, 'organization'),
    service: idMaker(seed, 'service'),
    location: idMaker(seed, 'location'),
    serviceAtLocation: idMaker(seed, 'service_at_location'),
    attribute: idMaker(seed, 'attribute'),
    serviceArea: idMaker(seed, 'service_area'),
  };
  const timestamp = (random: Random, daysAgo: number) =>
    new Date(referenceDay - daysAgo * DAY_MS + random.int(8 * 60, 18 * 60) * 60_000).toISOString();
  const organisations = new Map<number, { id: string; town: BenchmarkTown; domain: string }>();

  const organisationFor = (organisationIndex: number) => {
    let organisation = organisations.get(organisationIndex);
    if (organisation) return organisation;
    const random = new Random(mix32(seed ^ 0x68e31da4, organisationIndex));
    const town = pickTown(random);
    const name = `${random.pick(NAME_PREFIXES)}${town.name} ${random.pick(ORGANISATION_WORDS)} ${organisationIndex + 1}`;
    const domain = `${slugify(name.replace(/'/g, ''))}.example.org`;
    organisation = { id: ids.organization(organisationIndex), town, domain };
    organisations.set(organisationIndex, organisation);
    // Only the batch holding an organisation's first service inserts it.
    if (organisationIndex * BENCHMARK_SERVICES_PER_ORGANISATION >= start) {
      const o = batch.organization;
      o.id.push(organisation.id);
      o.name.push(name);
      o.description.push(`${name} is a community organisation in ${town.name}. ${random.pick(PRACTICAL_SENTENCES)}`);
      o.email.push(`hello@${domain}`);
      o.website.push(`https://${domain}/`);
      o.charity_number.push(random.chance(0.7) ? `SC0${String(random.int(0, 99999)).padStart(5, '0')}` : null);
      o.created_at.push(timestamp(random, random.int(800, 3000)));
      o.updated_at.push(timestamp(random, random.int(0, 300)));
    }
    return organisation;
  };

  for (let index = start; index < end; index++) {
    const random = new Random(mix32(seed, index));
    const organisation = organisationFor(Math.floor(index / BENCHMARK_SERVICES_PER_ORGANISATION));
    const activity = random.pick(ACTIVITIES);
    // Most of an organisation's services are in its own town, the rest elsewhere in Scotland.
    const town = random.chance(0.7) ? organisation.town : pickTown(random);
    const vocabulary = benchmarkVocabularyFor(seed, index);

    const sentences = [activity.sentence, random.pick(PRACTICAL_SENTENCES), random.pick(PRACTICAL_SENTENCES)];
    if (vocabulary.rare) sentences.push(random.pick(VOCABULARY_SENTENCES.rare));
    if (vocabulary.medium) sentences.push(random.pick(VOCABULARY_SENTENCES.medium));
    if (vocabulary.common) sentences.push(random.pick(VOCABULARY_SENTENCES.common));

    const serviceId = ids.service(index);
    const s = batch.service;
    s.id.push(serviceId);
    s.organization_id.push(organisation.id);
    s.name.push(random.chance(0.5) ? `${town.name} ${activity.name}` : `${activity.name}, ${town.name}`);
    s.summary.push(activity.summary);
    s.description.push(`${random.pick(NAME_PREFIXES)}${activity.name} meets in ${town.name}. ${sentences.join(' ')}`);
    const roll = random.next();
    s.status.push(roll < 0.93 ? STATUSES[0] : roll < 0.97 ? STATUSES[1] : roll < 0.99 ? STATUSES[2] : STATUSES[3]);
    const charges = activity.cost === true && random.chance(0.6);
    s.free_of_charge.push(!charges);
    s.access_routes.push(activity.accessRoutes);
    s.delivery_modes.push(activity.deliveryModes);
    s.minimum_age.push(activity.ages?.[0] ?? null);
    s.maximum_age.push(activity.ages?.[1] ?? null);
    const reviewedDaysAgo = random.chance(0.08) ? random.int(366, 730) : random.int(0, 365);
    s.last_reviewed_at.push(new Date(referenceDay - reviewedDaysAgo * DAY_MS).toISOString().slice(0, 10));
    const createdDaysAgo = reviewedDaysAgo + random.int(0, 400);
    s.created_at.push(timestamp(random, createdDaysAgo));
    s.updated_at.push(timestamp(random, random.int(0, reviewedDaysAgo)));

    const areaWide = random.chance(0.08);
    if (areaWide) {
      const national = random.chance(0.05);
      const a = batch.service_area;
      a.id.push(ids.serviceArea(index));
      a.service_id.push(serviceId);
      a.name.push(national ? 'Scotland' : town.areaName);
      a.area_type.push(national ? 'scotland' : 'council_area');
      a.area_name.push(national ? null : town.areaName);
    } else {
      const locationId = ids.location(index);
      const l = batch.location;
      l.id.push(locationId);
      l.organization_id.push(organisation.id);
      l.name.push(`${town.name} ${random.pick(['Community Centre', 'Library', 'Church Hall', 'Leisure Centre', 'Health Centre', 'Town Hall'])}`);
      l.latitude.push(Math.round((town.latitude + (random.next() - 0.5) * 0.02) * 1e5) / 1e5);
      l.longitude.push(Math.round((town.longitude + (random.next() - 0.5) * 0.036) * 1e5) / 1e5);
      l.council_area_code.push(town.areaCode);
      const created = timestamp(random, createdDaysAgo);
      l.created_at.push(created);
      l.updated_at.push(created);
      const sal = batch.service_at_location;
      sal.id.push(ids.serviceAtLocation(index));
      sal.service_id.push(serviceId);
      sal.location_id.push(locationId);
    }

    const terms = [
      ...activity.categories.filter((_, position) => position === 0 || random.chance(0.7)).map(categoryId),
      ...activity.clientGroups.filter((_, position) => position === 0 || random.chance(0.7)).map(clientGroupId),
    ];
    for (const [position, term] of terms.entries()) {
      batch.attribute.id.push(ids.attribute(index * 8 + position));
      batch.attribute.taxonomy_term_id.push(term);
      batch.attribute.service_id.push(serviceId);
    }
  }
  return batch;
}

async function insertBatch(trx: Transaction<Database>, batch: BenchmarkBatch): Promise<void> {
  const o = batch.organization;
  if (o.id.length > 0) {
    await sql`insert into organization (id, name, description, email, website, charity_number, tax_status, created_at, updated_at)
      select id, name, description, email, website, charity_number,
             case when charity_number is null then null else 'Scottish charity' end, created_at, updated_at
      from unnest(${o.id}::uuid[], ${o.name}::text[], ${o.description}::text[], ${o.email}::text[], ${o.website}::text[],
                  ${o.charity_number}::text[], ${o.created_at}::timestamptz[], ${o.updated_at}::timestamptz[])
        as t(id, name, description, email, website, charity_number, created_at, updated_at)`.execute(trx);
  }
  const l = batch.location;
  if (l.id.length > 0) {
    await sql`insert into location (id, organization_id, name, latitude, longitude, council_area_code, created_at, updated_at)
      select * from unnest(${l.id}::uuid[], ${l.organization_id}::uuid[], ${l.name}::text[], ${l.latitude}::float8[],
                           ${l.longitude}::float8[], ${l.council_area_code}::text[], ${l.created_at}::timestamptz[], ${l.updated_at}::timestamptz[])`.execute(trx);
  }
  const s = batch.service;
  await sql`insert into service (id, organization_id, name, summary, description, status, free_of_charge, access_routes,
                                 delivery_modes, minimum_age, maximum_age, last_reviewed_at, created_at, updated_at)
    select id, organization_id, name, summary, description, status, free_of_charge, access_routes::text[],
           delivery_modes::text[], minimum_age, maximum_age, last_reviewed_at, created_at, updated_at
    from unnest(${s.id}::uuid[], ${s.organization_id}::uuid[], ${s.name}::text[], ${s.summary}::text[], ${s.description}::text[],
                ${s.status}::text[], ${s.free_of_charge}::bool[], ${s.access_routes}::text[], ${s.delivery_modes}::text[],
                ${s.minimum_age}::int[], ${s.maximum_age}::int[], ${s.last_reviewed_at}::date[], ${s.created_at}::timestamptz[],
                ${s.updated_at}::timestamptz[])
      as t(id, organization_id, name, summary, description, status, free_of_charge, access_routes, delivery_modes,
           minimum_age, maximum_age, last_reviewed_at, created_at, updated_at)`.execute(trx);
  const sal = batch.service_at_location;
  if (sal.id.length > 0) {
    await sql`insert into service_at_location (id, service_id, location_id)
      select * from unnest(${sal.id}::uuid[], ${sal.service_id}::uuid[], ${sal.location_id}::uuid[])`.execute(trx);
  }
  const a = batch.attribute;
  await sql`insert into attribute (id, taxonomy_term_id, service_id, link_type)
    select id, taxonomy_term_id, service_id, 'service'
    from unnest(${a.id}::uuid[], ${a.taxonomy_term_id}::uuid[], ${a.service_id}::uuid[]) as t(id, taxonomy_term_id, service_id)`.execute(trx);
  const area = batch.service_area;
  if (area.id.length > 0) {
    await sql`insert into service_area (id, service_id, name, area_type, area_name)
      select * from unnest(${area.id}::uuid[], ${area.service_id}::uuid[], ${area.name}::text[], ${area.area_type}::text[], ${area.area_name}::text[])`.execute(trx);
  }
}

/**
 * Adds `count` benchmark services, with an organisation for every four, a location for most,
 * area-wide coverage for the rest, and category and client-group attributes. The next batch is built
 * while the database writes the ones before it.
 *
 * Locations have coordinates and a council area but no street address: nothing that searches needs
 * one, and leaving the address rows out makes loading about a fifth faster on PostgreSQL.
 */
export async function generateBenchmarkServices(db: Kysely<Database>, options: BenchmarkOptions): Promise<BenchmarkSummary> {
  const { count, seed } = options;
  if (!Number.isInteger(count) || count < 1 || count > MAX_BENCHMARK_SERVICES) {
    throw new RangeError(`The benchmark service count must be a whole number from 1 to ${MAX_BENCHMARK_SERVICES.toLocaleString('en-GB')}.`);
  }
  // Whole organisations per batch, so batches never depend on each other and can be written side by side.
  const perOrganisation = BENCHMARK_SERVICES_PER_ORGANISATION;
  const batchSize = Math.max(perOrganisation, Math.ceil(Math.floor(options.batchSize ?? DEFAULT_BATCH_SIZE) / perOrganisation) * perOrganisation);
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));
  const today = options.referenceDate ?? new Date();
  const referenceDay = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());

  const firstOrganisation = idMaker(seed, 'organization')(0);
  const clash = await db.selectFrom('organization').select('id').where('id', '=', firstOrganisation).executeTakeFirst();
  if (clash) throw new BenchmarkDataExistsError(seed);

  const started = performance.now();
  const totals = { organizations: 0, locations: 0, serviceAreas: 0, attributes: 0 };
  const inFlight: Array<Promise<void>> = [];
  try {
    for (let start = 0; start < count; start += batchSize) {
      const end = Math.min(count, start + batchSize);
      const batch = buildBenchmarkBatch(seed, start, end, referenceDay);
      totals.organizations += batch.organization.id.length;
      totals.locations += batch.location.id.length;
      totals.serviceAreas += batch.service_area.id.length;
      totals.attributes += batch.attribute.id.length;
      if (inFlight.length >= concurrency) await inFlight.shift();
      inFlight.push(db.transaction().execute((trx) => insertBatch(trx, batch)).then(() => options.progress?.increment(end - start)));
    }
    while (inFlight.length > 0) await inFlight.shift();
  } catch (error) {
    // Settle the batches still in flight before reporting, so their failures are not left unhandled.
    await Promise.allSettled(inFlight);
    throw error;
  } finally {
    options.progress?.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  return { services: count, ...totals, seconds, servicesPerSecond: Math.round(count / seconds) };
}

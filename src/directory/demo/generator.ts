import type { Insertable } from 'kysely';
import type {
  AccessRoute,
  AddressTable,
  AreaType,
  AttributeTable,
  ContactTable,
  CostOptionTable,
  LanguageTable,
  LocationTable,
  OrganizationTable,
  PhoneTable,
  ScheduleTable,
  ServiceAreaTable,
  ServiceAtLocationTable,
  ServiceStatus,
  ServiceTable,
  UrlTable,
} from '../../platform/db/schema.ts';
import { loadGeoData, slugify, type GeoData, type OutcodeRow } from '../../geography/data.ts';
import { stableUuid } from '../../platform/ids.ts';
import { termId } from '../taxonomy.ts';
import {
  SERVICE_KIND_BY_KEY,
  type AreaLevel,
  type ServiceKind,
  type Timing,
  type VenueKind,
} from './kinds.ts';
import {
  ARCHETYPE_BY_KEY,
  FEATURED_ORGANISATIONS,
  NATIONAL_HELPLINES,
  NATIONAL_PROVIDERS,
  ORGANISATION_ARCHETYPES,
  type LegalForm,
  type NationalHelpline,
  type OrganisationArchetype,
} from './organisations.ts';
import {
  COMMUNITY_VENUES,
  DEMO_COUNCIL_AREAS,
  DEMO_HOSPITALS,
  FIRST_NAMES,
  HEALTH_VENUES,
  LEISURE_VENUES,
  SAINTS,
  SHELTERED_COURTS,
  STREETS,
  SURNAMES,
  type DemoCouncilArea,
  type DemoHospital,
  type DemoTown,
} from './places.ts';
import { Random } from './random.ts';

// ── Rows ────────────────────────────────────────────────────────────────────────────────────────
// Plain objects ready for Kysely's insertInto().values(). Every row carries its id so that the rows
// can reference each other before anything reaches a database.

type WithId<T> = Insertable<T> & { id: string };
export type OrganizationRow = WithId<OrganizationTable>;
export type LocationRow = WithId<LocationTable>;
export type AddressRow = WithId<AddressTable>;
export type ServiceRow = WithId<ServiceTable>;
export type ServiceAtLocationRow = WithId<ServiceAtLocationTable>;
export type ContactRow = WithId<ContactTable>;
export type PhoneRow = WithId<PhoneTable>;
export type ScheduleRow = WithId<ScheduleTable>;
export type AttributeRow = WithId<AttributeTable>;
export type ServiceAreaRow = WithId<ServiceAreaTable>;
export type CostOptionRow = WithId<CostOptionTable>;
export type LanguageRow = WithId<LanguageTable>;
export type UrlRow = WithId<UrlTable>;

/** The demo directory, table by table, in an order that satisfies every foreign key. */
export interface DemoDirectory {
  organization: OrganizationRow[];
  location: LocationRow[];
  address: AddressRow[];
  service: ServiceRow[];
  service_at_location: ServiceAtLocationRow[];
  contact: ContactRow[];
  phone: PhoneRow[];
  schedule: ScheduleRow[];
  attribute: AttributeRow[];
  service_area: ServiceAreaRow[];
  cost_option: CostOptionRow[];
  language: LanguageRow[];
  url: UrlRow[];
}

export type DemoTableName = keyof DemoDirectory;
export const DEMO_TABLES_IN_INSERT_ORDER: readonly DemoTableName[] = [
  'organization', 'location', 'address', 'service', 'service_at_location', 'contact', 'phone', 'schedule',
  'attribute', 'service_area', 'cost_option', 'language', 'url',
];

export interface DemoGeneratorOptions {
  seed: number;
  /**
   * The "today" every timestamp is measured back from. Only its UTC calendar day is used, so any
   * moment in the same day gives the same directory.
   */
  referenceDate: Date;
  /** The geography to place services in; loadGeoData() by default. */
  geo?: GeoData;
  /** Roughly how many services to give the council areas, before national services are added. */
  localServiceTarget?: number;
}

export const DEFAULT_DEMO_SEED = 42;
/** The namespace of every demo id, so demo rows never collide with real or benchmark ones. */
const DEMO_ID_NAMESPACE = 'frontdoor:demo';

const DEFAULT_LOCAL_SERVICE_TARGET = 2150;
/** Fewest services any council area gets, so the islands are not empty. */
const MINIMUM_SERVICES_PER_AREA = 14;
const LONG_UNREVIEWED_SHARE = 0.08;

export function generateDemoDirectory(options: DemoGeneratorOptions): DemoDirectory {
  return new DemoDirectoryBuilder(options).build();
}

// ── Context the templates are filled from ─────────────────────────────────────────────────────────

interface AreaContext {
  demo: DemoCouncilArea;
  code: string;
  partnership: string;
  board: string;
  towns: TownContext[];
  hospitals: DemoHospital[];
  /** Phone numbers come from a drama range that matches the area's dialling code. */
  phoneRange: DemoCouncilArea['phoneRange'];
}

interface TownContext {
  demo: DemoTown;
  area: AreaContext;
}

interface OrgContext {
  id: string;
  name: string;
  domain: string;
  phone: string;
  area: AreaContext;
  homeTown: TownContext;
  /** Whether the name is tied to one town, so most of its services stay there. */
  townBased: boolean;
  createdDaysAgo: number;
  locationIds: Map<string, string>;
  courtsUsed: Set<string>;
}

/** What a placed service provides, for checking that every board has the support it must have. */
interface PlacedService {
  kind: string;
  active: boolean;
  boards: Set<string>;
  partnerships: Set<string>;
  areaCodes: Set<string>;
  hospital?: string;
}

interface ScheduleSpec {
  freq: 'WEEKLY' | 'MONTHLY';
  byday: string;
  opensAt: string;
  closesAt: string;
  count: number | null;
  dtstart: string | null;
  description: string;
}

interface Placement {
  kind: 'locations';
  sites: Array<{ locationId: string; town: TownContext; venueName: string; hospital?: DemoHospital; court?: string }>;
}
interface AreaWidePlacement {
  kind: 'area';
  areaType: AreaType;
  areaName: string | null;
  label: string;
}

const DAY_NAMES: Record<string, string> = {
  MO: 'Monday', TU: 'Tuesday', WE: 'Wednesday', TH: 'Thursday', FR: 'Friday', SA: 'Saturday', SU: 'Sunday',
};
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR'] as const;
const ORDINALS: Record<string, string> = { '1': 'first', '2': 'second', '3': 'third', '4': 'fourth', '-1': 'last' };
const POSTCODE_INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

const LANGUAGE_NAMES: Record<string, string> = {
  en: 'English', gd: 'Scottish Gaelic', pl: 'Polish', bfi: 'British Sign Language', ur: 'Urdu', ar: 'Arabic',
};

const ACCESSIBILITY_CODES = [
  'step-free-access', 'wheelchair-accessible', 'accessible-toilet', 'changing-places-toilet', 'hearing-loop', 'bsl',
  'large-print', 'quiet-space', 'assistance-dogs', 'accessible-parking', 'public-transport',
] as const;

const PRACTICAL_PARAGRAPHS = [
  'You can just turn up: there is no need to book, and nobody will ask why you have come. If it is your first visit, tell whoever is on the door and they will introduce you to a few people.',
  'The venue has step-free access, an accessible toilet and a hearing loop. If you need anything else to take part, phone before you come and we will do our best to sort it.',
  'We can help with transport for anyone who would otherwise struggle to get here: ask about a lift from one of our volunteer drivers.',
  'Carers are welcome to come along too, and there is never a charge for a carer supporting someone to take part.',
  'Referrals are accepted from GPs, community link workers, social work and health visitors, and you can also refer yourself.',
  'If you are unwell, please stay at home and let us know, so that we can check in on you.',
  'Information is available in large print, easy read and other languages on request.',
  '{org} is a member of the local third sector interface, and all our volunteers are PVG-checked and trained.',
];

const HISTORY_PARAGRAPHS = [
  '{org} began in {year}, when a handful of people in {town} met around a kitchen table to talk about what was missing for their neighbours. The first sessions were held in a borrowed church hall with a second-hand urn and a biscuit tin for donations. Over the years the work has grown, the volunteers have changed, and the hall has been refurbished twice, but the idea has stayed the same: people do better when they have somewhere to go and someone who notices whether they came.',
  'We have learned a great deal since {year}. We learned that many people will not ask for help but will come for a cup of tea, and that the conversation over the tea is where the real support happens. We learned to keep forms short and waiting lists shorter. And we learned that the people who use our services are often the best volunteers, because they know exactly what it is like to walk through the door for the first time.',
];

const CLOSING_PARAGRAPHS = [
  '"I came the first time because my daughter made me," one of our regulars told us. "Now I would not miss it. It is the best part of my week, and I have made friends here I never would have met otherwise."',
  'We are always glad to hear from people who would like to volunteer, whether for an hour a month or every week. There are roles for drivers, cooks, befrienders and people who simply like making others feel welcome, and full training and expenses are provided.',
  'Our funders include the local health and social care partnership, the National Lottery Community Fund, charitable trusts and the generosity of people in {town}, who have supported us through coffee mornings, sponsored walks and legacies for many years.',
];

const TEMPORARY_CLOSURE_ALERTS = [
  'Closed until further notice while the hall is repaired. We will update this page when we reopen.',
  'Paused over the summer holidays; sessions start again in August.',
  'Temporarily closed while we recruit a new coordinator. Please phone for information about other support.',
  'Not meeting at the moment because of building works at the venue.',
];
const INACTIVE_ALERTS = [
  'No sessions are running at the moment.',
  'This service has stopped taking new referrals while its funding is reviewed.',
];

const INTERPRETATION_NOTES = [
  'Interpreters, including BSL interpreters, can be arranged free of charge: please ask when you get in touch.',
  'We can arrange a telephone interpreter for any language.',
  'Some of our volunteers speak Polish, Urdu and Arabic; ask and we will try to match you.',
];

const WAIT_TIMES = [
  'Usually within two weeks.',
  'We aim to contact you within five working days.',
  'There is a waiting list of about six weeks at the moment.',
];

const CONTACT_TITLES = ['Coordinator', 'Development worker', 'Project worker', 'Volunteer organiser', 'Service manager'];
const ORGANISATION_CONTACT_TITLES = ['Chief officer', 'Manager', 'Secretary', 'Chair', 'Office manager'];

class DemoDirectoryBuilder {
  private readonly rows: DemoDirectory = {
    organization: [], location: [], address: [], service: [], service_at_location: [], contact: [], phone: [],
    schedule: [], attribute: [], service_area: [], cost_option: [], language: [], url: [],
  };
  private readonly counters = new Map<string, number>();
  private readonly referenceDay: number;
  private readonly areas: AreaContext[];
  private readonly outcodes: Map<string, OutcodeRow>;
  private readonly usedOrganisationNames = new Set<string>();
  private readonly usedCharityNumbers = new Set<string>();
  private readonly usedCourtsByTown = new Map<string, Set<string>>();
  private readonly placed: PlacedService[] = [];
  private readonly localServiceTarget: number;
  private readonly seed: number;
  /** The Scotland-wide charities, by name, once fillNationalGaps has created them. */
  private readonly providerOrgs = new Map<string, OrgContext>();

  constructor(options: DemoGeneratorOptions) {
    this.seed = options.seed;
    const day = options.referenceDate;
    if (Number.isNaN(day.getTime())) throw new Error('generateDemoDirectory: referenceDate is not a valid date');
    this.referenceDay = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
    this.localServiceTarget = options.localServiceTarget ?? DEFAULT_LOCAL_SERVICE_TARGET;
    const geo = options.geo ?? loadGeoData();
    this.outcodes = new Map(geo.outcodes.map((row) => [row.outcode, row]));
    this.areas = DEMO_COUNCIL_AREAS.map((demo) => {
      const geoArea = geo.councilAreas.find((candidate) => candidate.name === demo.name);
      if (!geoArea) throw new Error(`Demo council area "${demo.name}" is not in the geography data`);
      const area: AreaContext = {
        demo,
        code: geoArea.code,
        partnership: geoArea.partnershipName,
        board: geoArea.healthBoardName,
        towns: [],
        hospitals: DEMO_HOSPITALS.filter((hospital) => hospital.councilArea === demo.name),
        phoneRange: demo.phoneRange,
      };
      area.towns = demo.towns.map((town) => ({ demo: town, area }));
      return area;
    });
  }

  build(): DemoDirectory {
    const targets = this.serviceTargets();
    for (const area of this.areas) this.populateArea(area, targets.get(area.code) ?? MINIMUM_SERVICES_PER_AREA);
    this.fillNationalGaps();
    this.addNationalHelplines();
    return this.rows;
  }

  // ── Shares ──────────────────────────────────────────────────────────────────────────────────────

  private serviceTargets(): Map<string, number> {
    const population = this.areas.reduce((sum, area) => sum + area.demo.populationThousands, 0);
    return new Map(this.areas.map((area) => [
      area.code,
      Math.max(MINIMUM_SERVICES_PER_AREA, Math.round((this.localServiceTarget * area.demo.populationThousands) / population)),
    ]));
  }

  private populateArea(area: AreaContext, target: number): void {
    const random = new Random(this.seed).fork(`area:${area.demo.name}`);
    let count = 0;

    for (const featured of FEATURED_ORGANISATIONS.filter((candidate) => candidate.councilArea === area.demo.name)) {
      const archetype = ARCHETYPE_BY_KEY.get(featured.archetype)!;
      const homeTown = this.townByName(area, featured.town);
      const org = this.createOrganisation(random, {
        name: featured.name,
        alternateName: featured.alternateName ?? null,
        area,
        homeTown,
        townBased: true,
        legal: archetype.legal,
        about: archetype.about,
      });
      count += this.runArchetypeServices(random, org, archetype, random.int(archetype.services[0] + 1, archetype.services[1] + 1), featured.core);
    }

    // Every council area has a carers' centre and sheltered housing with a lunch club and a social
    // hub: these are what Frontdoor is for, so they are never left to chance.
    const mandatory: Array<[kind: string, archetype: string]> = [
      ['carers-centre', 'carers-centre'],
      ['sheltered-lunch-club', 'older-people'],
      ['sheltered-social-hub', 'housing'],
    ];
    for (const [kind, archetypeKey] of mandatory) {
      if (this.placed.some((service) => service.kind === kind && service.active && service.areaCodes.has(area.code))) continue;
      const archetype = ARCHETYPE_BY_KEY.get(archetypeKey)!;
      const org = this.createArchetypeOrganisation(random, area, archetype);
      count += this.runArchetypeServices(random, org, archetype, random.int(archetype.services[0], archetype.services[1]), undefined, true);
    }

    const weights = ORGANISATION_ARCHETYPES.map((archetype) => [archetype, this.archetypeWeight(archetype, area)] as const)
      .filter(([, weight]) => weight > 0);
    while (count < target) {
      const archetype = random.weighted(weights);
      const org = this.createArchetypeOrganisation(random, area, archetype);
      const wanted = Math.min(random.int(archetype.services[0], archetype.services[1]), target - count + 1);
      count += this.runArchetypeServices(random, org, archetype, Math.max(1, wanted));
    }
  }

  private archetypeWeight(archetype: OrganisationArchetype, area: AreaContext): number {
    const city = ['Glasgow City', 'City of Edinburgh', 'Aberdeen City', 'Dundee City'].includes(area.demo.name);
    if (archetype.key === 'gaelic') return area.demo.gaelic * 2;
    if (archetype.key === 'communities') return archetype.weight * (city ? 3 : 0.5);
    return archetype.weight;
  }

  /** Runs `count` services for an organisation: its core service first, then others by weight. */
  private runArchetypeServices(
    random: Random,
    org: OrgContext,
    archetype: OrganisationArchetype,
    count: number,
    coreOverride?: string,
    forceCoreActive = false,
  ): number {
    const chosen: string[] = [];
    const core = coreOverride ?? archetype.core;
    if (core) chosen.push(core);
    const pool = archetype.kinds.filter(([key]) => this.kindPossible(key, org.area));
    while (chosen.length < count && pool.length > 0) {
      const key = random.weighted(pool);
      const kind = SERVICE_KIND_BY_KEY.get(key)!;
      if (chosen.includes(key) && !kind.repeatable) {
        pool.splice(pool.findIndex(([candidate]) => candidate === key), 1);
        continue;
      }
      chosen.push(key);
    }
    let made = 0;
    for (const [index, key] of chosen.entries()) {
      const kind = SERVICE_KIND_BY_KEY.get(key);
      if (!kind) throw new Error(`Unknown service kind "${key}" in archetype ${archetype.key}`);
      if (!this.kindPossible(key, org.area)) continue;
      const town = org.townBased && random.chance(0.75) ? org.homeTown : this.pickTown(random, org.area);
      this.addService(random, org, kind, town, { forceActive: forceCoreActive && index === 0 });
      made++;
    }
    return made;
  }

  private kindPossible(key: string, area: AreaContext): boolean {
    if (key === 'eclo') return area.hospitals.length > 0;
    if (key === 'dementia-pds') {
      return !this.placed.some((service) => service.kind === key && service.partnerships.has(area.partnership));
    }
    if (key === 'gaelic-parents' || key === 'gaelic-cafe') return area.demo.gaelic > 0;
    return true;
  }

  // ── National providers fill whatever gaps the local organisations left ─────────────────────────

  private fillNationalGaps(): void {
    const random = new Random(this.seed).fork('national');
    const providers = new Map(NATIONAL_PROVIDERS.map((provider) => {
      const area = this.areaByName(provider.councilArea);
      const org = this.createOrganisation(random, {
        name: provider.name,
        alternateName: null,
        area,
        homeTown: this.townByName(area, provider.town),
        townBased: false,
        legal: 'charity',
        about: provider.about,
        founded: provider.founded,
        fullDescription: true,
      });
      this.providerOrgs.set(provider.name, org);
      return [provider.key, { provider, org }] as const;
    }));
    const providerFor = (kind: string) => {
      for (const entry of providers.values()) if (entry.provider.kinds[0] === kind) return entry.org;
      throw new Error(`No national provider runs ${kind}`);
    };

    const partnerships = [...new Set(this.areas.map((area) => area.partnership))];
    for (const partnership of partnerships) {
      const covered = this.placed.some((service) => service.kind === 'dementia-pds' && service.active && service.partnerships.has(partnership));
      if (covered) continue;
      const area = this.largestArea(this.areas.filter((candidate) => candidate.partnership === partnership));
      this.addService(random, providerFor('dementia-pds'), SERVICE_KIND_BY_KEY.get('dementia-pds')!, this.pickTown(random, area), { forceActive: true });
    }

    for (const hospital of DEMO_HOSPITALS) {
      const covered = this.placed.some((service) => service.kind === 'eclo' && service.active && service.hospital === hospital.name);
      if (covered) continue;
      const area = this.areaByName(hospital.councilArea);
      this.addService(random, providerFor('eclo'), SERVICE_KIND_BY_KEY.get('eclo')!, this.townByName(area, hospital.town), {
        forceActive: true,
        hospital,
      });
    }

    const boards = [...new Set(this.areas.map((area) => area.board))];
    for (const board of boards) {
      const boardAreas = this.areas.filter((area) => area.board === board);
      for (const kindKey of ['heart-failure-self-management', 'smi-physical-activity', 'care-pre-employment']) {
        const covered = this.placed.some((service) => service.kind === kindKey && service.active && service.boards.has(board));
        // Scotland-wide charities also run these where local groups do, so some boards get both.
        if (covered && !random.chance(0.3)) continue;
        const area = covered ? random.pick(boardAreas) : this.largestArea(boardAreas);
        this.addService(random, providerFor(kindKey), SERVICE_KIND_BY_KEY.get(kindKey)!, this.pickTown(random, area), { forceActive: !covered });
      }
      // A few of each provider's other services, so they look like the national charities they are.
      for (const { provider, org } of providers.values()) {
        if (!random.chance(0.25)) continue;
        const kindKey = random.pick(provider.kinds.slice(1).length > 0 ? provider.kinds.slice(1) : provider.kinds);
        if (!this.kindPossible(kindKey, boardAreas[0]!)) continue;
        const area = random.pick(boardAreas);
        this.addService(random, org, SERVICE_KIND_BY_KEY.get(kindKey)!, this.pickTown(random, area));
      }
    }
  }

  private addNationalHelplines(): void {
    const random = new Random(this.seed).fork('helplines');
    // A helpline run by a national provider, or by the organisation of an earlier helpline, shares it.
    const byName = new Map(this.providerOrgs);
    for (const helpline of NATIONAL_HELPLINES) {
      const spec = helpline.organisation;
      let org = byName.get(spec.name);
      if (!org) {
        if (!spec.about || !spec.founded || !spec.legal) throw new Error(`Helpline organisation ${spec.name} needs about, founded and legal`);
        const area = this.areaByName(random.pick(['City of Edinburgh', 'Glasgow City', 'Stirling', 'Perth and Kinross']));
        org = this.createOrganisation(random, {
          name: spec.name,
          alternateName: spec.alternateName ?? null,
          area,
          homeTown: area.towns[0]!,
          townBased: false,
          legal: spec.legal,
          about: [spec.about],
          founded: spec.founded,
          fullDescription: true,
        });
        byName.set(spec.name, org);
      }
      this.addHelpline(random, org, helpline);
    }
  }

  // ── Organisations ──────────────────────────────────────────────────────────────────────────────

  private createArchetypeOrganisation(random: Random, area: AreaContext, archetype: OrganisationArchetype): OrgContext {
    const gaelic = archetype.gaelicNames && random.chance(area.demo.gaelic);
    for (let attempt = 0; attempt < 20; attempt++) {
      const town = this.pickTown(random, area);
      const [template, alternate] = gaelic && attempt < 10
        ? random.pick(archetype.gaelicNames!)
        : [random.pick(archetype.names), null];
      const context = this.templateContext({ area, town, saint: random.pick(SAINTS) });
      const name = fill(template, context);
      if (this.usedOrganisationNames.has(name)) continue;
      return this.createOrganisation(random, {
        name,
        alternateName: alternate ? fill(alternate, context) : null,
        area,
        homeTown: town,
        townBased: template.includes('{town}') || template.includes('{baile}'),
        legal: archetype.legal,
        about: archetype.about,
      });
    }
    // Twenty clashes means the area is small and the names are used up: say where it is instead.
    const town = this.pickTown(random, area);
    const name = `${fill(random.pick(archetype.names), this.templateContext({ area, town, saint: random.pick(SAINTS) }))} (${town.demo.name})`;
    return this.createOrganisation(random, { name, alternateName: null, area, homeTown: town, townBased: true, legal: archetype.legal, about: archetype.about });
  }

  private createOrganisation(
    random: Random,
    spec: {
      name: string;
      alternateName: string | null;
      area: AreaContext;
      homeTown: TownContext;
      townBased: boolean;
      legal: LegalForm;
      about: readonly string[];
      founded?: number;
      fullDescription?: boolean;
    },
  ): OrgContext {
    if (this.usedOrganisationNames.has(spec.name)) throw new Error(`Demo organisation name used twice: ${spec.name}`);
    this.usedOrganisationNames.add(spec.name);
    const id = this.id('organization');
    const domain = `${slugify(spec.name.replace(/['’]/g, ''))}.example.org`;
    const createdDaysAgo = random.int(800, 3200);
    const org: OrgContext = {
      id,
      name: spec.name,
      domain,
      phone: this.phoneNumber(random, spec.area.phoneRange),
      area: spec.area,
      homeTown: spec.homeTown,
      townBased: spec.townBased,
      createdDaysAgo,
      locationIds: new Map(),
      courtsUsed: new Set(),
    };
    const founded = spec.founded ?? random.weighted([[random.int(1948, 1989), 1], [random.int(1990, 2009), 2], [random.int(2010, 2023), 2]] as const);
    const context = { ...this.templateContext({ area: spec.area, town: spec.homeTown }), org: spec.name, year: String(founded) };
    const paragraphs = spec.fullDescription ? spec.about.slice() : [random.pick(spec.about)];
    if (random.chance(0.35)) paragraphs.push(random.pick(CLOSING_PARAGRAPHS));
    if (random.chance(0.02)) paragraphs.push(...HISTORY_PARAGRAPHS, ...CLOSING_PARAGRAPHS);

    const { charityNumber, legalStatus } = this.legalIdentity(random, spec.legal);
    this.rows.organization.push({
      id,
      name: spec.name,
      alternate_name: spec.alternateName,
      description: paragraphs.map((paragraph) => fill(paragraph, context)).join('\n\n'),
      email: `${random.pick(['hello', 'info', 'enquiries', 'admin', 'contact'])}@${domain}`,
      website: `https://${domain}/`,
      tax_status: charityNumber ? 'Scottish charity' : null,
      tax_id: null,
      year_incorporated: founded,
      legal_status: legalStatus,
      logo: null,
      uri: null,
      charity_number: charityNumber,
      parent_organization_id: null,
      created_at: this.timestamp(random, createdDaysAgo),
      updated_at: this.timestamp(random, random.int(0, 240)),
    });
    this.rows.phone.push(this.phoneRow({ organizationId: id, number: org.phone, type: 'voice', description: 'Main office' }));
    if (random.chance(0.4)) {
      const person = this.person(random);
      this.rows.contact.push({
        id: this.id('contact'),
        organization_id: id,
        service_id: null,
        service_at_location_id: null,
        location_id: null,
        name: person.name,
        title: random.pick(ORGANISATION_CONTACT_TITLES),
        department: null,
        email: `${person.emailLocalPart}@${domain}`,
      });
    }
    if (random.chance(0.15)) {
      this.rows.url.push({ id: this.id('url'), label: 'Annual report', url: `https://${domain}/about/annual-report`, organization_id: id, service_id: null });
    }
    // The head office, where the office-based services are.
    org.locationIds.set('base', this.createLocation(random, org, spec.homeTown, spec.name, 'Our office.'));
    return org;
  }

  private legalIdentity(random: Random, legal: LegalForm): { charityNumber: string | null; legalStatus: string } {
    const registered =
      legal === 'charity' || legal === 'trust' || legal === 'church' ||
      (legal === 'housing' && random.chance(0.7)) || (legal === 'community' && random.chance(0.4));
    const legalStatus =
      legal === 'charity' ? random.pick(['Scottish Charitable Incorporated Organisation (SCIO)', 'Company limited by guarantee'])
      : legal === 'trust' ? 'Company limited by guarantee'
      : legal === 'housing' ? 'Registered society'
      : legal === 'church' ? 'Church of Scotland congregation'
      : legal === 'cic' ? 'Community interest company'
      : registered ? 'Scottish Charitable Incorporated Organisation (SCIO)' : 'Unincorporated association';
    if (!registered) return { charityNumber: null, legalStatus };
    // OSCR numbers look like SC0 and five digits; these are invented and kept unique within the run.
    let number: string;
    do number = `SC0${String(random.int(0, 99999)).padStart(5, '0')}`;
    while (this.usedCharityNumbers.has(number));
    this.usedCharityNumbers.add(number);
    return { charityNumber: number, legalStatus };
  }

  // ── Services ───────────────────────────────────────────────────────────────────────────────────

  private addService(
    random: Random,
    org: OrgContext,
    kind: ServiceKind,
    town: TownContext,
    options: { forceActive?: boolean; hospital?: DemoHospital } = {},
  ): void {
    const area = town.area;
    const serviceId = this.id('service');
    const placement = this.placeService(random, org, kind, town, options.hospital);
    const firstSite = placement.kind === 'locations' ? placement.sites[0]! : undefined;
    const siteTown = firstSite?.town ?? town;
    const schedules = placement.kind === 'locations'
      ? placement.sites.map(() => this.scheduleFor(random, kind.timing))
      : [this.scheduleFor(random, kind.timing)];

    const context: Record<string, string> = {
      ...this.templateContext({ area, town: siteTown }),
      org: org.name,
      when: schedulePhrase(schedules[0]!),
      ...(firstSite?.venueName ? { venue: firstSite.venueName } : {}),
      ...(firstSite?.court ? { court: firstSite.court } : {}),
      ...(firstSite?.hospital ? { hospital: firstSite.hospital.name, clinic: firstSite.hospital.clinic } : {}),
    };
    const gaelicNames = (kind.gaelicNames ?? []).filter(([gaelic, english]) => fillable(gaelic, context) && fillable(english, context));
    let name: string;
    let alternateName: string | null = null;
    if (gaelicNames.length > 0 && random.chance(area.demo.gaelic * 0.5)) {
      const [gaelic, english] = random.pick(gaelicNames);
      name = fill(gaelic, context);
      alternateName = fill(english, context);
    } else {
      name = fill(pickFillable(random, kind.names, context), context);
    }
    const isGaelic = alternateName !== null || /Gàidhlig|Pàrant|Cuimhne/.test(name);

    const status: ServiceStatus = options.forceActive ? 'active' : random.weighted([
      ['active', 93], ['temporarily closed', 4], ['inactive', 2], ['defunct', 1],
    ] as const);
    const reviewedDaysAgo = random.chance(LONG_UNREVIEWED_SHARE) ? random.int(366, 730) : random.int(0, 365);
    const createdDaysAgo = random.int(reviewedDaysAgo, Math.max(reviewedDaysAgo, org.createdDaysAgo));
    const updatedDaysAgo = random.int(0, reviewedDaysAgo);

    const accessRoutes = subsetKeepingFirst(random, kind.accessRoutes, 0.75);
    const deliveryModes = placement.kind === 'area' && !kind.deliveryModes.includes('phone') && kind.deliveryModes.length === 1
      ? [...kind.deliveryModes, 'phone' as const]
      : kind.deliveryModes.slice();

    const cost = kind.cost && random.chance(kind.cost.chance) ? random.pick(kind.cost.choices) : undefined;
    const amount = cost ? random.pick(cost.amounts) : undefined;

    const otherPlaces = placement.kind === 'locations'
      ? placement.sites.slice(1).map((site) => (site.town === siteTown || site.venueName.includes(site.town.demo.name) ? site.venueName : `${site.venueName}, ${site.town.demo.name}`))
      : [];
    const description = this.describe(random, kind, context, org, otherPlaces);

    this.rows.service.push({
      id: serviceId,
      organization_id: org.id,
      name,
      alternate_name: alternateName,
      summary: fill(random.pick(kind.summaries), context),
      description,
      url: random.chance(0.35) ? `https://${org.domain}/${slugify(name.replace(/['’]/g, ''))}` : null,
      email: random.chance(0.5) ? `${random.pick(['bookings', 'groups', 'support', 'referrals'])}@${org.domain}` : null,
      status,
      interpretation_services: random.chance(0.12) ? random.pick(INTERPRETATION_NOTES) : null,
      application_process: applicationProcess(accessRoutes),
      fees_description: cost && amount !== undefined ? `£${amount.toFixed(2)} ${cost.description}.` : random.chance(0.4) ? 'Free.' : null,
      free_of_charge: cost === undefined,
      wait_time: accessRoutes.includes('professional_referral') && random.chance(0.25) ? random.pick(WAIT_TIMES) : null,
      accreditations: this.accreditation(random, kind),
      eligibility_description: kind.eligibility ? fill(kind.eligibility, context) : ageEligibility(kind),
      minimum_age: kind.ages?.min ?? null,
      maximum_age: kind.ages?.max ?? null,
      alert: status === 'temporarily closed' ? random.pick(TEMPORARY_CLOSURE_ALERTS)
        : status === 'inactive' ? random.pick(INACTIVE_ALERTS)
        : status === 'defunct' ? `This service closed in ${this.monthYear(random.int(30, 400))}.`
        : null,
      access_routes: accessRoutes,
      delivery_modes: deliveryModes,
      last_reviewed_at: this.date(reviewedDaysAgo),
      ...this.createdAndUpdated(random, createdDaysAgo, updatedDaysAgo),
    });

    const placed: PlacedService = {
      kind: kind.key,
      active: status === 'active',
      boards: new Set(),
      partnerships: new Set(),
      areaCodes: new Set(),
      ...(firstSite?.hospital ? { hospital: firstSite.hospital.name } : {}),
    };
    if (placement.kind === 'locations') {
      for (const [index, site] of placement.sites.entries()) {
        const salId = this.id('service_at_location');
        this.rows.service_at_location.push({
          id: salId,
          service_id: serviceId,
          location_id: site.locationId,
          description: placement.sites.length > 1 ? `${name} in ${site.town.demo.name}` : null,
        });
        // One schedule per place when the times differ between places; otherwise the service's own.
        this.pushSchedule(serviceId, placement.sites.length > 1 ? salId : null, schedules[index]!);
        placed.boards.add(site.town.area.board);
        placed.partnerships.add(site.town.area.partnership);
        placed.areaCodes.add(site.town.area.code);
      }
    } else {
      this.pushSchedule(serviceId, null, schedules[0]!);
      this.rows.service_area.push({
        id: this.id('service_area'),
        service_id: serviceId,
        name: placement.label,
        description: `Covers the whole of ${placement.label}.`,
        extent: null,
        extent_type: null,
        uri: null,
        area_type: placement.areaType,
        area_name: placement.areaName,
      });
      const covered = this.areas.filter((candidate) =>
        placement.areaType === 'council_area' ? candidate.demo.name === placement.areaName
          : placement.areaType === 'partnership' ? candidate.partnership === placement.areaName
          : candidate.board === placement.areaName);
      for (const candidate of covered) {
        placed.boards.add(candidate.board);
        placed.partnerships.add(candidate.partnership);
        placed.areaCodes.add(candidate.code);
      }
    }
    this.placed.push(placed);

    this.pushTerms(random, serviceId, kind);
    if (cost && amount !== undefined) {
      this.rows.cost_option.push({
        id: this.id('cost_option'),
        service_id: serviceId,
        valid_from: random.chance(0.5) ? `${new Date(this.referenceDay).getUTCFullYear()}-04-01` : null,
        valid_to: null,
        option: cost.option,
        currency: 'GBP',
        amount,
        amount_description: `£${amount.toFixed(2)} ${cost.description}`,
      });
    }
    this.pushLanguages(random, serviceId, kind, area, isGaelic);
    this.pushServiceContacts(random, serviceId, kind, org, area);
    if (random.chance(0.1)) {
      this.rows.url.push({ id: this.id('url'), label: random.pick(['Booking page', 'Timetable', 'Referral form']), url: `https://${org.domain}/book/${slugify(name.replace(/['’]/g, ''))}`, organization_id: null, service_id: serviceId });
    }
  }

  private addHelpline(random: Random, org: OrgContext, helpline: NationalHelpline): void {
    const serviceId = this.id('service');
    const schedules = helplineSchedules(helpline.hours);
    const reviewedDaysAgo = random.int(0, 200);
    this.rows.service.push({
      id: serviceId,
      organization_id: org.id,
      name: helpline.name,
      alternate_name: helpline.alternateName ?? null,
      summary: helpline.summary,
      description: [
        ...helpline.description,
        helpline.deliveryModes.includes('phone')
          ? 'Calls are free from landlines and mobiles and do not appear on your phone bill. You do not have to give your name.'
          : 'Chats are confidential and you do not have to give your name. If you are in danger now, phone 999.',
      ].join('\n\n'),
      url: `https://${org.domain}/helpline`,
      email: helpline.deliveryModes.includes('online') ? `helpline@${org.domain}` : null,
      status: 'active',
      interpretation_services: helpline.languages?.length ? 'Interpreters are available for calls in other languages.' : null,
      application_process: helpline.deliveryModes.includes('phone') ? 'Call free at any time we are open. You do not need to give your name.' : 'Start a chat on our website.',
      fees_description: 'Free to call from landlines and mobiles.',
      free_of_charge: true,
      wait_time: null,
      accreditations: random.chance(0.3) ? 'Helplines Partnership accredited' : null,
      eligibility_description: helpline.area === 'uk' ? 'Anyone in the UK.' : 'Anyone in Scotland.',
      minimum_age: null,
      maximum_age: null,
      alert: null,
      access_routes: helpline.deliveryModes.includes('phone') ? ['phone', 'self_referral', 'online'] : ['online', 'self_referral'],
      delivery_modes: helpline.deliveryModes.slice(),
      last_reviewed_at: this.date(reviewedDaysAgo),
      ...this.createdAndUpdated(random, random.int(reviewedDaysAgo, org.createdDaysAgo), random.int(0, reviewedDaysAgo)),
    });
    for (const spec of schedules) this.pushSchedule(serviceId, null, spec);
    this.rows.service_area.push({
      id: this.id('service_area'),
      service_id: serviceId,
      name: helpline.area === 'uk' ? 'United Kingdom' : 'Scotland',
      description: helpline.area === 'uk' ? 'Available anywhere in the UK.' : 'Available anywhere in Scotland.',
      extent: null,
      extent_type: null,
      uri: null,
      area_type: helpline.area,
      area_name: null,
    });
    const type = helpline.phoneType ?? 'voice';
    const number = type === 'text' ? mobileNumber(random) : type === 'video' ? `https://${org.domain}/video-relay` : freephoneNumber(random);
    if (type !== 'video') {
      this.rows.phone.push(this.phoneRow({ serviceId, number, type, description: type === 'text' ? 'Text us' : 'Freephone helpline' }));
    } else {
      this.rows.phone.push(this.phoneRow({ serviceId, number: nonGeographicNumber(random), type: 'video', description: `Video relay: start a call at ${number}` }));
    }
    for (const code of helpline.categories) this.pushAttribute(serviceId, 'categories', code);
    for (const code of helpline.clientGroups) this.pushAttribute(serviceId, 'client-groups', code);
    for (const code of ['en', ...(helpline.languages ?? [])]) this.pushLanguage(serviceId, code);
  }

  // ── Where a service happens ──────────────────────────────────────────────────────────────────────

  private placeService(random: Random, org: OrgContext, kind: ServiceKind, town: TownContext, hospital?: DemoHospital): Placement | AreaWidePlacement {
    if (kind.areaWide && random.chance(kind.areaWide.chance)) return this.areaWide(town.area, kind.areaWide.level);
    const siteCount = kind.multiSite && random.chance(kind.multiSite) ? random.int(2, 4) : 1;
    const sites: Placement['sites'] = [];
    for (let index = 0; index < siteCount; index++) {
      const siteTown = index === 0 ? town : this.pickTown(random, town.area);
      const site = this.site(random, org, kind.venue, siteTown, index === 0 ? hospital : undefined, sites);
      if (site && !sites.some((existing) => existing.locationId === site.locationId)) sites.push(site);
    }
    if (sites.length === 0) return this.areaWide(town.area, 'council_area');
    return { kind: 'locations', sites };
  }

  private areaWide(area: AreaContext, level: AreaLevel): AreaWidePlacement {
    const name = level === 'council_area' ? area.demo.name : level === 'partnership' ? area.partnership : area.board;
    return { kind: 'area', areaType: level, areaName: name, label: name };
  }

  private site(
    random: Random,
    org: OrgContext,
    venue: VenueKind,
    town: TownContext,
    hospital: DemoHospital | undefined,
    taken: Placement['sites'],
  ): Placement['sites'][number] | undefined {
    switch (venue) {
      case 'base': {
        if (town === org.homeTown) return { locationId: org.locationIds.get('base')!, town, venueName: org.name };
        const venueName = `${org.name}, ${town.demo.name}`;
        return { locationId: this.orgLocation(random, org, `outpost:${venueName}`, town, venueName, 'A local base for outreach and appointments.'), town, venueName };
      }
      case 'court': {
        const court = this.freeCourt(random, org, town);
        const venueName = court;
        return {
          locationId: this.orgLocation(random, org, `court:${town.demo.name}:${court}`, town, venueName, 'Sheltered housing. The lounge is on the ground floor; ring the door entry for the warden.', court),
          town,
          venueName,
          court,
        };
      }
      case 'hospital': {
        const choice = hospital ?? this.hospitalFor(random, town.area, taken);
        if (!choice) return undefined;
        const hospitalArea = this.areaByName(choice.councilArea);
        const hospitalTown = this.townByName(hospitalArea, choice.town);
        return { locationId: this.hospitalLocation(random, org, choice, hospitalTown), town: hospitalTown, venueName: choice.name, hospital: choice };
      }
      case 'community':
      case 'leisure':
      case 'health': {
        const pool = venue === 'community' ? COMMUNITY_VENUES : venue === 'leisure' ? LEISURE_VENUES : HEALTH_VENUES;
        const venueName = fill(random.pick(pool), this.templateContext({ area: town.area, town }));
        const description = venue === 'health' ? 'Ask at reception; the group room is on the ground floor.'
          : venue === 'leisure' ? 'Meet in the foyer. Changing rooms and lockers are available.'
          : 'Community venue with level access.';
        return { locationId: this.orgLocation(random, org, `venue:${venueName}`, town, venueName, description), town, venueName };
      }
    }
  }

  private hospitalFor(random: Random, area: AreaContext, taken: Placement['sites']): DemoHospital | undefined {
    const inBoard = DEMO_HOSPITALS.filter((hospital) =>
      this.areaByName(hospital.councilArea).board === area.board && !taken.some((site) => site.hospital === hospital));
    const inArea = inBoard.filter((hospital) => hospital.councilArea === area.demo.name);
    if (inArea.length > 0) return random.pick(inArea);
    return inBoard.length > 0 ? random.pick(inBoard) : undefined;
  }

  private freeCourt(random: Random, org: OrgContext, town: TownContext): string {
    const key = `${town.area.code}:${town.demo.name}`;
    const used = this.usedCourtsByTown.get(key) ?? new Set<string>();
    this.usedCourtsByTown.set(key, used);
    const free = SHELTERED_COURTS.filter((court) => !used.has(court));
    const court = free.length > 0 ? random.pick(free) : `${random.pick(SHELTERED_COURTS)} (${random.int(2, 9)})`;
    used.add(court);
    org.courtsUsed.add(court);
    return court;
  }

  private orgLocation(random: Random, org: OrgContext, key: string, town: TownContext, name: string, description: string, court?: string): string {
    const existing = org.locationIds.get(key);
    if (existing) return existing;
    const id = this.createLocation(random, org, town, name, description, court);
    org.locationIds.set(key, id);
    return id;
  }

  private hospitalLocation(random: Random, org: OrgContext, hospital: DemoHospital, town: TownContext): string {
    const key = `hospital:${hospital.name}`;
    const existing = org.locationIds.get(key);
    if (existing) return existing;
    const id = this.id('location');
    const outcode = this.outcode(hospital.outcode);
    this.rows.location.push({
      id,
      organization_id: org.id,
      location_type: 'physical',
      url: null,
      name: hospital.name,
      alternate_name: hospital.name === 'Western Isles Hospital' ? 'Ospadal nan Eilean' : null,
      description: `${hospital.clinic}. Ask at the main reception or the eye clinic desk for the eye clinic liaison officer.`,
      transportation: 'Hospital bus stop at the main entrance; patient transport can be booked through the Scottish Ambulance Service.',
      ...this.jitter(random, outcode, 0.006),
      external_identifier: null,
      external_identifier_type: null,
      council_area_code: town.area.code,
      created_at: this.timestamp(random, org.createdDaysAgo),
      updated_at: this.timestamp(random, random.int(0, 300)),
    });
    this.rows.address.push({
      id: this.id('address'),
      location_id: id,
      attention: 'Eye clinic liaison officer',
      address_1: `${hospital.clinic}, ${hospital.name}`,
      address_2: hospital.street ?? null,
      city: town.demo.postTown,
      region: town.area.demo.name,
      state_province: '',
      postal_code: `${hospital.outcode} ${inwardCode(random)}`,
      country: 'GB',
      address_type: 'physical',
    });
    for (const code of random.sample(['step-free-access', 'wheelchair-accessible', 'accessible-toilet', 'hearing-loop', 'accessible-parking', 'public-transport', 'assistance-dogs', 'changing-places-toilet'], random.int(4, 7))) {
      this.pushLocationAttribute(id, code);
    }
    org.locationIds.set(key, id);
    return id;
  }

  private createLocation(random: Random, org: OrgContext, town: TownContext, name: string, description: string, court?: string): string {
    const id = this.id('location');
    const outcode = this.outcode(random.pick(town.demo.outcodes));
    const street = random.pick(STREETS);
    const number = random.int(1, 180);
    const locality = town.demo.postTown !== town.demo.name && !town.demo.postTown.startsWith('Isle of') && !['Orkney', 'Shetland'].includes(town.demo.postTown)
      ? town.demo.name
      : null;
    this.rows.location.push({
      id,
      organization_id: org.id,
      location_type: 'physical',
      url: null,
      name,
      alternate_name: null,
      description,
      transportation: random.chance(0.3) ? random.pick([
        `Buses stop on ${street}, a couple of minutes' walk away.`,
        `About ten minutes' walk from ${town.demo.name} town centre, with free parking.`,
        'On-street parking nearby; the nearest railway station is a short taxi ride away.',
      ]) : null,
      ...this.jitter(random, outcode, 0.01),
      external_identifier: null,
      external_identifier_type: null,
      council_area_code: town.area.code,
      created_at: this.timestamp(random, org.createdDaysAgo),
      updated_at: this.timestamp(random, random.int(0, 500)),
    });
    this.rows.address.push({
      id: this.id('address'),
      location_id: id,
      attention: null,
      address_1: court ? `${random.int(1, 40)} ${court}` : random.chance(0.2) ? `Unit ${random.int(1, 12)}, ${number} ${street}` : `${number} ${street}`,
      address_2: locality,
      city: town.demo.postTown,
      region: town.area.demo.name,
      state_province: '',
      postal_code: `${outcode.outcode} ${inwardCode(random)}`,
      country: 'GB',
      address_type: 'physical',
    });
    if (random.chance(0.65)) {
      for (const code of random.sample(ACCESSIBILITY_CODES, random.int(1, 4))) this.pushLocationAttribute(id, code);
    }
    return id;
  }

  // ── Words ──────────────────────────────────────────────────────────────────────────────────────

  private describe(random: Random, kind: ServiceKind, context: Record<string, string>, org: OrgContext, otherPlaces: string[]): string {
    const withOrg = { ...context, year: String(new Date(this.referenceDay).getUTCFullYear() - random.int(3, 40)) };
    const paragraphs: string[] = [];
    if (random.chance(0.012)) {
      // A few very long descriptions, the way some organisations write them, to test layouts and search.
      paragraphs.push(...kind.about.filter((text) => fillable(text, withOrg)), ...kind.detail.filter((text) => fillable(text, withOrg)));
      paragraphs.push(...HISTORY_PARAGRAPHS, ...random.sample(PRACTICAL_PARAGRAPHS, 3), ...CLOSING_PARAGRAPHS);
    } else {
      paragraphs.push(pickFillable(random, kind.about, withOrg));
      const details = kind.detail.filter((text) => fillable(text, withOrg));
      if (details.length > 0 && random.chance(0.75)) paragraphs.push(random.pick(details));
      if (random.chance(0.4)) paragraphs.push(random.pick(PRACTICAL_PARAGRAPHS));
    }
    if (otherPlaces.length > 0) {
      paragraphs.push(`We also meet at ${listPhrase(otherPlaces)}: see the times for each place.`);
    }
    return paragraphs.map((paragraph) => fill(paragraph, { ...withOrg, org: org.name })).join('\n\n');
  }

  private accreditation(random: Random, kind: ServiceKind): string | null {
    if (kind.key === 'care-svq' || kind.key === 'care-pre-employment') return 'SQA approved centre';
    if (['welfare-rights', 'debt-advice', 'energy-advice', 'polish-advice'].includes(kind.key)) {
      return random.chance(0.6) ? 'Scottish National Standards for Information and Advice Providers' : null;
    }
    return random.chance(0.04) ? 'Investing in Volunteers' : null;
  }

  private pushTerms(random: Random, serviceId: string, kind: ServiceKind): void {
    // A kind's categories define it ("sheltered-housing" makes a lunch club a sheltered housing one), so all apply.
    for (const code of kind.categories) this.pushAttribute(serviceId, 'categories', code);
    for (const code of subsetKeepingFirst(random, kind.clientGroups, 0.7)) this.pushAttribute(serviceId, 'client-groups', code);
  }

  private pushAttribute(serviceId: string, taxonomy: 'categories' | 'client-groups', code: string): void {
    this.rows.attribute.push({
      id: this.id('attribute'),
      taxonomy_term_id: termId(taxonomy, code),
      service_id: serviceId,
      location_id: null,
      organization_id: null,
      link_type: 'service',
      value: null,
    });
  }

  private pushLocationAttribute(locationId: string, code: string): void {
    this.rows.attribute.push({
      id: this.id('attribute'),
      taxonomy_term_id: termId('accessibility', code),
      service_id: null,
      location_id: locationId,
      organization_id: null,
      link_type: 'location',
      value: null,
    });
  }

  private pushLanguages(random: Random, serviceId: string, kind: ServiceKind, area: AreaContext, isGaelic: boolean): void {
    const codes = ['en'];
    if (isGaelic || random.chance(area.demo.gaelic * 0.4)) codes.push('gd');
    for (const code of kind.languages ?? []) if (random.chance(0.45) && !codes.includes(code)) codes.push(code);
    if (random.chance(0.025) && !codes.includes('bfi')) codes.push('bfi');
    if (random.chance(0.03) && !codes.includes('pl')) codes.push('pl');
    for (const code of codes) this.pushLanguage(serviceId, code);
  }

  private pushLanguage(serviceId: string, code: string): void {
    this.rows.language.push({
      id: this.id('language'),
      service_id: serviceId,
      location_id: null,
      phone_id: null,
      name: LANGUAGE_NAMES[code] ?? code,
      code,
      note: code === 'bfi' ? 'BSL/English interpreter available: please ask when you get in touch.' : null,
    });
  }

  private pushServiceContacts(random: Random, serviceId: string, kind: ServiceKind, org: OrgContext, area: AreaContext): void {
    if (random.chance(kind.contactTitle ? 0.6 : 0.3)) {
      const person = this.person(random);
      this.rows.contact.push({
        id: this.id('contact'),
        organization_id: null,
        service_id: serviceId,
        service_at_location_id: null,
        location_id: null,
        name: person.name,
        title: kind.contactTitle ?? random.pick(CONTACT_TITLES),
        department: null,
        email: `${person.emailLocalPart}@${org.domain}`,
      });
    }
    if (random.chance(0.85)) {
      const number = random.chance(0.5) ? org.phone : this.phoneNumber(random, area.phoneRange);
      this.rows.phone.push(this.phoneRow({ serviceId, number, type: 'voice', description: null }));
    }
    if (random.chance(0.06)) this.rows.phone.push(this.phoneRow({ serviceId, number: mobileNumber(random), type: 'text', description: 'Text us' }));
    if (kind.clientGroups.includes('people-who-are-deaf') || random.chance(0.01)) {
      this.rows.phone.push(this.phoneRow({ serviceId, number: `18001 ${org.phone}`, type: 'textphone', description: 'Relay UK (text relay)' }));
    }
  }

  private phoneRow(spec: { organizationId?: string; serviceId?: string; number: string; type: PhoneRow['type']; description: string | null }): PhoneRow {
    return {
      id: this.id('phone'),
      location_id: null,
      service_id: spec.serviceId ?? null,
      organization_id: spec.organizationId ?? null,
      contact_id: null,
      service_at_location_id: null,
      number: spec.number,
      extension: null,
      type: spec.type,
      description: spec.description,
    };
  }

  private pushSchedule(serviceId: string, serviceAtLocationId: string | null, spec: ScheduleSpec): void {
    this.rows.schedule.push({
      id: this.id('schedule'),
      service_id: serviceId,
      location_id: null,
      service_at_location_id: serviceAtLocationId,
      valid_from: null,
      valid_to: null,
      dtstart: spec.dtstart,
      timezone: null,
      until: null,
      count: spec.count,
      wkst: 'MO',
      freq: spec.freq,
      interval: 1,
      byday: spec.byday,
      byweekno: null,
      bymonthday: null,
      byyearday: null,
      description: spec.description,
      opens_at: spec.opensAt,
      closes_at: spec.closesAt,
      schedule_link: null,
      attending_type: null,
      notes: null,
    });
  }

  private scheduleFor(random: Random, timing: Timing): ScheduleSpec {
    const weekly = (days: string[], opens: string, closes: string, extra: Partial<ScheduleSpec> = {}): ScheduleSpec => ({
      freq: 'WEEKLY',
      byday: days.join(','),
      opensAt: opens,
      closesAt: closes,
      count: null,
      dtstart: null,
      description: `${weeklyDays(days)}, ${timeRange(opens, closes)}`,
      ...extra,
    });
    const someDays = (most: number) => random.sample(WEEKDAYS, random.chance(0.75) ? 1 : most).sort(byWeekday);
    switch (timing) {
      case 'session': {
        const [opens, closes] = random.pick([['10:00', '12:00'], ['10:30', '12:30'], ['13:30', '15:30'], ['14:00', '16:00'], ['10:00', '11:30']] as const);
        return weekly(someDays(2), opens, closes);
      }
      case 'lunch': {
        const [opens, closes] = random.pick([['11:30', '13:30'], ['12:00', '14:00'], ['12:00', '13:30']] as const);
        return weekly(someDays(2), opens, closes);
      }
      case 'evening': {
        const [opens, closes] = random.pick([['18:00', '20:00'], ['18:30', '20:30'], ['19:00', '21:00']] as const);
        return weekly(someDays(1), opens, closes);
      }
      case 'monthly': {
        const ordinal = random.pick(['1', '2', '3', '4', '-1']);
        const day = random.pick(WEEKDAYS);
        const [opens, closes] = random.pick([['10:00', '12:00'], ['14:00', '16:00'], ['13:30', '15:30']] as const);
        return {
          freq: 'MONTHLY',
          byday: `${ordinal}${day}`,
          opensAt: opens,
          closesAt: closes,
          count: null,
          dtstart: null,
          description: `${capitalise(ORDINALS[ordinal]!)} ${DAY_NAMES[day]} of the month, ${timeRange(opens, closes)}`,
        };
      }
      case 'office': {
        const [opens, closes] = random.pick([['09:00', '17:00'], ['09:00', '16:30'], ['09:30', '16:30'], ['10:00', '16:00']] as const);
        return weekly([...WEEKDAYS], opens, closes);
      }
      case 'clinic': {
        const days = random.chance(0.5) ? [...WEEKDAYS] : random.sample(WEEKDAYS, random.int(2, 3)).sort(byWeekday);
        return weekly(days, '09:00', random.pick(['16:30', '17:00']));
      }
      case 'course': {
        const day = random.pick(WEEKDAYS);
        const [opens, closes] = random.pick([['10:00', '12:00'], ['13:30', '15:30'], ['18:00', '20:00']] as const);
        const start = this.nextWeekday(day, random.int(7, 45));
        return weekly([day], opens, closes, {
          count: 6,
          dtstart: start,
          description: `${weeklyDays([day])}, ${timeRange(opens, closes)}, for six weeks from ${longDate(start)}`,
        });
      }
    }
  }

  private nextWeekday(day: string, afterDays: number): string {
    const start = new Date(this.referenceDay + afterDays * 86_400_000);
    const target = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'].indexOf(day);
    while (start.getUTCDay() !== target) start.setUTCDate(start.getUTCDate() + 1);
    return start.toISOString().slice(0, 10);
  }

  // ── Small pieces ───────────────────────────────────────────────────────────────────────────────

  private id(table: string): string {
    const next = (this.counters.get(table) ?? 0) + 1;
    this.counters.set(table, next);
    return stableUuid(DEMO_ID_NAMESPACE, `${this.seed}/${table}/${next}`);
  }

  private templateContext(spec: { area: AreaContext; town: TownContext; saint?: string }): Record<string, string> {
    return {
      town: spec.town.demo.name,
      baile: spec.town.demo.gaelicName ?? spec.town.demo.name,
      area: spec.area.demo.shortName,
      areaName: spec.area.demo.name,
      partnership: spec.area.partnership,
      board: spec.area.board,
      ...(spec.saint ? { saint: spec.saint } : {}),
    };
  }

  private pickTown(random: Random, area: AreaContext): TownContext {
    return random.weighted(area.towns.map((town) => [town, town.demo.weight] as const));
  }

  private townByName(area: AreaContext, name: string): TownContext {
    const town = area.towns.find((candidate) => candidate.demo.name === name);
    if (!town) throw new Error(`Demo town "${name}" is not listed in ${area.demo.name}`);
    return town;
  }

  private areaByName(name: string): AreaContext {
    const area = this.areas.find((candidate) => candidate.demo.name === name);
    if (!area) throw new Error(`Unknown demo council area "${name}"`);
    return area;
  }

  private largestArea(areas: AreaContext[]): AreaContext {
    return areas.reduce((largest, area) => (area.demo.populationThousands > largest.demo.populationThousands ? area : largest));
  }

  private outcode(code: string): OutcodeRow {
    const row = this.outcodes.get(code);
    if (!row) throw new Error(`Postcode district ${code} is not in the geography data`);
    return row;
  }

  /** A point within a kilometre or so of the district's centroid. */
  private jitter(random: Random, outcode: OutcodeRow, spread: number): { latitude: number; longitude: number } {
    return {
      latitude: round5(outcode.latitude + (random.next() - 0.5) * spread),
      longitude: round5(outcode.longitude + (random.next() - 0.5) * spread * 1.8),
    };
  }

  private phoneNumber(random: Random, range: AreaContext['phoneRange']): string {
    // Ofcom keeps these ranges for drama and examples, so no real person is ever rung by mistake.
    const last = String(random.int(0, 999)).padStart(3, '0');
    if (range === 'glasgow') return `0141 496 0${last}`;
    if (range === 'edinburgh') return `0131 496 0${last}`;
    return `01632 960${last}`;
  }

  private person(random: Random): { name: string; emailLocalPart: string } {
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(SURNAMES);
    return { name: `${first} ${last}`, emailLocalPart: `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '') };
  }

  private date(daysAgo: number): string {
    return new Date(this.referenceDay - daysAgo * 86_400_000).toISOString().slice(0, 10);
  }

  /** A moment during the working day `daysAgo` days before the reference day. */
  private timestamp(random: Random, daysAgo: number): string {
    const minutes = random.int(8 * 60, 18 * 60);
    return new Date(this.referenceDay - daysAgo * 86_400_000 + minutes * 60_000).toISOString();
  }

  /** Created and updated timestamps, never updated before created even on the same day. */
  private createdAndUpdated(random: Random, createdDaysAgo: number, updatedDaysAgo: number): { created_at: string; updated_at: string } {
    const created = this.timestamp(random, createdDaysAgo);
    const updated = this.timestamp(random, updatedDaysAgo);
    return { created_at: created, updated_at: updated < created ? created : updated };
  }

  private monthYear(daysAgo: number): string {
    const date = new Date(this.referenceDay - daysAgo * 86_400_000);
    return `${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
  }
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function helplineSchedules(hours: NationalHelpline['hours']): ScheduleSpec[] {
  const every = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
  const spec = (days: string[], opensAt: string, closesAt: string, description: string): ScheduleSpec => ({
    freq: 'WEEKLY', byday: days.join(','), opensAt, closesAt, count: null, dtstart: null, description,
  });
  switch (hours) {
    case 'always':
      return [spec(every, '00:00', '23:59', '24 hours a day, every day of the year')];
    case 'extended':
      return [spec([...WEEKDAYS], '08:00', '20:00', 'Monday to Friday, 8am to 8pm'), spec(['SA', 'SU'], '10:00', '16:00', 'Saturday and Sunday, 10am to 4pm')];
    case 'daytime':
      return [spec([...WEEKDAYS], '09:00', '17:00', 'Monday to Friday, 9am to 5pm')];
    case 'evenings':
      return [spec(every, '18:00', '23:00', 'Every evening, 6pm to 11pm')];
  }
}

function schedulePhrase(spec: ScheduleSpec): string {
  const times = `from ${timeRange(spec.opensAt, spec.closesAt)}`;
  if (spec.freq === 'MONTHLY') {
    const match = /^(-?\d)([A-Z]{2})$/.exec(spec.byday)!;
    return `on the ${ORDINALS[match[1]!]} ${DAY_NAMES[match[2]!]} of every month ${times}`;
  }
  const days = spec.byday.split(',');
  if (days.length === 5 && days.join(',') === WEEKDAYS.join(',')) return `Monday to Friday, ${timeRange(spec.opensAt, spec.closesAt)}`;
  return `on ${listPhrase(days.map((day) => `${DAY_NAMES[day]}s`))} ${times}`;
}

function weeklyDays(days: string[]): string {
  if (days.join(',') === WEEKDAYS.join(',')) return 'Monday to Friday';
  return listPhrase(days.map((day) => `${DAY_NAMES[day]}s`));
}

/** "10am to 12 noon", "1.30pm to 3.30pm": times as they are written on Scottish noticeboards. */
function timeRange(opens: string, closes: string): string {
  return `${clockTime(opens)} to ${clockTime(closes)}`;
}

function clockTime(value: string): string {
  const [hours, minutes] = value.split(':').map(Number) as [number, number];
  if (hours === 12 && minutes === 0) return '12 noon';
  if (hours === 0 && minutes === 0) return 'midnight';
  const suffix = hours < 12 ? 'am' : 'pm';
  const hour = hours % 12 === 0 ? 12 : hours % 12;
  return minutes === 0 ? `${hour}${suffix}` : `${hour}.${String(minutes).padStart(2, '0')}${suffix}`;
}

function longDate(isoDate: string): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}`;
}

function listPhrase(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function byWeekday(a: string, b: string): number {
  return WEEKDAYS.indexOf(a as (typeof WEEKDAYS)[number]) - WEEKDAYS.indexOf(b as (typeof WEEKDAYS)[number]);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function round5(value: number): number {
  return Math.round(value * 100_000) / 100_000;
}

function inwardCode(random: Random): string {
  return `${random.int(1, 9)}${random.pick([...POSTCODE_INWARD_LETTERS])}${random.pick([...POSTCODE_INWARD_LETTERS])}`;
}

function freephoneNumber(random: Random): string {
  return `0808 157 0${String(random.int(0, 999)).padStart(3, '0')}`;
}

function mobileNumber(random: Random): string {
  return `07700 900${String(random.int(0, 999)).padStart(3, '0')}`;
}

function nonGeographicNumber(random: Random): string {
  return `0306 999 0${String(random.int(0, 999)).padStart(3, '0')}`;
}

function subsetKeepingFirst<T>(random: Random, items: readonly T[], keepChance: number): T[] {
  return items.filter((_, index) => index === 0 || random.chance(keepChance));
}

function applicationProcess(routes: readonly AccessRoute[]): string {
  const sentences: Record<AccessRoute, string> = {
    drop_in: 'Just turn up during opening times.',
    self_referral: 'Phone, email or use the form on our website to refer yourself.',
    professional_referral: 'A GP, nurse, social worker or other professional can refer you.',
    phone: 'Call us on the number below.',
    online: 'Apply online through our website.',
  };
  return routes.slice(0, 2).map((route) => sentences[route]).join(' ');
}

function ageEligibility(kind: ServiceKind): string | null {
  const { min, max } = kind.ages ?? {};
  if (min !== undefined && max !== undefined) return `Children and young people aged ${min} to ${max}.`;
  if (min !== undefined) return `People aged ${min} and over.`;
  if (max !== undefined) return `Children up to the age of ${max} with a parent or carer.`;
  return null;
}

const PLACEHOLDER = /\{(\w+)\}/g;

function fillable(template: string, context: Record<string, string>): boolean {
  for (const match of template.matchAll(PLACEHOLDER)) if (context[match[1]!] === undefined) return false;
  return true;
}

function pickFillable(random: Random, templates: readonly string[], context: Record<string, string>): string {
  const usable = templates.filter((template) => fillable(template, context));
  if (usable.length === 0) throw new Error(`No template can be filled from {${Object.keys(context).join('}, {')}}: ${templates[0]}`);
  return random.pick(usable);
}

function fill(template: string, context: Record<string, string>): string {
  return template.replace(PLACEHOLDER, (whole, key: string) => {
    const value = context[key];
    if (value === undefined) throw new Error(`Template placeholder ${whole} has no value in "${template}"`);
    return value;
  });
}


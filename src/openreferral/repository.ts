import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type {
  AddressTable,
  AttributeTable,
  ContactTable,
  CostOptionTable,
  Database,
  LanguageTable,
  Location,
  Organization,
  PhoneTable,
  ScheduleTable,
  Service,
  ServiceAreaTable,
  ServiceAtLocationTable,
  TaxonomyTable,
  TaxonomyTermTable,
} from '../platform/db/schema.ts';
import { groupBy } from '../platform/collections.ts';
import { ACCESS_TAXONOMY, findAccessTerm, type AccessTermMeaning } from './access-taxonomy.ts';

// The only place with SQL for the Open Referral feed: filtered, counted and paged id lists, and batch
// loaders that fetch everything a page of records needs with one query per table, never one per record.

export type Address = Selectable<AddressTable>;
export type Phone = Selectable<PhoneTable>;
export type Schedule = Selectable<ScheduleTable>;
export type ServiceArea = Selectable<ServiceAreaTable>;
export type CostOption = Selectable<CostOptionTable>;
export type Language = Selectable<LanguageTable>;
export type Contact = Selectable<ContactTable>;
export type ServiceAtLocation = Selectable<ServiceAtLocationTable>;
export type Taxonomy = Selectable<TaxonomyTable>;
export type TaxonomyTerm = Selectable<TaxonomyTermTable>;
/** An attribute row with its term and the name of the term's taxonomy. */
export type AttributeWithTerm = Selectable<AttributeTable> & { term: TaxonomyTerm & { taxonomy_name: string } };

export interface PageWindow {
  limit: number;
  offset: number;
}

export interface ScheduleFilter {
  /** An RFC 5545 day code: MO … SU. */
  day?: string;
  /** HH:MM:SS */
  opensAtOrAfter?: string;
  closesAtOrBefore?: string;
}

export interface ServiceFilters {
  /** Every word must appear in the name or description. */
  words?: string[];
  taxonomyTermId?: string;
  taxonomyId?: string;
  minimumAge?: number;
  maximumAge?: number;
  schedule?: ScheduleFilter;
  organizationId?: string;
  modifiedAfter?: string;
}

/** A resolved postcode: results must be covered by it, and within `metres` of it when given. */
export interface NearFilter {
  latitude: number;
  longitude: number;
  metres?: number;
  /** The postcode's council area, for matching service areas; undefined outside Scotland. */
  councilAreaCode?: string;
}

export interface ServiceGraph {
  services: Service[];
  organizations: Map<string, Organization>;
  organizationAttributes: Map<string, AttributeWithTerm[]>;
  serviceAttributes: Map<string, AttributeWithTerm[]>;
  links: Map<string, ServiceAtLocation[]>;
  locations: Map<string, LocationGraph>;
  serviceAreas: Map<string, ServiceArea[]>;
  costOptions: Map<string, CostOption[]>;
  schedules: { byService: Map<string, Schedule[]>; byLink: Map<string, Schedule[]> };
  phones: { byService: Map<string, Phone[]>; byLink: Map<string, Phone[]>; byContact: Map<string, Phone[]> };
  contacts: { byService: Map<string, Contact[]>; byLink: Map<string, Contact[]> };
  languages: { byService: Map<string, Language[]>; byPhone: Map<string, Language[]> };
}

export interface LocationGraph {
  location: Location;
  addresses: Address[];
  attributes: AttributeWithTerm[];
  schedules: Schedule[];
  phones: Phone[];
  contacts: Contact[];
  languages: Language[];
  /** Phones of this location's contacts, and languages of its phones (shared maps for the batch). */
  phonesByContact: Map<string, Phone[]>;
  languagesByPhone: Map<string, Language[]>;
}

type Json = Record<string, unknown>;

/** A row read through to_jsonb(), with its timestamps as the Date objects a plain select gives. */
function withDates(json: Json): Json {
  return { ...json, created_at: new Date(String(json.created_at)), updated_at: new Date(String(json.updated_at)) };
}

const EARTH_RADIUS_METRES = 6_371_008.8;
const METRES_PER_DEGREE_LATITUDE = 111_320;

/** A number parameter typed for the server, which would otherwise infer integer from context. */
const float = (value: number) => sql`cast(${value} as double precision)`;

const escapeLike = (word: string) => word.replace(/[\\%_]/g, (character) => `\\${character}`);

/** A day code inside an RRULE BYDAY list such as "MO,WE" or "1MO,-1FR". */
const bydayPattern = (day: string) => `(^|,)\\s*[+-]?[0-9]*${day}\\s*(,|$)`;

function accessCondition(meaning: AccessTermMeaning): RawBuilder<unknown> {
  switch (meaning.kind) {
    case 'access_route':
      return sql`${meaning.value} = any(s.access_routes)`;
    case 'delivery_mode':
      return sql`${meaning.value} = any(s.delivery_modes)`;
    case 'any_access_route':
      return sql`cardinality(s.access_routes) > 0`;
    case 'any_delivery_mode':
      return sql`cardinality(s.delivery_modes) > 0`;
    case 'free_of_charge':
      return sql`s.free_of_charge`;
  }
}

/**
 * The WHERE conditions for the filters, over `s` (service) and, for service-at-location listings,
 * `sal` (service_at_location) and `l` (location). They are joined with AND.
 */
function serviceConditions(filters: ServiceFilters, scope: 'service' | 'service_at_location'): RawBuilder<unknown>[] {
  const conditions: RawBuilder<unknown>[] = [sql`o.listed`];
  for (const word of filters.words ?? []) {
    conditions.push(sql`(s.name || ' ' || s.description) ilike ${`%${escapeLike(word)}%`}`);
  }

  // Terms carried by the service itself, or by a location it is delivered at.
  const withTerms = (termIds: RawBuilder<unknown>) => {
    const onService = sql`s.id in (select a.service_id from attribute a where a.service_id is not null and a.taxonomy_term_id in (${termIds}))`;
    if (scope === 'service_at_location') {
      return sql`(${onService} or sal.location_id in (select a.location_id from attribute a where a.location_id is not null and a.taxonomy_term_id in (${termIds})))`;
    }
    return sql`(${onService} or s.id in (select x.service_id from service_at_location x join attribute a on a.location_id = x.location_id where a.taxonomy_term_id in (${termIds})))`;
  };

  if (filters.taxonomyTermId) {
    const derived = findAccessTerm(filters.taxonomyTermId);
    if (derived) conditions.push(accessCondition(derived.meaning));
    else conditions.push(withTerms(sql`select t.id from taxonomy_term t where t.id = ${filters.taxonomyTermId} or t.parent_id = ${filters.taxonomyTermId}`));
  }
  if (filters.taxonomyId) {
    if (filters.taxonomyId === ACCESS_TAXONOMY.id) {
      conditions.push(sql`(cardinality(s.access_routes) > 0 or cardinality(s.delivery_modes) > 0 or s.free_of_charge)`);
    } else {
      conditions.push(withTerms(sql`select t.id from taxonomy_term t where t.taxonomy_id = ${filters.taxonomyId}`));
    }
  }
  if (filters.minimumAge !== undefined) conditions.push(sql`coalesce(s.minimum_age, 0) >= ${float(filters.minimumAge)}`);
  if (filters.maximumAge !== undefined) conditions.push(sql`s.maximum_age <= ${float(filters.maximumAge)}`);
  if (filters.schedule) {
    const { day, opensAtOrAfter, closesAtOrBefore } = filters.schedule;
    const matches: RawBuilder<unknown>[] = [];
    if (day) matches.push(sql`sc.byday ~ ${bydayPattern(day)}`);
    if (opensAtOrAfter) matches.push(sql`sc.opens_at >= cast(${opensAtOrAfter} as time)`);
    if (closesAtOrBefore) matches.push(sql`sc.closes_at <= cast(${closesAtOrBefore} as time)`);
    const where = sql.join(matches, sql` and `);
    // A schedule of the service itself, or of the service at one of its locations.
    if (scope === 'service_at_location') {
      conditions.push(sql`(s.id in (select sc.service_id from schedule sc where sc.service_id is not null and ${where})
        or sal.id in (select sc.service_at_location_id from schedule sc where sc.service_at_location_id is not null and ${where}))`);
    } else {
      conditions.push(sql`(s.id in (select sc.service_id from schedule sc where sc.service_id is not null and ${where})
        or s.id in (select x.service_id from schedule sc join service_at_location x on x.id = sc.service_at_location_id where ${where}))`);
    }
  }
  if (filters.organizationId) conditions.push(sql`s.organization_id = ${filters.organizationId}`);
  if (filters.modifiedAfter) conditions.push(sql`s.updated_at >= cast(${filters.modifiedAfter} as timestamptz)`);
  return conditions;
}

/** Services that declare service areas must cover the place; services that declare none are not filtered. */
function coverageCondition(near: NearFilter): RawBuilder<unknown> {
  const covering: RawBuilder<unknown>[] = [sql`sa.area_type = 'uk'`];
  if (near.councilAreaCode) {
    const area = sql`(select ca.name, ca.partnership_name, ca.health_board_name from council_area ca where ca.code = ${near.councilAreaCode})`;
    covering.push(
      sql`sa.area_type = 'scotland'`,
      sql`(sa.area_type = 'council_area' and lower(coalesce(sa.area_name, sa.name)) in (select lower(c.name) from ${area} c))`,
      sql`(sa.area_type = 'partnership' and lower(coalesce(sa.area_name, sa.name)) in (select lower(c.partnership_name) from ${area} c))`,
      sql`(sa.area_type = 'health_board' and lower(coalesce(sa.area_name, sa.name)) in (select lower(c.health_board_name) from ${area} c))`,
    );
  }
  return sql`(not exists (select 1 from service_area sa where sa.service_id = s.id)
    or exists (select 1 from service_area sa where sa.service_id = s.id and (${sql.join(covering, sql` or `)})))`;
}

/** Great-circle distance in metres from the place to location `l`, by the haversine formula. */
function distanceFrom(near: NearFilter): RawBuilder<number> {
  const latitude = float(near.latitude);
  const longitude = float(near.longitude);
  return sql<number>`(${float(EARTH_RADIUS_METRES)} * 2 * asin(least(1, sqrt(
      power(sin(radians(l.latitude - ${latitude}) / 2), 2)
      + cos(radians(${latitude})) * cos(radians(l.latitude)) * power(sin(radians(l.longitude - ${longitude}) / 2), 2)))))`;
}

function proximityConditions(near: NearFilter): RawBuilder<unknown>[] {
  if (near.metres === undefined) return [];
  // A bounding box first, so the (latitude, longitude) index narrows the rows the formula runs on.
  const latitudeDelta = near.metres / METRES_PER_DEGREE_LATITUDE;
  const longitudeDelta = Math.min(180, latitudeDelta / Math.max(0.01, Math.cos((near.latitude * Math.PI) / 180)));
  return [
    sql`l.latitude between ${float(near.latitude - latitudeDelta)} and ${float(near.latitude + latitudeDelta)}`,
    sql`l.longitude between ${float(near.longitude - longitudeDelta)} and ${float(near.longitude + longitudeDelta)}`,
    sql`${distanceFrom(near)} <= ${float(near.metres)}`,
  ];
}

/**
 * Ordered id lists of listings, kept between requests while the directory does not change (the
 * directory change log of migration 0004 says when it has). A crawler asking for page 900 then
 * costs one tiny query and a slice, not a count and a 90,000-row offset. Bounded: the least recently
 * used lists go first, and very long lists are not kept.
 */
export interface ListingCache {
  get(key: string, version: string): Listing | undefined;
  set(key: string, version: string, listing: Listing): void;
}

export interface Listing {
  ids: string[];
  /** Metres from the place, for listings near a postcode. */
  distances?: Array<number | null>;
}

export function createListingCache(options: { maxLists?: number; maxIds?: number } = {}): ListingCache {
  const maxLists = options.maxLists ?? 16;
  const maxIds = options.maxIds ?? 500_000;
  const entries = new Map<string, { version: string; listing: Listing }>();
  return {
    get(key, version) {
      const entry = entries.get(key);
      if (!entry || entry.version !== version) return undefined;
      entries.delete(key);
      entries.set(key, entry);
      return entry.listing;
    },
    set(key, version, listing) {
      if (listing.ids.length > maxIds) return;
      entries.delete(key);
      entries.set(key, { version, listing });
      while (entries.size > maxLists) entries.delete(entries.keys().next().value!);
    },
  };
}

export interface RepositoryOptions {
  cache?: ListingCache;
  /** Prune the directory change log when it has more rows than this. */
  pruneChangeLogAfter?: number;
}

export function createOpenReferralRepository(db: Kysely<Database>, options: RepositoryOptions = {}) {
  const cache = options.cache ?? createListingCache();
  const pruneAfter = options.pruneChangeLogAfter ?? 500;
  const computing = new Map<string, Promise<Listing>>();

  /**
   * The directory's version (migration 0004): the highest seq and the number of rows of the change log.
   * The log is pruned now and then, with a new row so that the version still changes.
   */
  async function directoryVersion(): Promise<string> {
    const { rows } = await sql<{ top: number; entries: number }>`
      select coalesce(max(seq), 0) as top, count(*) as entries from directory_change`.execute(db);
    const { top, entries } = rows[0] ?? { top: 0, entries: 0 };
    if (Number(entries) > pruneAfter) {
      await sql`with pruned as (delete from directory_change where seq <= ${top})
        insert into directory_change (txid) values (txid_current()) on conflict (txid) do nothing`.execute(db);
    }
    return `${top}:${entries}`;
  }

  /** The listing for this key: from the cache while the directory is unchanged, else computed once. */
  async function listing(key: string, compute: () => Promise<Listing>): Promise<Listing> {
    const version = await directoryVersion();
    const cached = cache.get(key, version);
    if (cached) return cached;
    const flightKey = `${version}:${key}`;
    let pending = computing.get(flightKey);
    if (!pending) {
      pending = compute().then(
        (result) => {
          cache.set(key, version, result);
          computing.delete(flightKey);
          return result;
        },
        (error: unknown) => {
          computing.delete(flightKey);
          throw error;
        },
      );
      computing.set(flightKey, pending);
    }
    return pending;
  }

  async function attributesWithTerms(column: 'service_id' | 'location_id' | 'organization_id', ids: string[]): Promise<AttributeWithTerm[]> {
    if (ids.length === 0) return [];
    const rows = await db
      .selectFrom('attribute as a')
      .innerJoin('taxonomy_term as t', 't.id', 'a.taxonomy_term_id')
      .innerJoin('taxonomy as x', 'x.id', 't.taxonomy_id')
      .select([
        'a.id',
        'a.taxonomy_term_id',
        'a.service_id',
        'a.location_id',
        'a.organization_id',
        'a.link_type',
        'a.value',
        't.taxonomy_id as term_taxonomy_id',
        't.code as term_code',
        't.name as term_name',
        't.description as term_description',
        't.parent_id as term_parent_id',
        't.language as term_language',
        't.term_uri as term_term_uri',
        'x.name as taxonomy_name',
      ])
      .where(`a.${column}`, 'in', ids)
      .orderBy('a.id')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      taxonomy_term_id: row.taxonomy_term_id,
      service_id: row.service_id,
      location_id: row.location_id,
      organization_id: row.organization_id,
      link_type: row.link_type,
      value: row.value,
      term: {
        id: row.taxonomy_term_id,
        taxonomy_id: row.term_taxonomy_id,
        code: row.term_code,
        name: row.term_name,
        description: row.term_description,
        parent_id: row.term_parent_id,
        language: row.term_language,
        term_uri: row.term_term_uri,
        taxonomy_name: row.taxonomy_name,
      },
    }));
  }

  async function locationGraphs(locationIds: string[]): Promise<Map<string, LocationGraph>> {
    const result = new Map<string, LocationGraph>();
    if (locationIds.length === 0) return result;
    const [locations, addresses, attributes, schedules, contacts] = await Promise.all([
      db.selectFrom('location').selectAll().where('id', 'in', locationIds).execute(),
      db.selectFrom('address').selectAll().where('location_id', 'in', locationIds).orderBy('id').execute(),
      attributesWithTerms('location_id', locationIds),
      db.selectFrom('schedule').selectAll().where('location_id', 'in', locationIds).orderBy('id').execute(),
      db.selectFrom('contact').selectAll().where('location_id', 'in', locationIds).orderBy('id').execute(),
    ]);
    const contactIds = contacts.map((contact) => contact.id);
    const phones = await db
      .selectFrom('phone')
      .selectAll()
      .where((eb) => eb.or([eb('location_id', 'in', locationIds), ...(contactIds.length ? [eb('contact_id', 'in', contactIds)] : [])]))
      .orderBy('id')
      .execute();
    const phoneIds = phones.map((phone) => phone.id);
    const languages = await db
      .selectFrom('language')
      .selectAll()
      .where((eb) => eb.or([eb('location_id', 'in', locationIds), ...(phoneIds.length ? [eb('phone_id', 'in', phoneIds)] : [])]))
      .orderBy('id')
      .execute();
    const addressesBy = groupBy(addresses, (row) => row.location_id);
    const attributesBy = groupBy(attributes, (row) => row.location_id);
    const schedulesBy = groupBy(schedules, (row) => row.location_id);
    const contactsBy = groupBy(contacts, (row) => row.location_id);
    const phonesBy = groupBy(phones, (row) => row.location_id);
    const languagesBy = groupBy(languages, (row) => row.location_id);
    const phonesByContact = groupBy(phones, (row) => row.contact_id);
    const languagesByPhone = groupBy(languages, (row) => row.phone_id);
    for (const location of locations) {
      result.set(location.id, {
        location,
        addresses: addressesBy.get(location.id) ?? [],
        attributes: attributesBy.get(location.id) ?? [],
        schedules: schedulesBy.get(location.id) ?? [],
        contacts: contactsBy.get(location.id) ?? [],
        phones: phonesBy.get(location.id) ?? [],
        languages: languagesBy.get(location.id) ?? [],
        phonesByContact,
        languagesByPhone,
      });
    }
    return result;
  }

  /** Published services (their organisation is listed) among these ids, in no particular order. */
  async function publishedServices(ids: string[]): Promise<Service[]> {
    if (ids.length === 0) return [];
    return db
      .selectFrom('service')
      .innerJoin('organization', 'organization.id', 'service.organization_id')
      .selectAll('service')
      .where('service.id', 'in', ids)
      .where('organization.listed', '=', true)
      .execute();
  }

  /** The next `limit` ids of a table after `after`, in id order. */
  async function idWindow(table: 'organization' | 'location', after: string | null, limit: number): Promise<string[]> {
    let query = db.selectFrom(table).select('id');
    if (after !== null) query = query.where('id', '>', after);
    return (await query.orderBy('id').limit(limit).execute()).map((row) => row.id);
  }

  async function organizationsById(ids: string[]): Promise<Map<string, Organization>> {
    if (ids.length === 0) return new Map();
    const rows = await db.selectFrom('organization').selectAll().where('id', 'in', ids).execute();
    return new Map(rows.map((row) => [row.id, row]));
  }

  return {
    /** One page of published service ids matching every filter, ordered by id, and how many match in all. */
    async servicePage(filters: ServiceFilters, window: PageWindow): Promise<{ total: number; ids: string[] }> {
      const { ids } = await listing(JSON.stringify(['services', filters]), async () => {
        const where = sql.join(serviceConditions(filters, 'service'), sql` and `);
        const { rows } = await sql<{ id: string }>`select s.id from service s join organization o on o.id = s.organization_id
          where ${where} order by s.id`.execute(db);
        return { ids: rows.map((row) => row.id) };
      });
      return { total: ids.length, ids: ids.slice(window.offset, window.offset + window.limit) };
    },

    /**
     * One page of service-at-location ids matching every filter: ordered by id, or nearest first (then
     * by id) with a place, with the distance in metres.
     */
    async serviceAtLocationPage(
      filters: ServiceFilters,
      near: NearFilter | undefined,
      window: PageWindow,
    ): Promise<{ total: number; rows: Array<{ id: string; distance: number | null }> }> {
      const found = await listing(JSON.stringify(['service_at_locations', filters, near ?? null]), async () => {
        const conditions = serviceConditions(filters, 'service_at_location');
        if (near) conditions.push(coverageCondition(near), ...proximityConditions(near));
        const where = sql.join(conditions, sql` and `);
        if (!near) {
          const { rows } = await sql<{ id: string }>`select sal.id from service_at_location sal
            join service s on s.id = sal.service_id
            join organization o on o.id = s.organization_id
            where ${where} order by sal.id`.execute(db);
          return { ids: rows.map((row) => row.id) };
        }
        const { rows } = await sql<{ id: string; distance: number | null }>`select sal.id, ${distanceFrom(near)} as distance
          from service_at_location sal
          join service s on s.id = sal.service_id
          join organization o on o.id = s.organization_id
          join location l on l.id = sal.location_id
          where ${where} order by distance nulls last, sal.id`.execute(db);
        return { ids: rows.map((row) => row.id), distances: rows.map((row) => (row.distance === null ? null : Number(row.distance))) };
      });
      const end = window.offset + window.limit;
      return {
        total: found.ids.length,
        rows: found.ids.slice(window.offset, end).map((id, index) => ({ id, distance: found.distances?.[window.offset + index] ?? null })),
      };
    },

    /** Services with their organisation: what a listing shows. Unpublished ids are left out; order kept. */
    async serviceSummaries(ids: string[]): Promise<Array<{ service: Service; organization: Organization }>> {
      if (ids.length === 0) return [];
      // One query: each service with its organisation as a JSON object, keyed by the column names.
      const { rows } = await sql<Service & { organization_json: Record<string, unknown> }>`
        select s.*, to_jsonb(o) as organization_json
        from service s join organization o on o.id = s.organization_id
        where s.id in (${sql.join(ids)}) and o.listed`.execute(db);
      const byId = new Map(
        rows.map(({ organization_json: json, ...service }) => {
          const organization = withDates(json) as Organization;
          return [service.id, { service: service as Service, organization }];
        }),
      );
      return ids.flatMap((id) => byId.get(id) ?? []);
    },

    /** Everything a fully nested service needs, for many services, with one query per table. */
    async serviceGraph(serviceIds: string[]): Promise<ServiceGraph> {
      const services = await publishedServices(serviceIds);
      const order = new Map(serviceIds.map((id, index) => [id, index]));
      services.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
      const ids = services.map((service) => service.id);
      const organizationIds = [...new Set(services.map((service) => service.organization_id))];
      const none = ids.length === 0;
      const [organizations, organizationAttributes, serviceAttributes, links, serviceAreas, costOptions] = await Promise.all([
        organizationsById(organizationIds),
        attributesWithTerms('organization_id', organizationIds),
        attributesWithTerms('service_id', ids),
        none ? [] : db.selectFrom('service_at_location').selectAll().where('service_id', 'in', ids).orderBy('id').execute(),
        none ? [] : db.selectFrom('service_area').selectAll().where('service_id', 'in', ids).orderBy('id').execute(),
        none ? [] : db.selectFrom('cost_option').selectAll().where('service_id', 'in', ids).orderBy('id').execute(),
      ]);
      const linkIds = links.map((link) => link.id);
      const [locations, schedules, contacts] = await Promise.all([
        locationGraphs([...new Set(links.map((link) => link.location_id))]),
        none
          ? []
          : db
              .selectFrom('schedule')
              .selectAll()
              .where((eb) => eb.or([eb('service_id', 'in', ids), ...(linkIds.length ? [eb('service_at_location_id', 'in', linkIds)] : [])]))
              .orderBy('id')
              .execute(),
        none
          ? []
          : db
              .selectFrom('contact')
              .selectAll()
              .where((eb) => eb.or([eb('service_id', 'in', ids), ...(linkIds.length ? [eb('service_at_location_id', 'in', linkIds)] : [])]))
              .orderBy('id')
              .execute(),
      ]);
      const contactIds = contacts.map((contact) => contact.id);
      const phones = none
        ? []
        : await db
            .selectFrom('phone')
            .selectAll()
            .where((eb) =>
              eb.or([
                eb('service_id', 'in', ids),
                ...(linkIds.length ? [eb('service_at_location_id', 'in', linkIds)] : []),
                ...(contactIds.length ? [eb('contact_id', 'in', contactIds)] : []),
              ]),
            )
            .orderBy('id')
            .execute();
      const phoneIds = phones.map((phone) => phone.id);
      const languages = none
        ? []
        : await db
            .selectFrom('language')
            .selectAll()
            .where((eb) => eb.or([eb('service_id', 'in', ids), ...(phoneIds.length ? [eb('phone_id', 'in', phoneIds)] : [])]))
            .orderBy('id')
            .execute();
      return {
        services,
        organizations,
        organizationAttributes: groupBy(organizationAttributes, (row) => row.organization_id),
        serviceAttributes: groupBy(serviceAttributes, (row) => row.service_id),
        links: groupBy(links, (row) => row.service_id),
        locations,
        serviceAreas: groupBy(serviceAreas, (row) => row.service_id),
        costOptions: groupBy(costOptions, (row) => row.service_id),
        schedules: { byService: groupBy(schedules, (row) => row.service_id), byLink: groupBy(schedules, (row) => row.service_at_location_id) },
        phones: {
          byService: groupBy(phones, (row) => row.service_id),
          byLink: groupBy(phones, (row) => row.service_at_location_id),
          byContact: groupBy(phones, (row) => row.contact_id),
        },
        contacts: { byService: groupBy(contacts, (row) => row.service_id), byLink: groupBy(contacts, (row) => row.service_at_location_id) },
        languages: { byService: groupBy(languages, (row) => row.service_id), byPhone: groupBy(languages, (row) => row.phone_id) },
      };
    },

    /**
     * What a service-at-location listing shows, in one query: each link with its location, service and
     * organisation. Unpublished ids are left out; order kept.
     */
    async serviceAtLocationSummaries(
      ids: string[],
    ): Promise<Array<{ link: ServiceAtLocation; location: Location; service: Service; organization: Organization }>> {
      if (ids.length === 0) return [];
      const { rows } = await sql<ServiceAtLocation & { location_json: Json; service_json: Json; organization_json: Json }>`
        select sal.*, to_jsonb(l) as location_json, to_jsonb(s) as service_json, to_jsonb(o) as organization_json
        from service_at_location sal
        join service s on s.id = sal.service_id
        join organization o on o.id = s.organization_id
        join location l on l.id = sal.location_id
        where sal.id in (${sql.join(ids)}) and o.listed`.execute(db);
      const byId = new Map(
        rows.map(({ location_json, service_json, organization_json, ...link }) => [
          link.id,
          {
            link: link as ServiceAtLocation,
            location: withDates(location_json) as Location,
            service: withDates(service_json) as Service,
            organization: withDates(organization_json) as Organization,
          },
        ]),
      );
      return ids.flatMap((id) => byId.get(id) ?? []);
    },

    /** Service-at-location rows whose service is published; order kept. */
    async serviceAtLocations(ids: string[]): Promise<ServiceAtLocation[]> {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom('service_at_location as sal')
        .innerJoin('service as s', 's.id', 'sal.service_id')
        .innerJoin('organization as o', 'o.id', 's.organization_id')
        .selectAll('sal')
        .where('sal.id', 'in', ids)
        .where('o.listed', '=', true)
        .execute();
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.flatMap((id) => byId.get(id) ?? []);
    },

    locationGraphs,

    /** One page of listed organisations, ordered by id, whose name has every word. */
    async organizationPage(words: string[], window: PageWindow): Promise<{ total: number; rows: Organization[] }> {
      const { ids } = await listing(JSON.stringify(['organizations', words]), async () => {
        let query = db.selectFrom('organization').select('id').where('listed', '=', true);
        for (const word of words) query = query.where(sql<boolean>`name ilike ${`%${escapeLike(word)}%`}`);
        return { ids: (await query.orderBy('id').execute()).map((row) => row.id) };
      });
      const pageIds = ids.slice(window.offset, window.offset + window.limit);
      const rows = await organizationsById(pageIds);
      return { total: ids.length, rows: pageIds.flatMap((id) => rows.get(id) ?? []) };
    },

    /** A listed organisation with what its ORUK record nests: attributes, services, phones, contacts, locations. */
    async organizationGraph(id: string) {
      const organization = await db.selectFrom('organization').selectAll().where('id', '=', id).where('listed', '=', true).executeTakeFirst();
      if (!organization) return undefined;
      const [attributes, services, phones, contacts, locations] = await Promise.all([
        attributesWithTerms('organization_id', [id]),
        db.selectFrom('service').selectAll().where('organization_id', '=', id).orderBy('id').execute(),
        db.selectFrom('phone').selectAll().where('organization_id', '=', id).orderBy('id').execute(),
        db.selectFrom('contact').selectAll().where('organization_id', '=', id).orderBy('id').execute(),
        db.selectFrom('location').selectAll().where('organization_id', '=', id).orderBy('id').execute(),
      ]);
      const contactIds = contacts.map((contact) => contact.id);
      const contactPhones = contactIds.length
        ? await db.selectFrom('phone').selectAll().where('contact_id', 'in', contactIds).orderBy('id').execute()
        : [];
      return { organization, attributes, services, phones, contacts, contactPhones: groupBy(contactPhones, (row) => row.contact_id), locations };
    },

    // ---- Export: published records paged by key --------------------------------------------------
    // Each call is one short query of its own (no transaction spans pages: on PGlite an open
    // transaction blocks every other request), and `where id > last order by id limit n` costs the
    // same on the last page as on the first.

    /** How many records an export will write, for its progress report. */
    async publishedCounts(): Promise<{ services: number; organizations: number; locations: number }> {
      const { rows } = await sql<{ services: number; organizations: number; locations: number }>`select
          (select count(*) from service s join organization o on o.id = s.organization_id where o.listed) as services,
          (select count(*) from organization o where o.listed and exists (select 1 from service s where s.organization_id = o.id)) as organizations,
          (select count(*) from location l where exists (select 1 from service_at_location sal
            join service s on s.id = sal.service_id join organization o on o.id = s.organization_id
            where sal.location_id = l.id and o.listed)) as locations`.execute(db);
      const row = rows[0]!;
      return { services: Number(row.services), organizations: Number(row.organizations), locations: Number(row.locations) };
    },

    /** Ids of published services after `after`, in id order. */
    async publishedServiceIdsAfter(after: string | null, limit: number): Promise<string[]> {
      const { rows } = await sql<{ id: string }>`select s.id from service s join organization o on o.id = s.organization_id
        where o.listed ${after === null ? sql`` : sql`and s.id > ${after}`} order by s.id limit ${limit}`.execute(db);
      return rows.map((row) => row.id);
    },

    // Organisations and locations are paged over their own table, a window of ids at a time, and
    // the window is then narrowed to those a published service uses, one index lookup per id. A
    // single "where id > last and exists (…)" query let the planner hash the whole service table
    // for every page (seconds a page at 1,000,000 services): quadratic over an export.

    /**
     * Listed organisations with at least one service (those a service_full nests) among the next
     * `limit` organisation ids after `after`, with their attributes; `scanned` is the window's last id
     * (null when it was the last window).
     */
    async publishedOrganizationsAfter(
      after: string | null,
      limit: number,
    ): Promise<{ organizations: Organization[]; attributes: Map<string, AttributeWithTerm[]>; scanned: string | null }> {
      const window = await idWindow('organization', after, limit);
      // "lateral … limit 1" looks for one service per organisation of the window, by index: a plain
      // exists or in (…) may be planned as a hash of every service.
      const organizations =
        window.length === 0
          ? []
          : (
              await sql<Organization>`select o.* from organization o
                cross join lateral (select 1 from service s where s.organization_id = o.id limit 1) used
                where o.id in (${sql.join(window)}) and o.listed order by o.id`.execute(db)
            ).rows;
      const attributes = await attributesWithTerms('organization_id', organizations.map((organization) => organization.id));
      return { organizations, attributes: groupBy(attributes, (row) => row.organization_id), scanned: window.length < limit ? null : window[window.length - 1]! };
    },

    /**
     * Locations where a published service is delivered among the next `limit` location ids after
     * `after`, with everything their records nest; `scanned` as for organisations.
     */
    async publishedLocationsAfter(after: string | null, limit: number): Promise<{ graphs: LocationGraph[]; scanned: string | null }> {
      const window = await idWindow('location', after, limit);
      const { rows } =
        window.length === 0
          ? { rows: [] }
          : await sql<{ id: string }>`select l.id from location l
              cross join lateral (select 1 from service_at_location sal join service s on s.id = sal.service_id
                join organization o on o.id = s.organization_id where sal.location_id = l.id and o.listed limit 1) used
              where l.id in (${sql.join(window)})`.execute(db);
      const used = new Set(rows.map((row) => row.id));
      const ids = window.filter((id) => used.has(id));
      const graphs = await locationGraphs(ids);
      return { graphs: ids.flatMap((id) => graphs.get(id) ?? []), scanned: window.length < limit ? null : window[window.length - 1]! };
    },

    async taxonomies(): Promise<Taxonomy[]> {
      return db.selectFrom('taxonomy').selectAll().orderBy('id').execute();
    },

    async taxonomyTerms(): Promise<Array<TaxonomyTerm & { taxonomy_name: string }>> {
      return db
        .selectFrom('taxonomy_term as t')
        .innerJoin('taxonomy as x', 'x.id', 't.taxonomy_id')
        .selectAll('t')
        .select('x.name as taxonomy_name')
        .orderBy('t.id')
        .execute();
    },
  };
}

export type OpenReferralRepository = ReturnType<typeof createOpenReferralRepository>;

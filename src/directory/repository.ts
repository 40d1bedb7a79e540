import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type {
  AddressTable,
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
  TaxonomyTerm,
  UrlTable,
} from '../platform/db/schema.ts';
import { groupBy } from '../platform/collections.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export interface Page {
  limit: number;
  offset: number;
}

export interface Paged<T> {
  total: number;
  rows: T[];
}

export type Address = Selectable<AddressTable>;
export type Phone = Selectable<PhoneTable>;
export type Schedule = Selectable<ScheduleTable>;
export type ServiceArea = Selectable<ServiceAreaTable>;
export type CostOption = Selectable<CostOptionTable>;
export type Language = Selectable<LanguageTable>;
export type Contact = Selectable<ContactTable>;
export type Url = Selectable<UrlTable>;
export type TermWithTaxonomy = TaxonomyTerm & { taxonomy_name: string };

export interface LocationDetails {
  location: Location;
  addresses: Address[];
  phones: Phone[];
  schedules: Schedule[];
  accessibility: TermWithTaxonomy[];
  languages: Language[];
}

export interface ServiceDetails {
  service: Service;
  organization: Organization;
  locations: LocationDetails[];
  terms: TermWithTaxonomy[];
  serviceAreas: ServiceArea[];
  phones: Phone[];
  schedules: Schedule[];
  costOptions: CostOption[];
  languages: Language[];
  contacts: Contact[];
  urls: Url[];
}

/** The only place with SQL for reading the directory's records. */
export function createDirectoryRepository(db: Kysely<Database>) {
  async function termsFor(column: 'service_id' | 'location_id', ids: string[], executor: Executor = db) {
    if (ids.length === 0) return [] as Array<TermWithTaxonomy & { owner_id: string }>;
    return (await executor
      .selectFrom('attribute')
      .innerJoin('taxonomy_term', 'taxonomy_term.id', 'attribute.taxonomy_term_id')
      .innerJoin('taxonomy', 'taxonomy.id', 'taxonomy_term.taxonomy_id')
      .selectAll('taxonomy_term')
      .select(['taxonomy.name as taxonomy_name', `attribute.${column} as owner_id`])
      .where(`attribute.${column}`, 'in', ids)
      .orderBy('taxonomy_term.name')
      .execute()) as Array<TermWithTaxonomy & { owner_id: string }>;
  }

  async function locationDetails(locationIds: string[], executor: Executor = db): Promise<Map<string, LocationDetails>> {
    const result = new Map<string, LocationDetails>();
    if (locationIds.length === 0) return result;
    const [locations, addresses, phones, schedules, accessibility, languages] = await Promise.all([
      executor.selectFrom('location').selectAll().where('id', 'in', locationIds).execute(),
      executor.selectFrom('address').selectAll().where('location_id', 'in', locationIds).orderBy('id').execute(),
      executor.selectFrom('phone').selectAll().where('location_id', 'in', locationIds).orderBy('id').execute(),
      executor.selectFrom('schedule').selectAll().where('location_id', 'in', locationIds).orderBy('id').execute(),
      termsFor('location_id', locationIds, executor),
      executor.selectFrom('language').selectAll().where('location_id', 'in', locationIds).orderBy('id').execute(),
    ]);
    const addressesBy = groupBy(addresses, (row) => row.location_id);
    const phonesBy = groupBy(phones, (row) => row.location_id);
    const schedulesBy = groupBy(schedules, (row) => row.location_id);
    const termsBy = groupBy(accessibility, (row) => row.owner_id);
    const languagesBy = groupBy(languages, (row) => row.location_id);
    for (const location of locations) {
      result.set(location.id, {
        location,
        addresses: addressesBy.get(location.id) ?? [],
        phones: phonesBy.get(location.id) ?? [],
        schedules: schedulesBy.get(location.id) ?? [],
        accessibility: (termsBy.get(location.id) ?? []).map(({ owner_id: _owner, ...term }) => term),
        languages: languagesBy.get(location.id) ?? [],
      });
    }
    return result;
  }

  return {
    async listOrganizations(page: Page): Promise<Paged<Organization>> {
      const base = db.selectFrom('organization').where('listed', '=', true);
      const [count, rows] = await Promise.all([
        base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
        base.selectAll().orderBy('name').orderBy('id').limit(page.limit).offset(page.offset).execute(),
      ]);
      return { total: Number(count.total), rows };
    },

    async findOrganization(id: string): Promise<Organization | undefined> {
      return db.selectFrom('organization').selectAll().where('id', '=', id).where('listed', '=', true).executeTakeFirst();
    },

    async servicesOfOrganization(organizationId: string): Promise<Service[]> {
      return db.selectFrom('service').selectAll().where('organization_id', '=', organizationId).orderBy('name').orderBy('id').execute();
    },

    async locationsOfOrganization(organizationId: string): Promise<Location[]> {
      return db.selectFrom('location').selectAll().where('organization_id', '=', organizationId).orderBy('name').orderBy('id').execute();
    },

    async organizationContacts(organizationId: string) {
      const [phones, urls] = await Promise.all([
        db.selectFrom('phone').selectAll().where('organization_id', '=', organizationId).orderBy('id').execute(),
        db.selectFrom('url').selectAll().where('organization_id', '=', organizationId).orderBy('id').execute(),
      ]);
      return { phones, urls };
    },

    async listServices(page: Page): Promise<Paged<Service>> {
      const base = db
        .selectFrom('service')
        .innerJoin('organization', 'organization.id', 'service.organization_id')
        .where('organization.listed', '=', true);
      const [count, rows] = await Promise.all([
        base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
        base.selectAll('service').orderBy('service.name').orderBy('service.id').limit(page.limit).offset(page.offset).execute(),
      ]);
      return { total: Number(count.total), rows };
    },

    /**
     * Every record a service page or an API answer needs, for many services at once: one query per
     * related table, never one per service.
     */
    async serviceDetails(serviceIds: string[], executor: Executor = db): Promise<ServiceDetails[]> {
      if (serviceIds.length === 0) return [];
      const services = await executor
        .selectFrom('service')
        .innerJoin('organization', 'organization.id', 'service.organization_id')
        .selectAll('service')
        .where('service.id', 'in', serviceIds)
        .where('organization.listed', '=', true)
        .execute();
      if (services.length === 0) return [];
      const ids = services.map((service) => service.id);
      const organizationIds = [...new Set(services.map((service) => service.organization_id))];
      const [organizations, links, terms, serviceAreas, phones, schedules, costOptions, languages, contacts, urls] =
        await Promise.all([
          executor.selectFrom('organization').selectAll().where('id', 'in', organizationIds).execute(),
          executor.selectFrom('service_at_location').select(['service_id', 'location_id']).where('service_id', 'in', ids).orderBy('id').execute(),
          termsFor('service_id', ids, executor),
          executor.selectFrom('service_area').selectAll().where('service_id', 'in', ids).orderBy('id').execute(),
          executor.selectFrom('phone').selectAll().where('service_id', 'in', ids).orderBy('id').execute(),
          executor.selectFrom('schedule').selectAll().where('service_id', 'in', ids).orderBy('id').execute(),
          executor.selectFrom('cost_option').selectAll().where('service_id', 'in', ids).orderBy('id').execute(),
          executor.selectFrom('language').selectAll().where('service_id', 'in', ids).orderBy('id').execute(),
          executor.selectFrom('contact').selectAll().where('service_id', 'in', ids).orderBy('id').execute(),
          executor.selectFrom('url').selectAll().where('service_id', 'in', ids).orderBy('id').execute(),
        ]);
      const locations = await locationDetails([...new Set(links.map((link) => link.location_id))], executor);
      const organizationsById = new Map(organizations.map((organization) => [organization.id, organization]));
      const linksBy = groupBy(links, (row) => row.service_id);
      const termsBy = groupBy(terms, (row) => row.owner_id);
      const areasBy = groupBy(serviceAreas, (row) => row.service_id);
      const phonesBy = groupBy(phones, (row) => row.service_id);
      const schedulesBy = groupBy(schedules, (row) => row.service_id);
      const costsBy = groupBy(costOptions, (row) => row.service_id);
      const languagesBy = groupBy(languages, (row) => row.service_id);
      const contactsBy = groupBy(contacts, (row) => row.service_id);
      const urlsBy = groupBy(urls, (row) => row.service_id);
      const byId = new Map(
        services.map((service) => [
          service.id,
          {
            service,
            organization: organizationsById.get(service.organization_id)!,
            locations: (linksBy.get(service.id) ?? []).flatMap((link) => locations.get(link.location_id) ?? []),
            terms: (termsBy.get(service.id) ?? []).map(({ owner_id: _owner, ...term }) => term),
            serviceAreas: areasBy.get(service.id) ?? [],
            phones: phonesBy.get(service.id) ?? [],
            schedules: schedulesBy.get(service.id) ?? [],
            costOptions: costsBy.get(service.id) ?? [],
            languages: languagesBy.get(service.id) ?? [],
            contacts: contactsBy.get(service.id) ?? [],
            urls: urlsBy.get(service.id) ?? [],
          } satisfies ServiceDetails,
        ]),
      );
      // Keep the caller's order: it is usually a ranking.
      return serviceIds.flatMap((id) => byId.get(id) ?? []);
    },

    async listLocations(page: Page): Promise<Paged<Location>> {
      const base = db
        .selectFrom('location')
        .leftJoin('organization', 'organization.id', 'location.organization_id')
        .where((eb) => eb.or([eb('location.organization_id', 'is', null), eb('organization.listed', '=', true)]));
      const [count, rows] = await Promise.all([
        base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
        base.selectAll('location').orderBy('location.name').orderBy('location.id').limit(page.limit).offset(page.offset).execute(),
      ]);
      return { total: Number(count.total), rows };
    },

    async locationDetails(ids: string[]): Promise<LocationDetails[]> {
      const details = await locationDetails(ids);
      return ids.flatMap((id) => details.get(id) ?? []);
    },

    async findLocationServices(locationId: string): Promise<Array<Pick<Service, 'id' | 'name' | 'status'>>> {
      return db
        .selectFrom('service_at_location')
        .innerJoin('service', 'service.id', 'service_at_location.service_id')
        .select(['service.id', 'service.name', 'service.status'])
        .where('service_at_location.location_id', '=', locationId)
        .orderBy('service.name')
        .execute();
    },

    async listTaxonomyTerms(page: Page, filter: { taxonomyId?: string; parentId?: string }): Promise<Paged<TermWithTaxonomy>> {
      let base = db.selectFrom('taxonomy_term').innerJoin('taxonomy', 'taxonomy.id', 'taxonomy_term.taxonomy_id');
      if (filter.taxonomyId) base = base.where('taxonomy_term.taxonomy_id', '=', filter.taxonomyId);
      if (filter.parentId) base = base.where('taxonomy_term.parent_id', '=', filter.parentId);
      const [count, rows] = await Promise.all([
        base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
        base
          .selectAll('taxonomy_term')
          .select('taxonomy.name as taxonomy_name')
          .orderBy('taxonomy.name')
          .orderBy('taxonomy_term.name')
          .orderBy('taxonomy_term.id')
          .limit(page.limit)
          .offset(page.offset)
          .execute(),
      ]);
      return { total: Number(count.total), rows };
    },

    async findTaxonomyTerm(id: string): Promise<TermWithTaxonomy | undefined> {
      return db
        .selectFrom('taxonomy_term')
        .innerJoin('taxonomy', 'taxonomy.id', 'taxonomy_term.taxonomy_id')
        .selectAll('taxonomy_term')
        .select('taxonomy.name as taxonomy_name')
        .where('taxonomy_term.id', '=', id)
        .executeTakeFirst();
    },

    async listTaxonomies() {
      return db.selectFrom('taxonomy').selectAll().orderBy('name').execute();
    },

    async counts() {
      const { rows } = await sql<{ organizations: number; services: number; locations: number }>`
        select (select count(*) from organization) as organizations,
               (select count(*) from service) as services,
               (select count(*) from location) as locations`.execute(db);
      return rows[0]!;
    },

    /** Ids and last changes of every record with a public page (listed organisations, open services), for the sitemap. */
    async publishedRecords() {
      const [organizations, services, locations] = await Promise.all([
        db.selectFrom('organization').select(['id', 'updated_at']).where('listed', '=', true).orderBy('id').execute(),
        db
          .selectFrom('service')
          .innerJoin('organization', 'organization.id', 'service.organization_id')
          .select(['service.id', 'service.updated_at'])
          .where('organization.listed', '=', true)
          .where('service.status', 'in', ['active', 'temporarily closed'])
          .orderBy('service.id')
          .execute(),
        db
          .selectFrom('location')
          .leftJoin('organization', 'organization.id', 'location.organization_id')
          .select(['location.id', 'location.updated_at'])
          .where((eb) => eb.or([eb('location.organization_id', 'is', null), eb('organization.listed', '=', true)]))
          .orderBy('location.id')
          .execute(),
      ]);
      return { organizations, services, locations };
    },
  };
}

export type DirectoryRepository = ReturnType<typeof createDirectoryRepository>;

import { NotFoundError } from '../platform/http/errors.ts';
import type { Location, Organization } from '../platform/db/schema.ts';
import type { DirectoryRepository, LocationDetails, ServiceDetails, TermWithTaxonomy } from './repository.ts';
import { taxonomyId, type TaxonomyKey } from './taxonomy.ts';

/** Drops null and undefined fields: API records leave out what a listing does not say. */
export function withoutEmpty<T extends Record<string, unknown>>(record: T): { [K in keyof T]: Exclude<T[K], null> } {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value !== null && value !== undefined) result[key] = value;
  }
  return result as { [K in keyof T]: Exclude<T[K], null> };
}

export interface PageRequest {
  page: number;
  per_page: number;
}

function envelope<T>(request: PageRequest, total: number, items: T[]) {
  return {
    total,
    page: request.page,
    per_page: request.per_page,
    total_pages: Math.ceil(total / request.per_page),
    items,
  };
}

function toLimitOffset(request: PageRequest) {
  return { limit: request.per_page, offset: (request.page - 1) * request.per_page };
}

const termRef = (term: TermWithTaxonomy) => ({ id: term.id, code: term.code, name: term.name });

export interface CouncilAreaLookup {
  (code: string): { code: string; name: string } | undefined;
}

export function createDirectoryService(deps: { repository: DirectoryRepository; councilArea: CouncilAreaLookup }) {
  const { repository, councilArea } = deps;
  const categoriesId = taxonomyId('categories');
  const clientGroupsId = taxonomyId('client-groups');

  function locationRecord(details: LocationDetails) {
    const { location } = details;
    return {
      ...withoutEmpty({
        id: location.id,
        organization_id: location.organization_id,
        location_type: location.location_type,
        name: location.name,
        alternate_name: location.alternate_name,
        description: location.description,
        transportation: location.transportation,
        url: location.url,
        latitude: location.latitude,
        longitude: location.longitude,
        council_area: location.council_area_code ? councilArea(location.council_area_code) : undefined,
      }),
      addresses: details.addresses.map((address) =>
        withoutEmpty({
          id: address.id,
          attention: address.attention,
          address_1: address.address_1,
          address_2: address.address_2,
          city: address.city,
          region: address.region,
          postal_code: address.postal_code,
          country: address.country,
          address_type: address.address_type,
        }),
      ),
      phones: details.phones.map(phoneRecord),
      schedules: details.schedules.map(scheduleRecord),
      accessibility: details.accessibility.map(termRef),
      languages: details.languages.map(languageRecord),
    };
  }

  function serviceRecord(details: ServiceDetails) {
    const { service } = details;
    return {
      ...withoutEmpty({
        id: service.id,
        name: service.name,
        alternate_name: service.alternate_name,
        summary: service.summary,
        description: service.description,
        status: service.status,
        url: service.url,
        email: service.email,
        eligibility_description: service.eligibility_description,
        minimum_age: service.minimum_age,
        maximum_age: service.maximum_age,
        free_of_charge: service.free_of_charge,
        fees_description: service.fees_description,
        application_process: service.application_process,
        wait_time: service.wait_time,
        interpretation_services: service.interpretation_services,
        accreditations: service.accreditations,
        alert: service.alert,
        last_reviewed_at: service.last_reviewed_at,
      }),
      organization: { id: details.organization.id, name: details.organization.name },
      access_routes: service.access_routes,
      delivery_modes: service.delivery_modes,
      updated_at: new Date(service.updated_at).toISOString(),
      categories: details.terms.filter((term) => term.taxonomy_id === categoriesId).map(termRef),
      client_groups: details.terms.filter((term) => term.taxonomy_id === clientGroupsId).map(termRef),
      service_areas: details.serviceAreas.map((area) =>
        withoutEmpty({ id: area.id, area_type: area.area_type, name: area.name, area_name: area.area_name }),
      ),
      locations: details.locations.map(locationRecord),
      phones: details.phones.map(phoneRecord),
      schedules: details.schedules.map(scheduleRecord),
      cost_options: details.costOptions.map((cost) =>
        withoutEmpty({
          id: cost.id,
          option: cost.option,
          amount: cost.amount,
          currency: cost.currency,
          amount_description: cost.amount_description,
          valid_from: cost.valid_from,
          valid_to: cost.valid_to,
        }),
      ),
      languages: details.languages.map(languageRecord),
      contacts: details.contacts.map((contact) =>
        withoutEmpty({ id: contact.id, name: contact.name, title: contact.title, department: contact.department, email: contact.email }),
      ),
      urls: details.urls.map((url) => withoutEmpty({ id: url.id, label: url.label, url: url.url })),
    };
  }

  function organizationRecord(organization: Organization) {
    return {
      ...withoutEmpty({
        id: organization.id,
        name: organization.name,
        alternate_name: organization.alternate_name,
        description: organization.description,
        email: organization.email,
        website: organization.website,
        charity_number: organization.charity_number,
        legal_status: organization.legal_status,
        year_incorporated: organization.year_incorporated,
        parent_organization_id: organization.parent_organization_id,
      }),
      updated_at: new Date(organization.updated_at).toISOString(),
    };
  }

  return {
    async listOrganizations(request: PageRequest) {
      const { total, rows } = await repository.listOrganizations(toLimitOffset(request));
      return envelope(request, total, rows.map(organizationRecord));
    },

    async getOrganization(id: string) {
      const organization = await repository.findOrganization(id);
      if (!organization) throw new NotFoundError('organisation', id);
      const [services, locations, contacts] = await Promise.all([
        repository.servicesOfOrganization(id),
        repository.locationsOfOrganization(id),
        repository.organizationContacts(id),
      ]);
      return {
        ...organizationRecord(organization),
        phones: contacts.phones.map(phoneRecord),
        urls: contacts.urls.map((url) => withoutEmpty({ id: url.id, label: url.label, url: url.url })),
        services: services.map((service) => ({ id: service.id, name: service.name, status: service.status })),
        locations: locations.map((location: Location) => withoutEmpty({ id: location.id, name: location.name })),
      };
    },

    async listServices(request: PageRequest) {
      const { total, rows } = await repository.listServices(toLimitOffset(request));
      const details = await repository.serviceDetails(rows.map((row) => row.id));
      return envelope(request, total, details.map(serviceRecord));
    },

    async getService(id: string) {
      const [details] = await repository.serviceDetails([id]);
      if (!details) throw new NotFoundError('service', id);
      return serviceRecord(details);
    },

    /** Full details of many services in the given order, for search results and other capabilities. */
    async getServiceDetails(ids: string[]) {
      return repository.serviceDetails(ids);
    },

    serviceRecord,

    async listLocations(request: PageRequest) {
      const { total, rows } = await repository.listLocations(toLimitOffset(request));
      const details = await repository.locationDetails(rows.map((row) => row.id));
      return envelope(request, total, details.map(locationRecord));
    },

    async getLocation(id: string) {
      const [details] = await repository.locationDetails([id]);
      if (!details) throw new NotFoundError('location', id);
      const services = await repository.findLocationServices(id);
      return { ...locationRecord(details), services };
    },

    async listTaxonomyTerms(request: PageRequest & { taxonomy?: TaxonomyKey; parent_id?: string }) {
      const { total, rows } = await repository.listTaxonomyTerms(toLimitOffset(request), {
        ...(request.taxonomy ? { taxonomyId: taxonomyId(request.taxonomy) } : {}),
        ...(request.parent_id ? { parentId: request.parent_id } : {}),
      });
      return envelope(request, total, rows.map(taxonomyTermRecord));
    },

    async getTaxonomyTerm(id: string) {
      const term = await repository.findTaxonomyTerm(id);
      if (!term) throw new NotFoundError('taxonomy term', id);
      return taxonomyTermRecord(term);
    },

    /** Every record with a public page and when it last changed, for the sitemap. */
    async publishedRecords() {
      const records = await repository.publishedRecords();
      const entry = (row: { id: string; updated_at: Date | string }) => ({ id: row.id, updatedAt: new Date(row.updated_at).toISOString() });
      return {
        organizations: records.organizations.map(entry),
        services: records.services.map(entry),
        locations: records.locations.map(entry),
      };
    },
  };
}

function taxonomyTermRecord(term: TermWithTaxonomy) {
  return withoutEmpty({
    id: term.id,
    code: term.code,
    name: term.name,
    description: term.description,
    taxonomy: { id: term.taxonomy_id, name: term.taxonomy_name },
    parent_id: term.parent_id,
    language: term.language,
  });
}

function phoneRecord(phone: { id: string; number: string; extension: string | null; type: string | null; description: string | null }) {
  return withoutEmpty({ id: phone.id, number: phone.number, extension: phone.extension, type: phone.type, description: phone.description });
}

function languageRecord(language: { id: string; name: string | null; code: string | null; note: string | null }) {
  return withoutEmpty({ id: language.id, name: language.name, code: language.code, note: language.note });
}

function scheduleRecord(schedule: ServiceDetails['schedules'][number]) {
  return withoutEmpty({
    id: schedule.id,
    freq: schedule.freq,
    interval: schedule.interval,
    byday: schedule.byday,
    bymonthday: schedule.bymonthday,
    opens_at: schedule.opens_at,
    closes_at: schedule.closes_at,
    valid_from: schedule.valid_from,
    valid_to: schedule.valid_to,
    dtstart: schedule.dtstart,
    until: schedule.until,
    description: schedule.description,
    notes: schedule.notes,
    attending_type: schedule.attending_type,
  });
}

export type DirectoryService = ReturnType<typeof createDirectoryService>;

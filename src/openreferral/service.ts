import { BadParameterError, NotFoundError } from '../platform/http/errors.ts';
import { stableUuid, UUID_PATTERN } from '../platform/ids.ts';
import type { Location, Organization, Service } from '../platform/db/schema.ts';
import { taxonomyId as directoryTaxonomyId } from '../directory/taxonomy.ts';
import { ACCESS_TAXONOMY, ACCESS_TERMS, accessAttributeId, accessTermsOf, type AccessTerm } from './access-taxonomy.ts';
import type {
  Address,
  AttributeWithTerm,
  Contact,
  CostOption,
  Language,
  LocationGraph,
  NearFilter,
  OpenReferralRepository,
  Phone,
  Schedule,
  ServiceArea,
  ServiceAtLocation,
  ServiceFilters,
  ServiceGraph,
  Taxonomy,
  TaxonomyTerm,
} from './repository.ts';
import type { PlaceResolver } from './places.ts';
import { HSDS_VERSION, PROFILE_URL } from './spec.ts';

// Maps Frontdoor's records to Open Referral UK 3.0 objects. Conformance rules, applied everywhere:
// optional fields without a value are left out (never null, never ""), ids are the records' UUIDs,
// and fields HSDS 3.0 has but the UK profile lacks are emitted under their HSDS names. Properties
// that are ours alone start with "frontdoor_".

export const DEFAULT_PER_PAGE = 50;
export const MAX_PER_PAGE = 100;

type Json = Record<string, unknown>;

/** Leaves out null, undefined, "" and [] so that optional fields without a value are omitted. */
function compact(record: Json): Json {
  const result: Json = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === null || value === undefined || value === '') continue;
    if (Array.isArray(value) && value.length === 0) continue;
    result[key] = value;
  }
  return result;
}

// The same expression as ajv-formats' "email" format, so that we never publish what a validator rejects.
const EMAIL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

/** A valid email address, or nothing: a typo in the directory must not make the whole record invalid. */
export function emailOrNothing(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed && EMAIL.test(trimmed) ? trimmed : undefined;
}

/** An absolute http(s) URI (a bare "www.example.org" gains https://), or nothing. */
export function uriOrNothing(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed || /\s/.test(trimmed)) return undefined;
  const candidate = /^www\./i.test(trimmed) ? `https://${trimmed}` : trimmed;
  try {
    const url = new URL(candidate);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (!url.hostname.includes('.')) return undefined;
    return url.href;
  } catch {
    return undefined;
  }
}

const isoDateTime = (value: Date | string) => new Date(value).toISOString();

const isUuid = (value: string) => new RegExp(UUID_PATTERN).test(value);

const DAY_CODES: Record<string, string> = {
  MO: 'MO', MON: 'MO', MONDAY: 'MO',
  TU: 'TU', TUE: 'TU', TUESDAY: 'TU',
  WE: 'WE', WED: 'WE', WEDNESDAY: 'WE',
  TH: 'TH', THU: 'TH', THURSDAY: 'TH',
  FR: 'FR', FRI: 'FR', FRIDAY: 'FR',
  SA: 'SA', SAT: 'SA', SATURDAY: 'SA',
  SU: 'SU', SUN: 'SU', SUNDAY: 'SU',
};

function normaliseTime(value: string): string {
  return value.length === 5 ? `${value}:00` : value;
}

function parseModifiedAfter(value: string): string {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const dateTime = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$/.test(value);
  const parsed = new Date(dateOnly ? `${value}T00:00:00Z` : value);
  if ((!dateOnly && !dateTime) || Number.isNaN(parsed.getTime())) {
    throw new BadParameterError('modified_after', 'The query parameter "modified_after" must be a date-time such as 2026-01-31T09:00:00Z, or a date such as 2026-01-31.');
  }
  return parsed.toISOString();
}

export interface PageQuery {
  page?: number;
  per_page?: number;
}

export interface ServiceListQuery extends PageQuery {
  search?: string;
  taxonomy_term_id?: string;
  taxonomy_id?: string;
  minimum_age?: number;
  maximum_age?: number;
  day?: string;
  start_time?: string;
  end_time?: string;
  organization_id?: string;
  modified_after?: string;
  full?: boolean;
}

export interface ServiceAtLocationListQuery extends ServiceListQuery {
  postcode?: string;
  proximity?: number;
}

export interface TaxonomyTermListQuery extends PageQuery {
  taxonomy_id?: string;
  parent_id?: string;
  top_only?: boolean;
}

export interface Envelope<T> {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  first_page: boolean;
  last_page: boolean;
  empty: boolean;
  contents: T[];
}

function pageWindow(query: PageQuery) {
  const page = query.page ?? 1;
  const perPage = Math.min(query.per_page ?? DEFAULT_PER_PAGE, MAX_PER_PAGE);
  return { page, perPage, limit: perPage, offset: (page - 1) * perPage };
}

/** The profile's paging envelope. */
export function envelope<T>(page: number, perPage: number, total: number, contents: T[]): Envelope<T> {
  const totalPages = Math.ceil(total / perPage);
  return {
    total_items: total,
    total_pages: totalPages,
    page_number: page,
    size: contents.length,
    first_page: page === 1,
    last_page: page >= totalPages,
    empty: contents.length === 0,
    contents,
  };
}

function words(search: string | undefined): string[] {
  return (search ?? '').split(/\s+/).map((word) => word.trim()).filter(Boolean).slice(0, 10);
}

/** A page of records for an export, and the key of the next page (null when there is none). */
export interface ExportPage {
  records: Json[];
  next: string | null;
}

export interface OpenReferralDeps {
  repository: OpenReferralRepository;
  places: PlaceResolver;
}

export function createOpenReferralService(deps: OpenReferralDeps) {
  const { repository, places } = deps;
  const accessibilityTaxonomyId = directoryTaxonomyId('accessibility');

  // ---- Mapping: one function per HSDS object --------------------------------------------------

  function taxonomyTermRecord(term: TaxonomyTerm & { taxonomy_name: string }): Json {
    return compact({
      id: term.id,
      code: term.code,
      name: term.name,
      description: term.description || undefined,
      parent_id: term.parent_id,
      taxonomy: term.taxonomy_name,
      taxonomy_id: term.taxonomy_id,
      language: term.language,
      term_uri: uriOrNothing(term.term_uri),
      // The UK profile's "term" is the term itself, as in its examples.
      term: term.name,
    });
  }

  function withRequiredDescription(record: Json, description: string): Json {
    // description is required on taxonomy_term, taxonomy and organization: an empty string, not absent.
    return { ...record, description };
  }

  function termRecord(term: TaxonomyTerm & { taxonomy_name: string }): Json {
    return withRequiredDescription(taxonomyTermRecord(term), term.description);
  }

  function accessTermRecord(term: AccessTerm): Json {
    return withRequiredDescription(
      compact({
        id: term.id,
        code: term.code,
        name: term.name,
        parent_id: term.parentId,
        taxonomy: ACCESS_TAXONOMY.name,
        taxonomy_id: ACCESS_TAXONOMY.id,
        language: 'en',
        term: term.name,
      }),
      term.description,
    );
  }

  function attributeRecord(attribute: AttributeWithTerm, linkEntity: 'service' | 'location' | 'organization', linkId: string): Json {
    return compact({
      id: attribute.id,
      link_id: linkId,
      link_type: attribute.link_type,
      link_entity: linkEntity,
      taxonomy_term_id: attribute.taxonomy_term_id,
      value: attribute.value,
      taxonomy_term: termRecord(attribute.term),
    });
  }

  function accessAttributeRecords(service: Service): Json[] {
    return accessTermsOf(service).map((term) =>
      compact({
        id: accessAttributeId(service.id, term),
        link_id: service.id,
        link_type: term.linkType,
        link_entity: 'service',
        taxonomy_term_id: term.id,
        taxonomy_term: accessTermRecord(term),
      }),
    );
  }

  function languageRecord(language: Language): Json {
    return compact({
      id: language.id,
      service_id: language.service_id,
      location_id: language.location_id,
      phone_id: language.phone_id,
      name: language.name,
      code: language.code,
      note: language.note,
    });
  }

  function phoneRecord(phone: Phone, languagesByPhone: Map<string, Language[]>): Json {
    // HSDS 3.0 types extension as a number; a text extension ("ask for Morag") goes into the description.
    const numericExtension = phone.extension && /^\d{1,15}$/.test(phone.extension.trim()) ? Number(phone.extension.trim()) : undefined;
    const textExtension = phone.extension && numericExtension === undefined ? phone.extension.trim() : undefined;
    const description = [phone.description, textExtension ? `Extension: ${textExtension}` : undefined].filter(Boolean).join('. ');
    return compact({
      id: phone.id,
      service_id: phone.service_id,
      location_id: phone.location_id,
      organization_id: phone.organization_id,
      contact_id: phone.contact_id,
      service_at_location_id: phone.service_at_location_id,
      number: phone.number,
      extension: numericExtension,
      type: phone.type,
      description,
      languages: (languagesByPhone.get(phone.id) ?? []).map(languageRecord),
    });
  }

  function contactRecord(contact: Contact, phonesByContact: Map<string, Phone[]>, languagesByPhone: Map<string, Language[]>): Json {
    return compact({
      id: contact.id,
      organization_id: contact.organization_id,
      service_id: contact.service_id,
      service_at_location_id: contact.service_at_location_id,
      location_id: contact.location_id,
      name: contact.name,
      title: contact.title,
      department: contact.department,
      email: emailOrNothing(contact.email),
      phones: (phonesByContact.get(contact.id) ?? []).map((phone) => phoneRecord(phone, languagesByPhone)),
    });
  }

  function scheduleRecord(schedule: Schedule): Json {
    return compact({
      id: schedule.id,
      service_id: schedule.service_id,
      location_id: schedule.location_id,
      service_at_location_id: schedule.service_at_location_id,
      valid_from: schedule.valid_from,
      valid_to: schedule.valid_to,
      dtstart: schedule.dtstart,
      timezone: schedule.timezone,
      until: schedule.until,
      count: schedule.count,
      wkst: schedule.wkst,
      freq: schedule.freq,
      interval: schedule.interval,
      byday: schedule.byday,
      byweekno: schedule.byweekno,
      bymonthday: schedule.bymonthday,
      byyearday: schedule.byyearday,
      description: schedule.description,
      opens_at: schedule.opens_at,
      closes_at: schedule.closes_at,
      schedule_link: uriOrNothing(schedule.schedule_link),
      attending_type: schedule.attending_type,
      notes: schedule.notes,
    });
  }

  function serviceAreaRecord(area: ServiceArea): Json {
    return compact({
      id: area.id,
      service_id: area.service_id,
      name: area.name,
      description: area.description,
      extent: area.extent,
      extent_type: area.extent_type,
      uri: area.uri,
      // The UK profile's free-text "service_area".
      service_area: area.area_name ?? area.name,
      frontdoor_area_type: area.area_type,
    });
  }

  function costOptionRecord(cost: CostOption): Json {
    return compact({
      id: cost.id,
      service_id: cost.service_id,
      valid_from: cost.valid_from,
      valid_to: cost.valid_to,
      option: cost.option,
      currency: cost.currency,
      amount: cost.amount === null ? undefined : Number(cost.amount),
      amount_description: cost.amount_description,
    });
  }

  function addressRecord(address: Address): Json {
    return {
      ...compact({
        id: address.id,
        location_id: address.location_id,
        attention: address.attention,
        address_1: address.address_1,
        address_2: address.address_2,
        city: address.city,
        region: address.region,
        postal_code: address.postal_code,
        country: address.country,
        address_type: address.address_type,
      }),
      // Required by the profile even where it has no value in Scotland.
      state_province: address.state_province,
    };
  }

  function organizationIdentifiers(organization: Organization): Json[] {
    if (!organization.charity_number) return [];
    return [
      {
        id: stableUuid('frontdoor:openreferral:organization_identifier', `${organization.id}:charity`),
        organization_id: organization.id,
        identifier_scheme: 'GB-SC',
        identifier_type: 'Scottish Charity Number',
        identifier: organization.charity_number,
      },
    ];
  }

  function organizationSummary(organization: Organization): Json {
    return withRequiredDescription(
      compact({
        id: organization.id,
        name: organization.name,
        alternate_name: organization.alternate_name,
        email: emailOrNothing(organization.email),
        website: uriOrNothing(organization.website),
        tax_status: organization.tax_status,
        tax_id: organization.tax_id,
        year_incorporated: organization.year_incorporated,
        legal_status: organization.legal_status,
        logo: uriOrNothing(organization.logo),
        uri: uriOrNothing(organization.uri),
        parent_organization_id: organization.parent_organization_id,
      }),
      organization.description,
    );
  }

  function serviceSummary(service: Service): Json {
    return compact({
      id: service.id,
      organization_id: service.organization_id,
      name: service.name,
      alternate_name: service.alternate_name,
      description: service.description,
      url: uriOrNothing(service.url),
      email: emailOrNothing(service.email),
      status: service.status,
      interpretation_services: service.interpretation_services,
      application_process: service.application_process,
      fees_description: service.fees_description,
      // The UK profile still uses HSDS's deprecated "fees"; we fill both.
      fees: service.fees_description,
      wait_time: service.wait_time,
      accreditations: service.accreditations,
      eligibility_description: service.eligibility_description,
      minimum_age: service.minimum_age,
      maximum_age: service.maximum_age,
      assured_date: service.last_reviewed_at,
      alert: service.alert,
      last_modified: isoDateTime(service.updated_at),
      frontdoor_summary: service.summary,
    });
  }

  function locationSummary(location: Location): Json {
    return compact({
      id: location.id,
      location_type: location.location_type,
      url: uriOrNothing(location.url),
      organization_id: location.organization_id,
      name: location.name,
      alternate_name: location.alternate_name,
      description: location.description,
      transportation: location.transportation,
      latitude: location.latitude,
      longitude: location.longitude,
      external_identifier: location.external_identifier,
      external_identifier_type: location.external_identifier_type,
      frontdoor_council_area: location.council_area_code,
    });
  }

  function locationRecord(graph: LocationGraph): Json {
    const { location } = graph;
    const accessibility = graph.attributes.filter((attribute) => attribute.term.taxonomy_id === accessibilityTaxonomyId);
    return {
      ...locationSummary(location),
      ...compact({
        addresses: graph.addresses.map(addressRecord),
        accessibility: accessibility.map((attribute) =>
          compact({
            id: stableUuid('frontdoor:openreferral:accessibility', attribute.id),
            location_id: location.id,
            description: attribute.term.name,
            details: attribute.term.description,
            accessibility: attribute.term.name,
          }),
        ),
        attributes: graph.attributes.map((attribute) => attributeRecord(attribute, 'location', location.id)),
        phones: graph.phones.filter((phone) => phone.location_id === location.id).map((phone) => phoneRecord(phone, graph.languagesByPhone)),
        schedules: graph.schedules.map(scheduleRecord),
        contacts: graph.contacts.map((contact) => contactRecord(contact, graph.phonesByContact, graph.languagesByPhone)),
        languages: graph.languages.filter((language) => language.location_id === location.id).map(languageRecord),
      }),
    };
  }

  function fullOrganizationInService(graph: ServiceGraph, organization: Organization): Json {
    return organizationInService(organization, graph.organizationAttributes.get(organization.id) ?? []);
  }

  function organizationInService(organization: Organization, attributes: AttributeWithTerm[]): Json {
    return {
      ...organizationSummary(organization),
      ...compact({
        organization_identifiers: organizationIdentifiers(organization),
        attributes: attributes.map((attribute) => attributeRecord(attribute, 'organization', organization.id)),
      }),
    };
  }

  function serviceAtLocationInService(graph: ServiceGraph, link: ServiceAtLocation): Json {
    const location = graph.locations.get(link.location_id);
    const languagesByPhone = graph.languages.byPhone;
    return compact({
      id: link.id,
      service_id: link.service_id,
      location_id: link.location_id,
      description: link.description,
      location: location ? locationRecord(location) : undefined,
      schedules: (graph.schedules.byLink.get(link.id) ?? []).map(scheduleRecord),
      phones: (graph.phones.byLink.get(link.id) ?? []).map((phone) => phoneRecord(phone, languagesByPhone)),
      contacts: (graph.contacts.byLink.get(link.id) ?? []).map((contact) => contactRecord(contact, graph.phones.byContact, languagesByPhone)),
    });
  }

  function fullServiceRecord(graph: ServiceGraph, service: Service): Json {
    const organization = graph.organizations.get(service.organization_id)!;
    const languagesByPhone = graph.languages.byPhone;
    return {
      ...serviceSummary(service),
      organization: fullOrganizationInService(graph, organization),
      ...compact({
        phones: (graph.phones.byService.get(service.id) ?? []).map((phone) => phoneRecord(phone, languagesByPhone)),
        schedules: (graph.schedules.byService.get(service.id) ?? []).map(scheduleRecord),
        service_areas: (graph.serviceAreas.get(service.id) ?? []).map(serviceAreaRecord),
        service_at_locations: (graph.links.get(service.id) ?? []).map((link) => serviceAtLocationInService(graph, link)),
        languages: (graph.languages.byService.get(service.id) ?? []).map(languageRecord),
        cost_options: (graph.costOptions.get(service.id) ?? []).map(costOptionRecord),
        contacts: (graph.contacts.byService.get(service.id) ?? []).map((contact) => contactRecord(contact, graph.phones.byContact, languagesByPhone)),
        attributes: [
          ...(graph.serviceAttributes.get(service.id) ?? []).map((attribute) => attributeRecord(attribute, 'service', service.id)),
          ...accessAttributeRecords(service),
        ],
      }),
    };
  }

  async function fullServices(ids: string[]): Promise<Json[]> {
    const graph = await repository.serviceGraph(ids);
    return graph.services.map((service) => fullServiceRecord(graph, service));
  }

  async function fullServiceAtLocations(links: ServiceAtLocation[]): Promise<Json[]> {
    const graph = await repository.serviceGraph([...new Set(links.map((link) => link.service_id))]);
    const services = new Map(graph.services.map((service) => [service.id, service]));
    return links.flatMap((link) => {
      const service = services.get(link.service_id);
      if (!service) return [];
      const record = serviceAtLocationInService(graph, link);
      return [{ ...record, service: fullServiceRecord(graph, service) }];
    });
  }

  // ---- Query parameters ------------------------------------------------------------------------

  function serviceFilters(query: ServiceListQuery): ServiceFilters {
    const filters: ServiceFilters = {};
    const searchWords = words(query.search);
    if (searchWords.length > 0) filters.words = searchWords;
    if (query.taxonomy_term_id) filters.taxonomyTermId = query.taxonomy_term_id.toLowerCase();
    if (query.taxonomy_id) filters.taxonomyId = query.taxonomy_id.toLowerCase();
    if (query.minimum_age !== undefined) filters.minimumAge = query.minimum_age;
    if (query.maximum_age !== undefined) filters.maximumAge = query.maximum_age;
    if (query.organization_id) filters.organizationId = query.organization_id.toLowerCase();
    if (query.modified_after) filters.modifiedAfter = parseModifiedAfter(query.modified_after);
    if (query.day || query.start_time || query.end_time) {
      const schedule: NonNullable<ServiceFilters['schedule']> = {};
      if (query.day) {
        const code = DAY_CODES[query.day.trim().toUpperCase()];
        if (!code) {
          throw new BadParameterError('day', 'The query parameter "day" must be a day such as MO, TU, WE, TH, FR, SA or SU.', {
            allowed: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'],
          });
        }
        schedule.day = code;
      }
      if (query.start_time) schedule.opensAtOrAfter = normaliseTime(query.start_time);
      if (query.end_time) schedule.closesAtOrBefore = normaliseTime(query.end_time);
      filters.schedule = schedule;
    }
    return filters;
  }

  async function nearFilter(query: ServiceAtLocationListQuery): Promise<NearFilter | undefined> {
    if (query.proximity !== undefined && !query.postcode) {
      throw new BadParameterError('proximity', 'The query parameter "proximity" needs a postcode to measure from.');
    }
    if (!query.postcode?.trim()) return undefined;
    const resolved = await places.resolve(query.postcode);
    if (!resolved.ok) {
      throw new BadParameterError('postcode', resolved.error.message, { suggestions: resolved.error.suggestions ?? [] });
    }
    const { place } = resolved;
    return {
      latitude: place.latitude,
      longitude: place.longitude,
      ...(query.proximity !== undefined ? { metres: query.proximity } : {}),
      ...(place.councilArea ? { councilAreaCode: place.councilArea.code } : {}),
    };
  }

  function requireUuid(what: string, id: string): string {
    // Every id we publish is a UUID: anything else is an unknown id, not a malformed request.
    if (!isUuid(id)) throw new NotFoundError(what, id);
    return id.toLowerCase();
  }

  // ---- Endpoints -------------------------------------------------------------------------------

  return {
    about(baseUrl: string) {
      return { version: HSDS_VERSION, profile: PROFILE_URL, openapi_url: `${baseUrl}/openapi.json` };
    },

    async listServices(query: ServiceListQuery): Promise<Envelope<Json>> {
      const { page, perPage, limit, offset } = pageWindow(query);
      const { total, ids } = await repository.servicePage(serviceFilters(query), { limit, offset });
      let contents: Json[];
      if (query.full) {
        contents = await fullServices(ids);
      } else {
        const summaries = await repository.serviceSummaries(ids);
        contents = summaries.map(({ service, organization }) => ({ ...serviceSummary(service), organization: organizationSummary(organization) }));
      }
      return envelope(page, perPage, total, contents);
    },

    async getService(id: string): Promise<Json> {
      const [record] = await fullServices([requireUuid('service', id)]);
      if (!record) throw new NotFoundError('service', id);
      return record;
    },

    async listServiceAtLocations(query: ServiceAtLocationListQuery): Promise<Envelope<Json>> {
      const { page, perPage, limit, offset } = pageWindow(query);
      const filters = serviceFilters(query);
      const near = await nearFilter(query);
      const { total, rows } = await repository.serviceAtLocationPage(filters, near, { limit, offset });
      let contents: Json[];
      if (query.full) {
        contents = await fullServiceAtLocations(await repository.serviceAtLocations(rows.map((row) => row.id)));
      } else {
        const summaries = await repository.serviceAtLocationSummaries(rows.map((row) => row.id));
        contents = summaries.map(({ link, location, service, organization }) =>
          compact({
            id: link.id,
            service_id: link.service_id,
            location_id: link.location_id,
            description: link.description,
            location: locationSummary(location),
            service: { ...serviceSummary(service), organization: organizationSummary(organization) },
          }),
        );
      }
      return envelope(page, perPage, total, contents);
    },

    async getServiceAtLocation(id: string): Promise<Json> {
      const links = await repository.serviceAtLocations([requireUuid('service_at_location', id)]);
      const [record] = await fullServiceAtLocations(links);
      if (!record) throw new NotFoundError('service_at_location', id);
      return record;
    },

    async listOrganizations(query: PageQuery & { search?: string }): Promise<Envelope<Json>> {
      const { page, perPage, limit, offset } = pageWindow(query);
      const { total, rows } = await repository.organizationPage(words(query.search), { limit, offset });
      return envelope(page, perPage, total, rows.map(organizationSummary));
    },

    async getOrganization(id: string, options: { fullService?: boolean } = {}): Promise<Json> {
      const found = await repository.organizationGraph(requireUuid('organization', id));
      if (!found) throw new NotFoundError('organization', id);
      const { organization } = found;
      const services = options.fullService
        ? await fullServices(found.services.map((service) => service.id))
        : found.services.map(serviceSummary);
      const languagesByPhone = new Map<string, Language[]>();
      return {
        ...organizationSummary(organization),
        ...compact({
          organization_identifiers: organizationIdentifiers(organization),
          attributes: found.attributes.map((attribute) => attributeRecord(attribute, 'organization', organization.id)),
          services,
          phones: found.phones.map((phone) => phoneRecord(phone, languagesByPhone)),
          contacts: found.contacts.map((contact) => contactRecord(contact, found.contactPhones, languagesByPhone)),
          locations: found.locations.map(locationSummary),
        }),
      };
    },

    // ---- Export (src/openreferral/tabular): the same records, paged by key ---------------------

    exportCounts: () => repository.publishedCounts(),

    /**
     * Whole services after `after` in id order, exactly as GET /services/{id} gives each, and the key
     * to ask for the next page with (null after the last page).
     */
    async exportServices(after: string | null, limit: number): Promise<ExportPage> {
      const ids = await repository.publishedServiceIdsAfter(after, limit);
      return { records: await fullServices(ids), next: ids.length < limit ? null : ids[ids.length - 1]! };
    },

    /** The organisations services nest (with identifiers and attributes), after `after` in id order (a page may be short, even empty). */
    async exportOrganizations(after: string | null, limit: number): Promise<ExportPage> {
      const { organizations, attributes, scanned } = await repository.publishedOrganizationsAfter(after, limit);
      return { records: organizations.map((organization) => organizationInService(organization, attributes.get(organization.id) ?? [])), next: scanned };
    },

    /** The locations services at locations nest, after `after` in id order. */
    async exportLocations(after: string | null, limit: number): Promise<ExportPage> {
      const { graphs, scanned } = await repository.publishedLocationsAfter(after, limit);
      return { records: graphs.map(locationRecord), next: scanned };
    },

    /** Every taxonomy and term, ours and the derived access taxonomy, in id order. */
    async exportTaxonomies(): Promise<{ taxonomies: Json[]; terms: Json[] }> {
      const taxonomies = [...(await repository.taxonomies()).map(taxonomyRecord), accessTaxonomyRecord()].sort(byId);
      const terms = [...(await repository.taxonomyTerms()).map(termRecord), ...ACCESS_TERMS.map(accessTermRecord)].sort(byId);
      return { taxonomies, terms };
    },

    async listTaxonomies(query: PageQuery): Promise<Envelope<Json>> {
      const { page, perPage, offset } = pageWindow(query);
      const all = [...(await repository.taxonomies()).map(taxonomyRecord), accessTaxonomyRecord()].sort(byId);
      return envelope(page, perPage, all.length, all.slice(offset, offset + perPage));
    },

    async getTaxonomy(id: string): Promise<Json> {
      const wanted = requireUuid('taxonomy', id);
      if (wanted === ACCESS_TAXONOMY.id) return { ...accessTaxonomyRecord(), taxonomy_terms: ACCESS_TERMS.map(accessTermRecord) };
      const taxonomy = (await repository.taxonomies()).find((row) => row.id === wanted);
      if (!taxonomy) throw new NotFoundError('taxonomy', id);
      const terms = (await repository.taxonomyTerms()).filter((term) => term.taxonomy_id === wanted);
      return { ...taxonomyRecord(taxonomy), ...compact({ taxonomy_terms: terms.map(termRecord) }) };
    },

    async listTaxonomyTerms(query: TaxonomyTermListQuery): Promise<Envelope<Json>> {
      const { page, perPage, offset } = pageWindow(query);
      const terms = [
        ...(await repository.taxonomyTerms()).map((term) => ({ record: termRecord(term), taxonomyId: term.taxonomy_id, parentId: term.parent_id })),
        ...ACCESS_TERMS.map((term) => ({ record: accessTermRecord(term), taxonomyId: ACCESS_TAXONOMY.id, parentId: term.parentId ?? null })),
      ]
        .filter((term) => !query.taxonomy_id || term.taxonomyId === query.taxonomy_id.toLowerCase())
        .filter((term) => !query.parent_id || term.parentId === query.parent_id.toLowerCase())
        .filter((term) => !query.top_only || term.parentId === null)
        .map((term) => term.record)
        .sort(byId);
      return envelope(page, perPage, terms.length, terms.slice(offset, offset + perPage));
    },

    async getTaxonomyTerm(id: string): Promise<Json> {
      const wanted = requireUuid('taxonomy term', id);
      const derived = ACCESS_TERMS.find((term) => term.id === wanted);
      if (derived) return accessTermRecord(derived);
      const term = (await repository.taxonomyTerms()).find((row) => row.id === wanted);
      if (!term) throw new NotFoundError('taxonomy term', id);
      return termRecord(term);
    },
  };
}

/** The order SQL gives uuids: their lower-case hex text. */
function byId(a: Json, b: Json): number {
  const left = String(a.id);
  const right = String(b.id);
  return left < right ? -1 : left > right ? 1 : 0;
}

function taxonomyRecord(taxonomy: Taxonomy): Json {
  return {
    ...compact({ id: taxonomy.id, name: taxonomy.name, uri: uriOrNothing(taxonomy.uri), version: taxonomy.version }),
    description: taxonomy.description,
  };
}

function accessTaxonomyRecord(): Json {
  return { id: ACCESS_TAXONOMY.id, name: ACCESS_TAXONOMY.name, description: ACCESS_TAXONOMY.description, version: ACCESS_TAXONOMY.version };
}

export type OpenReferralService = ReturnType<typeof createOpenReferralService>;

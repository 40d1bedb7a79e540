import { createHash } from 'node:crypto';
import type { Insertable } from 'kysely';
import type {
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
  ServiceTable,
} from '../platform/db/schema.ts';
import { ACCESS_ROUTES, DELIVERY_MODES, SERVICE_STATUSES } from '../platform/db/schema.ts';
import { stableUuid, UUID_PATTERN } from '../platform/ids.ts';
import type { AccessTerm } from '../openreferral/access-taxonomy.ts';

// The inverse of src/openreferral/service.ts: an ORUK 3.0 service_full object (from another
// directory, or from our own feed) becomes rows of our tables. For everything our own feed emits the
// mapping is lossless: import it into an empty database, emit it again, and the JSON is the same.
// That fixes the small rules below (the feed's `fees` is `fees_description`, `assured_date` is
// `last_reviewed_at`, `last_modified` is `updated_at`, a service area's `service_area` is its
// `area_name`, `frontdoor_*` properties are ours, the access-and-delivery attributes are the
// service's access_routes/delivery_modes/free_of_charge columns, `accessibility` is derived from
// location attributes and so is not read back).
//
// This module is pure: ids of the top-level records and taxonomy terms are decided by the caller
// (they need the database), so the mapping itself is easy to test and cheap to run in a batch.

export type HsdsService = Record<string, unknown>;
type Json = Record<string, unknown>;

export type OrganizationRow = Insertable<OrganizationTable> & { id: string };
export type ServiceRow = Insertable<ServiceTable> & { id: string };
export type LocationRow = Insertable<LocationTable> & { id: string };

export interface ServiceChildren {
  service_at_location: Array<Insertable<ServiceAtLocationTable> & { id: string }>;
  contact: Array<Insertable<ContactTable> & { id: string }>;
  phone: Array<Insertable<PhoneTable> & { id: string }>;
  language: Array<Insertable<LanguageTable> & { id: string }>;
  schedule: Array<Insertable<ScheduleTable> & { id: string }>;
  service_area: Array<Insertable<ServiceAreaTable> & { id: string }>;
  cost_option: Array<Insertable<CostOptionTable> & { id: string }>;
  attribute: Array<Insertable<AttributeTable> & { id: string }>;
}
export interface LocationChildren {
  address: Array<Insertable<AddressTable> & { id: string }>;
  contact: Array<Insertable<ContactTable> & { id: string }>;
  phone: Array<Insertable<PhoneTable> & { id: string }>;
  language: Array<Insertable<LanguageTable> & { id: string }>;
  schedule: Array<Insertable<ScheduleTable> & { id: string }>;
  attribute: Array<Insertable<AttributeTable> & { id: string }>;
}

export interface MappedOrganization {
  sourceId: string;
  hash: string;
  row: OrganizationRow;
  attributes: Array<Insertable<AttributeTable> & { id: string }>;
}
export interface MappedLocation {
  sourceId: string;
  hash: string;
  row: LocationRow;
  children: LocationChildren;
}
export interface MappedService {
  sourceId: string;
  hash: string;
  /** Absent when the record names no organisation and the source's default organisation owns it. */
  organization?: MappedOrganization;
  row: ServiceRow;
  children: ServiceChildren;
  locations: MappedLocation[];
  warnings: string[];
  unmappedTerms: string[];
}

/** Our id for a top-level record, and whether it is the source's own id (then its children keep theirs too). */
export interface IdDecision {
  id: string;
  kept: boolean;
}

export type TermResolution = { kind: 'ours'; termId: string } | { kind: 'access'; term: AccessTerm } | { kind: 'unmapped'; label: string };

export interface MappingContext {
  /** Names the source in derived ids: stableUuid(sourceKey + ':' + kind + ':' + source id). */
  sourceKey: string;
  ids: (kind: 'service' | 'organization' | 'location', sourceId: string) => IdDecision;
  resolveTerm: (term: Json, termId: string | undefined) => TermResolution;
  /** Is this one of our council area codes? */
  councilArea: (code: string) => boolean;
  /** The kind of area a free-text service area names, when we recognise it. */
  areaType: (name: string) => AreaType | undefined;
  defaultOrganizationId: string | null;
  /** For rows the source gives no timestamp. */
  now: Date;
  /** Mixed into every content hash: a change of mapping or settings makes every record import again. */
  hashSalt: string;
}

export class RejectedRecord extends Error {}

const UUID = new RegExp(UUID_PATTERN);
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/**
 * A hash of a record as the source gave it (with the salt: mapping and settings). The source's own key
 * order is hashed: sorting keys cost more than the rest of the mapping, and a source that reorders its
 * keys costs one rewrite of its records, never a wrong answer.
 */
export function contentHash(salt: string, value: unknown): string {
  return createHash('sha256').update(salt).update('\u0000').update(JSON.stringify(value) ?? 'null').digest('base64url');
}

/** The source's id of a service object, as a string, or undefined. */
export function sourceIdOf(record: unknown): string | undefined {
  if (!record || typeof record !== 'object') return undefined;
  const id = (record as Json).id;
  if (typeof id === 'string' && id.trim()) return id.trim();
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  return undefined;
}

// ---- Small readers: each turns a JSON value into a column value or null --------------------------

const text = (value: unknown): string | null => {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
};
const number = (value: unknown): number | null => {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
};
const integer = (value: unknown): number | null => {
  const n = number(value);
  return n === null ? null : Math.trunc(n) === n ? n : null;
};
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.filter((item): item is Json => Boolean(item) && typeof item === 'object' && !Array.isArray(item)) : []);
const object = (value: unknown): Json | undefined => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined);
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const date = (value: unknown): string | null => {
  const s = text(value);
  if (!s) return null;
  const day = s.slice(0, 10);
  return DATE.test(day) && !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) ? day : null;
};
const TIME = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;
const time = (value: unknown): string | null => {
  const s = text(value);
  return s && TIME.test(s) ? (s.length === 5 ? `${s}:00` : s) : null;
};
const oneOf = <T extends string>(allowed: readonly T[], value: unknown): T | null => {
  const s = text(value);
  return s && (allowed as readonly string[]).includes(s) ? (s as T) : null;
};

const PHONE_TYPES = ['text', 'voice', 'fax', 'cell', 'video', 'pager', 'textphone'] as const;
const LOCATION_TYPES = ['physical', 'postal', 'virtual'] as const;
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
const FREQUENCIES = ['WEEKLY', 'MONTHLY'] as const;

/**
 * Maps one service object to rows. Throws RejectedRecord (with a sentence saying why) when the record
 * cannot be imported at all; smaller problems drop the part concerned and are listed as warnings.
 */
export function mapService(input: HsdsService, context: MappingContext, hash = contentHash(context.hashSalt, input)): MappedService {
  const warnings: string[] = [];
  const unmappedTerms: string[] = [];
  const sourceId = sourceIdOf(input);
  if (!sourceId) throw new RejectedRecord('The service has no id.');
  const name = text(input.name)?.trim();
  if (!name) throw new RejectedRecord('The service has no name.');
  const status = input.status === undefined ? 'active' : oneOf(SERVICE_STATUSES, input.status);
  if (!status) throw new RejectedRecord(`The service's status "${String(input.status)}" is not one of ${SERVICE_STATUSES.join(', ')}.`);
  const minimumAge = input.minimum_age === undefined || input.minimum_age === null ? null : integer(input.minimum_age);
  const maximumAge = input.maximum_age === undefined || input.maximum_age === null ? null : integer(input.maximum_age);
  for (const [label, raw, value] of [['minimum_age', input.minimum_age, minimumAge], ['maximum_age', input.maximum_age, maximumAge]] as const) {
    if (raw !== undefined && raw !== null && (value === null || value < 0 || value > 130)) throw new RejectedRecord(`The service's ${label} "${String(raw)}" is not a whole number of years from 0 to 130.`);
  }
  if (minimumAge !== null && maximumAge !== null && minimumAge > maximumAge) {
    throw new RejectedRecord(`The service's minimum_age (${minimumAge}) is above its maximum_age (${maximumAge}).`);
  }
  let updatedAt = context.now;
  if (input.last_modified !== undefined && input.last_modified !== null) {
    const parsed = new Date(String(input.last_modified));
    if (Number.isNaN(parsed.getTime())) throw new RejectedRecord(`The service's last_modified "${String(input.last_modified)}" is not a date-time.`);
    updatedAt = parsed;
  }

  const serviceDecision = context.ids('service', sourceId);
  const serviceId = serviceDecision.id;
  // Children keep the source's ids when their service does: then our feed gives them back unchanged.
  const childId = (kind: string, child: Json, fallback: string): string => {
    const own = sourceIdOf(child);
    if (own && serviceDecision.kept && isUuid(own)) return own.toLowerCase();
    return stableUuid(`${context.sourceKey}:${kind}`, `${sourceId}:${own ?? fallback}`);
  };

  // ---- organisation ----
  let organization: MappedOrganization | undefined;
  let organizationId: string;
  const orgJson = object(input.organization);
  const orgSourceId = orgJson ? sourceIdOf(orgJson) : text(input.organization_id) ?? undefined;
  if (orgJson && orgSourceId) {
    const orgName = text(orgJson.name)?.trim();
    if (!orgName) throw new RejectedRecord(`The service's organisation ${orgSourceId} has no name.`);
    const decision = context.ids('organization', orgSourceId);
    organizationId = decision.id;
    const year = integer(orgJson.year_incorporated);
    if (orgJson.year_incorporated !== undefined && (year === null || year < 1000 || year > 2100)) warnings.push(`The organisation's year_incorporated "${String(orgJson.year_incorporated)}" was left out.`);
    const charity = list(orgJson.organization_identifiers).find((identifier) => identifier.identifier_type === 'Scottish Charity Number' || identifier.identifier_scheme === 'GB-SC');
    const parentSource = text(orgJson.parent_organization_id);
    const orgRow: OrganizationRow = {
      id: organizationId,
      name: orgName,
      alternate_name: text(orgJson.alternate_name),
      description: text(orgJson.description) ?? '',
      email: text(orgJson.email),
      website: text(orgJson.website),
      tax_status: text(orgJson.tax_status),
      tax_id: text(orgJson.tax_id),
      year_incorporated: year !== null && year >= 1000 && year <= 2100 ? year : null,
      legal_status: text(orgJson.legal_status),
      logo: text(orgJson.logo),
      uri: text(orgJson.uri),
      charity_number: charity ? text(charity.identifier) : null,
      parent_organization_id: parentSource ? context.ids('organization', parentSource).id : null,
    };
    const orgAttributes = mapAttributes(list(orgJson.attributes), 'organization_id', organizationId, (child, index) => (decision.kept && isUuid(sourceIdOf(child)) ? sourceIdOf(child)!.toLowerCase() : stableUuid(`${context.sourceKey}:attribute`, `${orgSourceId}:${sourceIdOf(child) ?? index}`)), context, unmappedTerms, null);
    organization = { sourceId: orgSourceId, hash: contentHash(context.hashSalt, orgJson), row: orgRow, attributes: orgAttributes };
  } else if (orgSourceId) {
    // A bare organization_id: an organisation this source gave us before.
    organizationId = context.ids('organization', orgSourceId).id;
  } else if (context.defaultOrganizationId) {
    organizationId = context.defaultOrganizationId;
  } else {
    throw new RejectedRecord('The service names no organisation and its source has no default organisation.');
  }

  // ---- the service's own taxonomy terms, and the access-and-delivery columns they carry ----
  const accessRoutes = new Set<string>();
  const deliveryModes = new Set<string>();
  let freeOfCharge = false;
  const serviceAttributes = mapAttributes(list(input.attributes), 'service_id', serviceId, (child, index) => childId('attribute', child, `attribute:${index}`), context, unmappedTerms, (term) => {
    const meaning = term.meaning;
    if (meaning.kind === 'access_route' && (ACCESS_ROUTES as readonly string[]).includes(meaning.value)) accessRoutes.add(meaning.value);
    else if (meaning.kind === 'delivery_mode' && (DELIVERY_MODES as readonly string[]).includes(meaning.value)) deliveryModes.add(meaning.value);
    else if (meaning.kind === 'free_of_charge') freeOfCharge = true;
  });

  const row: ServiceRow = {
    id: serviceId,
    organization_id: organizationId,
    name,
    alternate_name: text(input.alternate_name),
    summary: text(input.frontdoor_summary) ?? '',
    description: text(input.description) ?? '',
    url: text(input.url),
    email: text(input.email),
    status,
    interpretation_services: text(input.interpretation_services),
    application_process: text(input.application_process),
    fees_description: text(input.fees_description) ?? text(input.fees),
    free_of_charge: freeOfCharge,
    wait_time: text(input.wait_time),
    accreditations: text(input.accreditations),
    eligibility_description: text(input.eligibility_description),
    minimum_age: minimumAge,
    maximum_age: maximumAge,
    alert: text(input.alert),
    // Keep our own order (the schema's), whatever order the source listed them in.
    access_routes: ACCESS_ROUTES.filter((value) => accessRoutes.has(value)),
    delivery_modes: DELIVERY_MODES.filter((value) => deliveryModes.has(value)),
    last_reviewed_at: date(input.assured_date),
    created_at: context.now,
    updated_at: updatedAt,
  };

  const children: ServiceChildren = {
    service_at_location: [], contact: [], phone: [], language: [], schedule: [], service_area: [], cost_option: [], attribute: serviceAttributes,
  };
  const links: Record<'service_id' | 'location_id' | 'organization_id' | 'contact_id' | 'service_at_location_id', string | null> = { service_id: null, location_id: null, organization_id: null, contact_id: null, service_at_location_id: null };

  // Nested records of the service, or (with the location's id rule) of one of its locations.
  type IdOf = (kind: string, child: Json, fallback: string) => string;
  const addLanguages = (items: Json[], owner: Partial<Record<'service_id' | 'location_id' | 'phone_id', string>>, into: { language: ServiceChildren['language'] }, prefix: string, idOf: IdOf = childId) => {
    items.forEach((language, index) => {
      const stated = statedLinks(language, idOf !== childId);
      delete stated.organization_id;
      delete stated.service_at_location_id;
      into.language.push({ id: idOf('language', language, `${prefix}:language:${index}`), service_id: null, location_id: null, phone_id: null, ...stated, ...owner, name: text(language.name), code: text(language.code), note: text(language.note) });
    });
  };
  const addPhones = (items: Json[], owner: Partial<typeof links>, into: { phone: ServiceChildren['phone']; language: ServiceChildren['language'] }, prefix: string, idOf: IdOf = childId) => {
    items.forEach((phone, index) => {
      const numberText = text(phone.number)?.trim();
      if (!numberText) {
        warnings.push(`A phone (${sourceIdOf(phone) ?? `number ${index + 1}`}) has no number and was left out.`);
        return;
      }
      const id = idOf('phone', phone, `${prefix}:phone:${index}`);
      const type = phone.type === undefined || phone.type === null ? null : oneOf(PHONE_TYPES, phone.type);
      if (phone.type !== undefined && phone.type !== null && !type) warnings.push(`A phone's type "${String(phone.type)}" is not one we know; it was left out.`);
      const extension = phone.extension === undefined || phone.extension === null ? null : String(phone.extension);
      into.phone.push({ id, ...links, ...statedLinks(phone, idOf !== childId), ...owner, number: numberText, extension, type, description: text(phone.description) });
      addLanguages(list(phone.languages), { phone_id: id }, into, `${prefix}:phone:${index}`, idOf);
    });
  };
  const addContacts = (items: Json[], owner: Partial<typeof links>, into: { contact: ServiceChildren['contact']; phone: ServiceChildren['phone']; language: ServiceChildren['language'] }, prefix: string, idOf: IdOf = childId) => {
    items.forEach((contact, index) => {
      const id = idOf('contact', contact, `${prefix}:contact:${index}`);
      into.contact.push({ id, organization_id: null, service_id: null, service_at_location_id: null, location_id: null, ...statedLinks(contact, idOf !== childId), ...owner, name: text(contact.name), title: text(contact.title), department: text(contact.department), email: text(contact.email) });
      addPhones(list(contact.phones), { contact_id: id }, into, `${prefix}:contact:${index}`, idOf);
    });
  };
  // A nested record may name more than the record it is nested in (a schedule of the service and of
  // one of its places; a contact's phone that names the service and the organisation too): our feed
  // then lists it under each. The links it states to this service's own records are kept, and the
  // importer merges the copies into one row, so the feed gives every copy back.
  const salSourceIds = new Map<string, string>();
  const locationSourceIds = new Set<string>();
  list(input.service_at_locations).forEach((link, index) => {
    const own = sourceIdOf(link);
    if (own) salSourceIds.set(own, childId('service_at_location', link, `service_at_location:${index}`));
    const location = sourceIdOf(object(link.location)) ?? text(link.location_id);
    if (location) locationSourceIds.add(location);
  });
  type Link = 'service_id' | 'service_at_location_id' | 'organization_id' | 'location_id';
  const statedLinks = (child: Json, inLocation: boolean): Partial<Record<Link, string>> => {
    const stated: Partial<Record<Link, string>> = {};
    const organization = text(child.organization_id);
    if (organization && organization === orgSourceId) stated.organization_id = organizationId;
    // A location's records are written with the location, not with the service: they keep to it.
    if (inLocation) return stated;
    if (text(child.service_id) === sourceId) stated.service_id = serviceId;
    const sal = text(child.service_at_location_id);
    if (sal && salSourceIds.has(sal)) stated.service_at_location_id = salSourceIds.get(sal)!;
    const location = text(child.location_id);
    if (location && locationSourceIds.has(location)) stated.location_id = context.ids('location', location).id;
    return stated;
  };
  const withoutOrganization = ({ organization_id: _organization, ...rest }: Partial<Record<Link, string>>) => rest;
  const addSchedules = (items: Json[], owner: Partial<Record<'service_id' | 'location_id' | 'service_at_location_id', string>>, into: { schedule: ServiceChildren['schedule'] }, prefix: string, idOf: IdOf = childId) => {
    items.forEach((schedule, index) => {
      const freq = schedule.freq === undefined || schedule.freq === null ? null : oneOf(FREQUENCIES, String(schedule.freq).toUpperCase());
      if (schedule.freq !== undefined && schedule.freq !== null && !freq) warnings.push(`A schedule's freq "${String(schedule.freq)}" is not WEEKLY or MONTHLY; the schedule's rule was left out.`);
      const interval = integer(schedule.interval);
      into.schedule.push({
        id: idOf('schedule', schedule, `${prefix}:schedule:${index}`),
        service_id: null, location_id: null, service_at_location_id: null, ...withoutOrganization(statedLinks(schedule, idOf !== childId)), ...owner,
        valid_from: date(schedule.valid_from), valid_to: date(schedule.valid_to), dtstart: date(schedule.dtstart),
        timezone: integer(schedule.timezone), until: date(schedule.until), count: integer(schedule.count),
        wkst: oneOf(WEEKDAYS, schedule.wkst), freq, interval: interval !== null && interval > 0 ? interval : null,
        byday: text(schedule.byday), byweekno: text(schedule.byweekno), bymonthday: text(schedule.bymonthday), byyearday: text(schedule.byyearday),
        description: text(schedule.description), opens_at: time(schedule.opens_at), closes_at: time(schedule.closes_at),
        schedule_link: text(schedule.schedule_link), attending_type: text(schedule.attending_type), notes: text(schedule.notes),
      });
    });
  };

  addPhones(list(input.phones), { service_id: serviceId }, children, 'service');
  addSchedules(list(input.schedules), { service_id: serviceId }, children, 'service');
  addLanguages(list(input.languages), { service_id: serviceId }, children, 'service');
  addContacts(list(input.contacts), { service_id: serviceId }, children, 'service');

  list(input.service_areas).forEach((area, index) => {
    const areaName = text(area.service_area);
    const areaLabel = text(area.name) ?? areaName;
    if (!areaLabel) {
      warnings.push(`A service area (${sourceIdOf(area) ?? `number ${index + 1}`}) has no name and was left out.`);
      return;
    }
    let areaType = oneOf(['council_area', 'partnership', 'health_board', 'scotland', 'uk'] as const, area.frontdoor_area_type);
    if (!areaType) {
      areaType = context.areaType(areaName ?? areaLabel) ?? 'uk';
      if (!context.areaType(areaName ?? areaLabel)) warnings.push(`The service area "${(areaName ?? areaLabel).slice(0, 80)}" is not a Scottish council area, partnership or health board; it is kept as covering the UK.`);
    }
    children.service_area.push({ id: childId('service_area', area, `service_area:${index}`), service_id: serviceId, name: areaLabel, description: text(area.description), extent: text(area.extent), extent_type: text(area.extent_type), uri: text(area.uri), area_type: areaType, area_name: areaName });
  });

  list(input.cost_options).forEach((cost, index) => {
    const amount = number(cost.amount);
    const currency = text(cost.currency);
    children.cost_option.push({
      id: childId('cost_option', cost, `cost_option:${index}`), service_id: serviceId,
      valid_from: date(cost.valid_from), valid_to: date(cost.valid_to), option: text(cost.option),
      currency: currency && /^[A-Z]{3}$/.test(currency) ? currency : null,
      amount: amount !== null && amount >= 0 ? amount : null, amount_description: text(cost.amount_description),
    });
  });

  // ---- places ----
  const locations: MappedLocation[] = [];
  const seenLocations = new Set<string>();
  list(input.service_at_locations).forEach((link, index) => {
    const locationJson = object(link.location);
    const locationSource = locationJson ? sourceIdOf(locationJson) : text(link.location_id) ?? undefined;
    if (!locationSource) {
      warnings.push(`A service_at_location (${sourceIdOf(link) ?? `number ${index + 1}`}) has no location and was left out.`);
      return;
    }
    const locationDecision = context.ids('location', locationSource);
    if (seenLocations.has(locationDecision.id)) {
      warnings.push(`The location ${locationSource} is listed twice for this service; the second was left out.`);
      return;
    }
    seenLocations.add(locationDecision.id);
    const linkId = childId('service_at_location', link, `service_at_location:${index}`);
    children.service_at_location.push({ id: linkId, service_id: serviceId, location_id: locationDecision.id, description: text(link.description) });
    addSchedules(list(link.schedules), { service_at_location_id: linkId }, children, `sal:${index}`);
    addPhones(list(link.phones), { service_at_location_id: linkId }, children, `sal:${index}`);
    addContacts(list(link.contacts), { service_at_location_id: linkId }, children, `sal:${index}`);
    if (locationJson) locations.push(mapLocation(locationJson, locationSource, locationDecision, organizationId, orgSourceId));
  });

  function mapLocation(json: Json, locationSource: string, decision: IdDecision, ownerId: string, ownerSource: string | undefined): MappedLocation {
    const id = decision.id;
    const own = (kind: string, child: Json, fallback: string): string => {
      const sourceChildId = sourceIdOf(child);
      if (sourceChildId && decision.kept && isUuid(sourceChildId)) return sourceChildId.toLowerCase();
      return stableUuid(`${context.sourceKey}:${kind}`, `location:${locationSource}:${sourceChildId ?? fallback}`);
    };
    let latitude = number(json.latitude);
    let longitude = number(json.longitude);
    if (latitude !== null || longitude !== null) {
      if (latitude === null || longitude === null || latitude < -90 || latitude > 90 || longitude < -180 || longitude > 180) {
        warnings.push(`The location ${locationSource} has coordinates (${String(json.latitude)}, ${String(json.longitude)}) that are not a latitude and longitude; they were left out.`);
        latitude = null;
        longitude = null;
      }
    }
    const councilAreaCode = text(json.frontdoor_council_area);
    const locationOrgSource = text(json.organization_id);
    const locationRow: LocationRow = {
      id,
      organization_id: locationOrgSource === null ? null : locationOrgSource === ownerSource ? ownerId : context.ids('organization', locationOrgSource).id,
      location_type: oneOf(LOCATION_TYPES, json.location_type) ?? 'physical',
      url: text(json.url), name: text(json.name), alternate_name: text(json.alternate_name), description: text(json.description), transportation: text(json.transportation),
      latitude, longitude,
      external_identifier: text(json.external_identifier), external_identifier_type: text(json.external_identifier_type),
      council_area_code: councilAreaCode && context.councilArea(councilAreaCode) ? councilAreaCode : null,
      created_at: context.now,
      updated_at: context.now,
    };
    const into: LocationChildren = { address: [], contact: [], phone: [], language: [], schedule: [], attribute: [] };
    list(json.addresses).forEach((address, index) => {
      into.address.push({
        id: own('address', address, `address:${index}`), location_id: id,
        attention: text(address.attention), address_1: text(address.address_1) ?? '', address_2: text(address.address_2), city: text(address.city) ?? '',
        region: text(address.region), state_province: text(address.state_province) ?? '', postal_code: text(address.postal_code) ?? '',
        country: text(address.country) ?? 'GB', address_type: oneOf(LOCATION_TYPES, address.address_type) ?? 'physical',
      });
    });
    // The location's children take ids from the location's decision, not the service's.
    addPhones(list(json.phones), { location_id: id }, into, 'location', own);
    addLanguages(list(json.languages), { location_id: id }, into, 'location', own);
    addContacts(list(json.contacts), { location_id: id }, into, 'location', own);
    addSchedules(list(json.schedules), { location_id: id }, into, 'location', own);
    into.attribute = mapAttributes(list(json.attributes), 'location_id', id, (child, index) => own('attribute', child, `attribute:${index}`), context, unmappedTerms, null);
    return { sourceId: locationSource, hash: contentHash(context.hashSalt, json), row: locationRow, children: into };
  }

  return { sourceId, hash, organization, row, children, locations, warnings, unmappedTerms };
}

/**
 * Attribute rows for the terms we know; access-and-delivery terms go to `onAccess` (they are columns,
 * not rows); unmapped terms are listed. One row per term: HSDS allows repeats, our unique index not.
 */
function mapAttributes(
  items: Json[],
  column: 'service_id' | 'location_id' | 'organization_id',
  ownerId: string,
  idOf: (child: Json, index: number) => string,
  context: MappingContext,
  unmapped: string[],
  onAccess: ((term: AccessTerm) => void) | null,
): Array<Insertable<AttributeTable> & { id: string }> {
  const rows: Array<Insertable<AttributeTable> & { id: string }> = [];
  const terms = new Set<string>();
  items.forEach((attribute, index) => {
    const term = object(attribute.taxonomy_term) ?? {};
    const termId = text(attribute.taxonomy_term_id) ?? text(term.id) ?? undefined;
    const resolved = context.resolveTerm(term, termId);
    if (resolved.kind === 'unmapped') {
      unmapped.push(resolved.label);
      return;
    }
    if (resolved.kind === 'access') {
      onAccess?.(resolved.term);
      return;
    }
    if (terms.has(resolved.termId)) return;
    terms.add(resolved.termId);
    rows.push({ id: idOf(attribute, index), taxonomy_term_id: resolved.termId, service_id: null, location_id: null, organization_id: null, [column]: ownerId, link_type: text(attribute.link_type), value: text(attribute.value) });
  });
  return rows;
}

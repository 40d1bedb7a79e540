import { Type, type Static, type TSchema } from 'typebox';
import { ACCESS_ROUTES, DELIVERY_MODES, SERVICE_STATUSES, AREA_TYPES } from '../platform/db/schema.ts';

// Request and response schemas for the directory's record API. Routes validate with these and the
// OpenAPI document is generated from them, so the document cannot drift from the behaviour.

const Nullable = <T extends TSchema>(schema: T) => Type.Optional(schema);

export const IdParams = Type.Object({
  id: Type.String({ format: 'uuid', description: 'The record\'s UUID.' }),
});

export const PageQuery = Type.Object({
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1, description: 'Page number, from 1.' }),
  per_page: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Records a page, 1 to 100.' }),
});
export type PageQuery = Static<typeof PageQuery>;

export const TaxonomyTermQuery = Type.Object({
  ...PageQuery.properties,
  taxonomy: Type.Optional(
    Type.Enum(['categories', 'client-groups', 'accessibility'], {
      description: 'Only the terms of one of Frontdoor\'s taxonomies.',
    }),
  ),
  parent_id: Type.Optional(Type.String({ format: 'uuid', description: 'Only the children of this term.' })),
});
export type TaxonomyTermQuery = Static<typeof TaxonomyTermQuery>;

const Envelope = <T extends TSchema>(item: T) =>
  Type.Object({
    total: Type.Integer({ description: 'Records in all pages.' }),
    page: Type.Integer(),
    per_page: Type.Integer(),
    total_pages: Type.Integer(),
    items: Type.Array(item),
  });

export const TermRef = Type.Object({
  id: Type.String({ format: 'uuid' }),
  code: Type.String(),
  name: Type.String(),
});

export const TaxonomyTermRecord = Type.Object({
  id: Type.String({ format: 'uuid' }),
  code: Type.String(),
  name: Type.String(),
  description: Type.String(),
  taxonomy: Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() }),
  parent_id: Nullable(Type.String({ format: 'uuid' })),
  language: Nullable(Type.String()),
});

export const PhoneRecord = Type.Object({
  id: Type.String({ format: 'uuid' }),
  number: Type.String(),
  extension: Nullable(Type.String()),
  type: Nullable(Type.String()),
  description: Nullable(Type.String()),
});

export const UrlRecord = Type.Object({ id: Type.String({ format: 'uuid' }), label: Nullable(Type.String()), url: Type.String() });

export const ScheduleRecord = Type.Object({
  id: Type.String({ format: 'uuid' }),
  freq: Nullable(Type.String()),
  interval: Nullable(Type.Integer()),
  byday: Nullable(Type.String()),
  bymonthday: Nullable(Type.String()),
  opens_at: Nullable(Type.String({ description: 'HH:MM:SS, local time' })),
  closes_at: Nullable(Type.String({ description: 'HH:MM:SS, local time' })),
  valid_from: Nullable(Type.String({ format: 'date' })),
  valid_to: Nullable(Type.String({ format: 'date' })),
  dtstart: Nullable(Type.String({ format: 'date' })),
  until: Nullable(Type.String({ format: 'date' })),
  description: Nullable(Type.String()),
  notes: Nullable(Type.String()),
  attending_type: Nullable(Type.String()),
});

export const AddressRecord = Type.Object({
  id: Type.String({ format: 'uuid' }),
  attention: Nullable(Type.String()),
  address_1: Type.String(),
  address_2: Nullable(Type.String()),
  city: Type.String(),
  region: Nullable(Type.String()),
  postal_code: Type.String(),
  country: Type.String(),
  address_type: Type.String(),
});

export const LanguageRecord = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Nullable(Type.String()),
  code: Nullable(Type.String()),
  note: Nullable(Type.String()),
});

export const LocationRecord = Type.Object({
  id: Type.String({ format: 'uuid' }),
  organization_id: Nullable(Type.String({ format: 'uuid' })),
  location_type: Type.String(),
  name: Nullable(Type.String()),
  alternate_name: Nullable(Type.String()),
  description: Nullable(Type.String()),
  transportation: Nullable(Type.String()),
  url: Nullable(Type.String()),
  latitude: Nullable(Type.Number()),
  longitude: Nullable(Type.Number()),
  council_area: Nullable(Type.Object({ code: Type.String(), name: Type.String() })),
  addresses: Type.Array(AddressRecord),
  phones: Type.Array(PhoneRecord),
  schedules: Type.Array(ScheduleRecord),
  accessibility: Type.Array(TermRef),
  languages: Type.Array(LanguageRecord),
  services: Type.Optional(Type.Array(Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String(), status: Type.String() }))),
});

export const ServiceRecord = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  alternate_name: Nullable(Type.String()),
  summary: Type.String(),
  description: Type.String(),
  status: Type.Enum(SERVICE_STATUSES),
  organization: Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() }),
  url: Nullable(Type.String()),
  email: Nullable(Type.String()),
  eligibility_description: Nullable(Type.String()),
  minimum_age: Nullable(Type.Integer()),
  maximum_age: Nullable(Type.Integer()),
  access_routes: Type.Array(Type.Enum(ACCESS_ROUTES)),
  delivery_modes: Type.Array(Type.Enum(DELIVERY_MODES)),
  free_of_charge: Type.Boolean(),
  fees_description: Nullable(Type.String()),
  application_process: Nullable(Type.String()),
  wait_time: Nullable(Type.String()),
  interpretation_services: Nullable(Type.String()),
  accreditations: Nullable(Type.String()),
  alert: Nullable(Type.String()),
  last_reviewed_at: Nullable(Type.String({ format: 'date' })),
  updated_at: Type.String({ format: 'date-time' }),
  categories: Type.Array(TermRef),
  client_groups: Type.Array(TermRef),
  service_areas: Type.Array(
    Type.Object({
      id: Type.String({ format: 'uuid' }),
      area_type: Type.Enum(AREA_TYPES),
      name: Type.String(),
      area_name: Nullable(Type.String()),
    }),
  ),
  locations: Type.Array(LocationRecord),
  phones: Type.Array(PhoneRecord),
  schedules: Type.Array(ScheduleRecord),
  cost_options: Type.Array(
    Type.Object({
      id: Type.String({ format: 'uuid' }),
      option: Nullable(Type.String()),
      amount: Nullable(Type.Number()),
      currency: Nullable(Type.String()),
      amount_description: Nullable(Type.String()),
      valid_from: Nullable(Type.String({ format: 'date' })),
      valid_to: Nullable(Type.String({ format: 'date' })),
    }),
  ),
  languages: Type.Array(LanguageRecord),
  contacts: Type.Array(
    Type.Object({
      id: Type.String({ format: 'uuid' }),
      name: Nullable(Type.String()),
      title: Nullable(Type.String()),
      department: Nullable(Type.String()),
      email: Nullable(Type.String()),
    }),
  ),
  urls: Type.Array(UrlRecord),
});
export type ServiceRecord = Static<typeof ServiceRecord>;

export const OrganizationRecord = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  alternate_name: Nullable(Type.String()),
  description: Type.String(),
  email: Nullable(Type.String()),
  website: Nullable(Type.String()),
  charity_number: Nullable(Type.String({ description: 'Scottish Charity Regulator (OSCR) number, where a charity.' })),
  legal_status: Nullable(Type.String()),
  year_incorporated: Nullable(Type.Integer()),
  parent_organization_id: Nullable(Type.String({ format: 'uuid' })),
  updated_at: Type.String({ format: 'date-time' }),
  phones: Type.Optional(Type.Array(PhoneRecord)),
  urls: Type.Optional(Type.Array(UrlRecord)),
  services: Type.Optional(Type.Array(Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String(), status: Type.String() }))),
  locations: Type.Optional(Type.Array(Type.Object({ id: Type.String({ format: 'uuid' }), name: Nullable(Type.String()) }))),
});

export const ApiError = Type.Object(
  {
    error: Type.String({ description: 'A stable code such as not_found or invalid_parameter.' }),
    message: Type.String({ description: 'A sentence for a person.' }),
    parameter: Type.Optional(Type.String({ description: 'The parameter at fault, for invalid_parameter.' })),
    allowed: Type.Optional(Type.Array(Type.Unknown())),
    suggestions: Type.Optional(Type.Array(Type.String())),
    request_id: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);

export const OrganizationPage = Envelope(OrganizationRecord);
export const ServicePage = Envelope(ServiceRecord);
export const LocationPage = Envelope(LocationRecord);
export const TaxonomyTermPage = Envelope(TaxonomyTermRecord);

import { Type, type Static } from 'typebox';

// Query and path parameters of the ORUK API, as the profile's OpenAPI document defines them (with the
// corrections in spec.ts). Responses are not described here: they are the profile's own JSON Schemas,
// which the served OpenAPI document references and the tests validate against.

const TIME = '^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$';
const Uuid = (description: string) => Type.String({ format: 'uuid', description });

export const IdParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 200, description: 'The record\'s UUID.' }),
});
export type IdParams = Static<typeof IdParams>;

export const PageQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000, description: 'Page number, from 1.' })),
  per_page: Type.Optional(Type.Integer({ minimum: 1, description: 'Records a page: 50 unless asked, at most 100.' })),
});

const Search = Type.Optional(Type.String({ maxLength: 200, description: 'Every word must appear in the name or description.' }));

const serviceFilterProperties = {
  ...PageQuery.properties,
  search: Search,
  taxonomy_term_id: Type.Optional(Uuid('Services with this term or one of its child terms.')),
  taxonomy_id: Type.Optional(Uuid('Services with any term of this taxonomy.')),
  minimum_age: Type.Optional(Type.Number({ minimum: 0, maximum: 200 })),
  maximum_age: Type.Optional(Type.Number({ minimum: 0, maximum: 200 })),
  day: Type.Optional(Type.String({ maxLength: 12, description: 'MO, TU, WE, TH, FR, SA or SU.' })),
  start_time: Type.Optional(Type.String({ pattern: TIME, description: 'HH:MM or HH:MM:SS' })),
  end_time: Type.Optional(Type.String({ pattern: TIME, description: 'HH:MM or HH:MM:SS' })),
  organization_id: Type.Optional(Uuid('Services of this organization.')),
  modified_after: Type.Optional(Type.String({ maxLength: 40, description: 'An RFC 3339 date-time, or a date.' })),
  full: Type.Optional(Type.Boolean({ description: 'true: fully nested records.' })),
};

export const ServiceListQuery = Type.Object(serviceFilterProperties);
export type ServiceListQuery = Static<typeof ServiceListQuery>;

export const ServiceAtLocationListQuery = Type.Object({
  ...serviceFilterProperties,
  postcode: Type.Optional(Type.String({ maxLength: 16, description: 'A UK postcode or postcode district.' })),
  proximity: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000, description: 'Metres from the postcode.' })),
});
export type ServiceAtLocationListQuery = Static<typeof ServiceAtLocationListQuery>;

export const OrganizationListQuery = Type.Object({ ...PageQuery.properties, search: Search });
export type OrganizationListQuery = Static<typeof OrganizationListQuery>;

export const OrganizationQuery = Type.Object({
  full_service: Type.Optional(Type.Boolean({ description: 'true: the services are fully nested.' })),
});

export const TaxonomyTermListQuery = Type.Object({
  ...PageQuery.properties,
  taxonomy_id: Type.Optional(Uuid('Only the terms of this taxonomy.')),
  parent_id: Type.Optional(Uuid('Only the children of this term.')),
  top_only: Type.Optional(Type.Boolean({ description: 'true: only terms without a parent.' })),
});
export type TaxonomyTermListQuery = Static<typeof TaxonomyTermListQuery>;

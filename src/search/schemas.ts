import { Type, type Static } from 'typebox';
import { ACCESS_ROUTES, DELIVERY_MODES } from '../platform/db/schema.ts';

export const DAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export const SORT_ORDERS = ['relevance', 'distance', 'reviewed', 'name'] as const;

const many = (description: string) =>
  Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 20, description: `${description} Repeat the parameter or separate values with commas.` }));

export const SearchQuerystring = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Words to look for in names, descriptions, categories and client groups. Typos are forgiven.' })),
  near: Type.Optional(Type.String({ maxLength: 100, description: 'A postcode, postcode district, town, village, island or council area.' })),
  radius: Type.Number({ minimum: 0.5, maximum: 200, default: 10, description: 'Miles from `near` (default 10).' }),
  category: many('Category codes (see /api/v1/taxonomy-terms?taxonomy=categories); a parent category includes its children.'),
  client_group: many('Client group codes (see /api/v1/taxonomy-terms?taxonomy=client-groups).'),
  age: Type.Optional(Type.Integer({ minimum: 0, maximum: 130, description: 'Only services open to a person of this age.' })),
  access: Type.Optional(Type.Array(Type.Enum(ACCESS_ROUTES), { maxItems: 5, description: 'How a person gets in: any of these routes.' })),
  free: Type.Optional(Type.Boolean({ description: 'true: only services free of charge; false: only services that charge.' })),
  mode: Type.Optional(Type.Array(Type.Enum(DELIVERY_MODES), { maxItems: 3, description: 'How the service is delivered: any of these.' })),
  day: Type.Optional(Type.Array(Type.Enum(DAY_NAMES), { maxItems: 7, description: 'Open on any of these days.' })),
  sort: Type.Enum(SORT_ORDERS, { default: 'relevance', description: 'relevance (default), distance (needs `near`), reviewed (most recently reviewed first) or name (A–Z).' }),
  page: Type.Integer({ minimum: 1, maximum: 1000, default: 1 }),
  per_page: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
export type SearchQuerystring = Static<typeof SearchQuerystring>;

const FacetValue = Type.Object({ value: Type.String(), label: Type.String(), count: Type.Integer() });

export const SearchResponse = Type.Object({
  total: Type.Integer(),
  page: Type.Integer(),
  per_page: Type.Integer(),
  place: Type.Optional(
    Type.Object({
      label: Type.String(),
      latitude: Type.Number(),
      longitude: Type.Number(),
      council_area: Type.Optional(Type.String()),
      approximate: Type.Boolean(),
    }),
  ),
  corrections: Type.Array(Type.Object({ word: Type.String(), meant: Type.Array(Type.String()) }), {
    description: 'Query words read as typos, and the words they were taken to mean.',
  }),
  facets: Type.Object(
    {
      category: Type.Array(FacetValue),
      client_group: Type.Array(FacetValue),
      access: Type.Array(FacetValue),
      mode: Type.Array(FacetValue),
      free: Type.Array(FacetValue),
      day: Type.Array(FacetValue),
    },
    { description: "Counts for every value of every filter. Each facet's counts apply all the other active filters but not its own." },
  ),
  results: Type.Array(
    Type.Object({
      id: Type.String({ format: 'uuid' }),
      name: Type.String(),
      organization: Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() }),
      summary: Type.String(),
      url: Type.String({ description: 'The service page.' }),
      status: Type.Enum(['active', 'temporarily closed']),
      match: Type.Optional(Type.Enum(['near', 'covers_area', 'national'], { description: 'Only when `near` is given.' })),
      distance_miles: Type.Optional(Type.Number({ description: 'For near matches: miles to the nearest place it is delivered.' })),
      reason: Type.Optional(Type.String({ description: 'Why it was found, in words: "3.2 miles away", "covers North Ayrshire", "national helpline".' })),
      last_reviewed_at: Type.Optional(Type.String({ format: 'date' })),
      review_overdue: Type.Boolean(),
    }),
  ),
});
export type SearchResponse = Static<typeof SearchResponse>;

import { Type, type TSchema } from 'typebox';

export const ResolvePlaceQuery = Type.Object({
  q: Type.String({
    maxLength: 200,
    description:
      'A full postcode (any case and spacing), a postcode district, a town or village (English, Gaelic or ' +
      'Welsh name), an island or area such as Arran or Skye, or a council area.',
    examples: ['KA12 8AA', 'KA12', 'Irvine', 'Steòrnabhagh', 'Arran', 'North Ayrshire'],
  }),
});

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const ResolvedPlaceSchema = Type.Object(
  {
    kind: Type.Union(
      [Type.Literal('postcode'), Type.Literal('district'), Type.Literal('place'), Type.Literal('alias'), Type.Literal('council_area')],
      { description: 'What the input was read as.' },
    ),
    label: Type.String({ description: "For people: 'KA12 8AA', 'KA12 (Irvine)', 'Irvine', 'Arran (Brodick)', 'North Ayrshire'." }),
    latitude: Type.Number(),
    longitude: Type.Number(),
    precision: Type.Union([Type.Literal('postcode'), Type.Literal('district'), Type.Literal('place'), Type.Literal('area')], {
      description: "How precise the point is. An area's point is only a rough middle of it.",
    }),
    approximate: Type.Boolean({
      description: "True when a full postcode is not in Frontdoor's postcode list and its district's centre stands in for it.",
    }),
    country: Type.Union([Type.Literal('SCT'), Type.Literal('ENG'), Type.Literal('WLS'), Type.Literal('NIR')]),
    councilArea: Nullable(
      Type.Object({
        code: Type.String({ description: "The council area's code, e.g. 'north-ayrshire'." }),
        name: Type.String(),
      }),
    ),
    partnership: Nullable(Type.String({ description: 'The health and social care partnership.' })),
    healthBoard: Nullable(Type.String({ description: 'The NHS territorial health board.' })),
  },
  { description: 'Council area, partnership and health board are given in Scotland only; elsewhere they are null.' },
);

// The application's error envelope. A request the schema itself rejects (no q) gets
// invalid_parameter from the app's error handler, so only `error` and `message` are always there.
export const PlaceProblemSchema = Type.Object(
  {
    error: Type.String({ description: 'empty, malformed_postcode, unknown_postcode, unknown_place or invalid_parameter.' }),
    message: Type.String({ description: 'A sentence to show the person, with close matches when there are any.' }),
    parameter: Type.Optional(Type.String({ description: 'Always q.' })),
    suggestions: Type.Optional(Type.Array(Type.String(), { description: 'Inputs that would resolve, closest first.' })),
    request_id: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);

export const resolvePlaceRoute = {
  tags: ['Places'],
  summary: 'Find where a postcode or place is',
  description:
    'Resolves a postcode, postcode district, town, village, island or council area to a point and to its ' +
    'council area, health and social care partnership and health board. Unknown places get close suggestions.',
  querystring: ResolvePlaceQuery,
  response: {
    200: ResolvedPlaceSchema,
    400: PlaceProblemSchema,
  },
};

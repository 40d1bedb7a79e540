import { Type, type Static } from 'typebox';

// Request schemas for the public pages. Page routes read their query strings forgivingly (see
// search-page.ts); form posts are checked here, and a bad post gets the site's error page.

export const RecordParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
export type RecordParams = Static<typeof RecordParams>;

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const ServicePageQuery = Type.Object({
  near: Type.Optional(Type.String({ maxLength: 100 })),
});

const ServiceId = Type.String({ format: 'uuid' });
const Csrf = Type.Optional(Type.String({ maxLength: 200 }));

export const ShortlistAddBody = Type.Object({
  service_id: ServiceId,
  /** The page to go back to: a path on this site. */
  return_to: Type.Optional(Type.String({ maxLength: 1000 })),
  _csrf: Csrf,
});
export type ShortlistAddBody = Static<typeof ShortlistAddBody>;

export const SHORTLIST_ACTIONS = ['save', 'up', 'down', 'remove'] as const;

export const ShortlistUpdateBody = Type.Object({
  service_id: ServiceId,
  action: Type.Enum(SHORTLIST_ACTIONS),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
  _csrf: Csrf,
});
export type ShortlistUpdateBody = Static<typeof ShortlistUpdateBody>;

export const ShortlistClearBody = Type.Object({ _csrf: Csrf });

export const ShortlistTextQuery = Type.Object({
  format: Type.Enum(['full', 'short'], { default: 'full' }),
});

import { stableUuid } from '../platform/ids.ts';

export type TaxonomyKey = 'categories' | 'client-groups' | 'accessibility';

/** The id migration 0002 gave a Frontdoor taxonomy. */
export function taxonomyId(key: TaxonomyKey): string {
  return stableUuid('frontdoor:taxonomy', key);
}

/** The id migration 0002 gave a term of a Frontdoor taxonomy, from its code ("dementia", "carers"). */
export function termId(key: TaxonomyKey, code: string): string {
  return stableUuid(`frontdoor:term:${key}`, code);
}

import type { Kysely } from 'kysely';
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/db/schema.ts';
import { ACCESS_ROUTES, DELIVERY_MODES } from '../platform/db/schema.ts';
import { BadParameterError } from '../platform/http/errors.ts';
import type { ResolveResult, ResolvedPlace } from '../geography/service.ts';
import { taxonomyId } from '../directory/taxonomy.ts';
import { DAY_CODES, type SearchHit, type SearchPlace } from './search-index.ts';
import { DAY_NAMES, type SearchQuerystring, type SearchResponse } from './schemas.ts';
import type { SearchSync } from './sync.ts';

export interface PlaceResolver {
  resolve(input: string): Promise<ResolveResult>;
}

interface TermLabel {
  code: string;
  name: string;
  parentCode: string | null;
}

const ACCESS_LABELS: Record<string, string> = {
  self_referral: 'Self-referral',
  professional_referral: 'Referral by a professional',
  drop_in: 'Drop in',
  phone: 'By phone',
  online: 'Online',
};
const MODE_LABELS: Record<string, string> = { in_person: 'In person', phone: 'By phone', online: 'Online' };
const TERMS_CACHE_MS = 60_000;

function milesInWords(miles: number): string {
  if (miles < 0.1) return 'less than 0.1 miles away';
  return `${miles.toFixed(1)} ${miles === 1 ? 'mile' : 'miles'} away`;
}

/** Why a result was found, in words a person can act on. */
export function matchReason(hit: SearchHit): string | undefined {
  if (hit.match === 'near' && hit.distanceMiles !== undefined) return milesInWords(hit.distanceMiles);
  if (hit.match === 'covers_area') return `covers ${hit.coveredArea}`;
  if (hit.match === 'national') {
    if (hit.helpline) return 'national helpline';
    return hit.nationalScope === 'uk' ? 'available across the UK' : 'available across Scotland';
  }
  return undefined;
}

export function createSearchService(deps: {
  db: Kysely<Database>;
  sync: SearchSync;
  places: PlaceResolver;
  clock: Clock;
  /** Told of a search that found nothing: its words and the council area it was for, never who searched. */
  onNoResults?: (words: string, area: string | null, councilAreaCode: string | null) => Promise<void>;
}) {
  const { db, sync, places, clock } = deps;
  let termsLoadedAt = 0;
  let categories: TermLabel[] = [];
  let clientGroups: TermLabel[] = [];
  let labelsFingerprint = '';
  let labelsRevision = 0;

  async function taxonomyLabels() {
    if (clock.now().getTime() - termsLoadedAt > TERMS_CACHE_MS || categories.length === 0) {
      const terms = await db.selectFrom('taxonomy_term').select(['id', 'code', 'name', 'parent_id', 'taxonomy_id']).orderBy('name').execute();
      const codeById = new Map(terms.map((term) => [term.id, term.code]));
      const label = (term: (typeof terms)[number]): TermLabel => ({
        code: term.code,
        name: term.name,
        parentCode: term.parent_id ? (codeById.get(term.parent_id) ?? null) : null,
      });
      categories = terms.filter((term) => term.taxonomy_id === taxonomyId('categories')).map(label);
      clientGroups = terms.filter((term) => term.taxonomy_id === taxonomyId('client-groups')).map(label);
      const fingerprint = JSON.stringify([categories, clientGroups]);
      if (fingerprint !== labelsFingerprint) {
        labelsFingerprint = fingerprint;
        labelsRevision += 1;
      }
      termsLoadedAt = clock.now().getTime();
    }
    return { categories, clientGroups };
  }

  function checkCodes(parameter: string, given: string[] | undefined, known: TermLabel[], listUrl: string): void {
    const codes = new Set(known.map((term) => term.code));
    const unknown = (given ?? []).filter((code) => !codes.has(code));
    if (unknown.length > 0) {
      throw new BadParameterError(parameter, `The ${parameter.replace('_', ' ')} "${unknown[0]}" does not exist. The codes are listed at ${listUrl}.`, {
        allowed: [...codes].sort(),
      });
    }
  }

  return {
    /** The place a search is near, or a 400 that explains and suggests. */
    async resolvePlace(near: string): Promise<ResolvedPlace> {
      const resolved = await places.resolve(near);
      if (!resolved.ok) {
        throw new BadParameterError('near', resolved.error.message, { suggestions: resolved.error.suggestions, reason: resolved.error.code });
      }
      return resolved.place;
    },

    async search(query: SearchQuerystring): Promise<SearchResponse & { placeDetails?: ResolvedPlace }> {
      const labels = await taxonomyLabels();
      checkCodes('category', query.category, labels.categories, '/api/v1/taxonomy-terms?taxonomy=categories');
      checkCodes('client_group', query.client_group, labels.clientGroups, '/api/v1/taxonomy-terms?taxonomy=client-groups');
      if (query.sort === 'distance' && !query.near) {
        throw new BadParameterError('sort', 'Sorting by distance needs a place: give "near" as well, or sort by relevance, reviewed or name.');
      }
      const place = query.near?.trim() ? await this.resolvePlace(query.near) : undefined;
      if (!sync.isLoaded) await sync.refresh();

      const searchPlace: SearchPlace | undefined = place && {
        latitude: place.latitude,
        longitude: place.longitude,
        councilArea: place.councilArea?.name ?? null,
        partnership: place.partnership,
        healthBoard: place.healthBoard,
        country: place.country,
      };
      const outcome = sync.current.search({
        text: query.q,
        place: searchPlace,
        radiusMiles: query.radius,
        filters: {
          categories: query.category,
          clientGroups: query.client_group,
          age: query.age,
          access: query.access,
          free: query.free,
          modes: query.mode,
          days: query.day?.map((day) => DAY_CODES[DAY_NAMES.indexOf(day)]!),
        },
        sort: query.sort,
        page: query.page,
        perPage: query.per_page,
        today: clock.now().toISOString().slice(0, 10),
      });

      if (outcome.total === 0 && query.page === 1 && query.q?.trim() && deps.onNoResults) {
        await deps.onNoResults(query.q, place?.councilArea?.name ?? null, place?.councilArea?.code ?? null).catch(() => undefined);
      }

      const facetList = (counts: Record<string, number>, values: Array<{ value: string; label: string }>) =>
        values.map(({ value, label }) => ({ value, label, count: counts[value] ?? 0 }));
      return {
        total: outcome.total,
        page: query.page,
        per_page: query.per_page,
        ...(place
          ? {
              place: {
                label: place.label,
                latitude: place.latitude,
                longitude: place.longitude,
                ...(place.councilArea ? { council_area: place.councilArea.name } : {}),
                approximate: place.approximate,
              },
              placeDetails: place,
            }
          : {}),
        corrections: outcome.corrections,
        facets: {
          category: facetList(outcome.facets.category, labels.categories.map((term) => ({ value: term.code, label: term.name }))),
          client_group: facetList(outcome.facets.client_group, labels.clientGroups.map((term) => ({ value: term.code, label: term.name }))),
          access: facetList(outcome.facets.access, ACCESS_ROUTES.map((route) => ({ value: route, label: ACCESS_LABELS[route]! }))),
          mode: facetList(outcome.facets.mode, DELIVERY_MODES.map((mode) => ({ value: mode, label: MODE_LABELS[mode]! }))),
          free: facetList(outcome.facets.free, [
            { value: 'true', label: 'Free' },
            { value: 'false', label: 'Charges' },
          ]),
          day: facetList(outcome.facets.day, DAY_CODES.map((code, index) => ({ value: code, label: DAY_NAMES[index]! }))).map((facet, index) => ({
            ...facet,
            value: DAY_NAMES[index]!,
            label: DAY_NAMES[index]!.charAt(0).toUpperCase() + DAY_NAMES[index]!.slice(1),
          })),
        },
        results: outcome.hits.map((hit) => {
          const reason = place ? matchReason(hit) : undefined;
          return {
            id: hit.id,
            name: hit.name,
            organization: hit.organization,
            summary: hit.summary,
            url: `/services/${hit.id}`,
            status: hit.status,
            ...(place && hit.match ? { match: hit.match } : {}),
            ...(place && hit.distanceMiles !== undefined ? { distance_miles: hit.distanceMiles } : {}),
            ...(reason ? { reason } : {}),
            ...(hit.lastReviewedAt ? { last_reviewed_at: hit.lastReviewedAt } : {}),
            review_overdue: hit.reviewOverdue,
          };
        }),
      };
    },

    /**
     * Changes whenever the answer to any search could: the index, the category and client group
     * labels, or the day (review dates fall due). An answer kept under one revision is still the
     * answer while the revision holds.
     */
    async revision(): Promise<string> {
      await taxonomyLabels();
      return `${sync.current.revision}:${labelsRevision}:${clock.now().toISOString().slice(0, 10)}`;
    },

    /** Category and client group labels, for pages that show filters. */
    taxonomyLabels,
  };
}

export type SearchService = ReturnType<typeof createSearchService>;

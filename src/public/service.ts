import type { Clock } from '../platform/clock.ts';
import { HttpError } from '../platform/http/errors.ts';
import type { DirectoryService } from '../directory/service.ts';
import type { GeographyService } from '../geography/service.ts';
import type { ResolvedPlace } from '../geography/service.ts';
import type { SearchService } from '../search/service.ts';
import { shortlistPdf, shortlistText, type HandoverItem } from './handover.ts';
import { readSearchState, toSearchQuery, type FieldProblem, type KnownCodes, type SearchState } from './search-page.ts';
import type { ShortlistEntry } from './shortlist.ts';
import type { ServiceRecord } from './present.ts';

export interface PlaceProblem {
  message: string;
  suggestions: string[];
}

export type SearchOutcome =
  | { kind: 'results'; response: Awaited<ReturnType<SearchService['search']>> }
  | { kind: 'unknown_place'; problem: PlaceProblem }
  | { kind: 'invalid'; problems: FieldProblem[] };

/** Embedding partners choose categories and council areas; this is what a widget is limited to. */
export interface WidgetScope {
  categories: string[];
  /** Council area codes, e.g. north-ayrshire. */
  areas: string[];
}

/**
 * What the public pages need from the other capabilities, put together: searches in the form the
 * results page shows, shortlists with their services' details, hand-outs, the sitemap.
 */
export function createPublicPagesService(deps: {
  directory: DirectoryService;
  search: SearchService;
  geography: Pick<GeographyService, 'councilAreas' | 'findCouncilArea'>;
  clock: Clock;
  siteName: string;
}) {
  const { directory, search, geography, clock, siteName } = deps;

  async function knownCodes(): Promise<KnownCodes> {
    const labels = await search.taxonomyLabels();
    return {
      categories: new Set(labels.categories.map((term) => term.code)),
      clientGroups: new Set(labels.clientGroups.map((term) => term.code)),
    };
  }

  async function resolvePlace(near: string): Promise<{ place?: ResolvedPlace; problem?: PlaceProblem }> {
    try {
      return { place: await search.resolvePlace(near) };
    } catch (error) {
      if (error instanceof HttpError && error.code === 'invalid_parameter') {
        return { problem: { message: error.message, suggestions: (error.details.suggestions as string[] | undefined) ?? [] } };
      }
      throw error;
    }
  }

  return {
    knownCodes,
    resolvePlace,

    /** Reads a results page's query string. */
    async readSearch(raw: Record<string, unknown>) {
      return readSearchState(raw, await knownCodes());
    },

    /** Runs a results page's search; an unknown place or a bad age is an outcome to show, not an error. */
    async runSearch(state: SearchState, problems: FieldProblem[], perPage?: number): Promise<SearchOutcome> {
      if (problems.length > 0) return { kind: 'invalid', problems };
      try {
        return { kind: 'results', response: await search.search(toSearchQuery(state, problems, perPage)) };
      } catch (error) {
        if (error instanceof HttpError && error.code === 'invalid_parameter' && error.details.parameter === 'near') {
          return { kind: 'unknown_place', problem: { message: error.message, suggestions: (error.details.suggestions as string[] | undefined) ?? [] } };
        }
        throw error;
      }
    },

    /** Category and client group labels, parents first, for filters and the home page. */
    taxonomyLabels: () => search.taxonomyLabels(),

    getService: (id: string): Promise<ServiceRecord> => directory.getService(id),
    getOrganization: (id: string) => directory.getOrganization(id),
    getLocation: (id: string) => directory.getLocation(id),

    /** The shortlist's services with their notes, in the shortlist's order; services gone since are left out. */
    async shortlistItems(entries: ShortlistEntry[]): Promise<HandoverItem[]> {
      if (entries.length === 0) return [];
      const details = await directory.getServiceDetails(entries.map((entry) => entry.serviceId));
      const records = new Map(details.map((detail) => [detail.service.id, directory.serviceRecord(detail)]));
      return entries.flatMap((entry) => {
        const service = records.get(entry.serviceId);
        return service ? [{ service, note: entry.note }] : [];
      });
    },

    /** Whether a service can be put on a shortlist: it exists and is listed. */
    async serviceExists(id: string): Promise<{ id: string; name: string } | undefined> {
      const [details] = await directory.getServiceDetails([id]);
      return details ? { id: details.service.id, name: details.service.name } : undefined;
    },

    shortlistText(items: HandoverItem[], baseUrl: string, short: boolean): string {
      return shortlistText(items, { baseUrl, date: clock.now(), siteName, short });
    },

    shortlistPdf(items: HandoverItem[], baseUrl: string): Promise<Buffer> {
      return shortlistPdf(items, { baseUrl, date: clock.now(), siteName });
    },

    councilAreas: () => geography.councilAreas(),

    /** A widget's scope from its query string: unknown categories and areas are dropped. */
    async widgetScope(raw: Record<string, unknown>): Promise<WidgetScope> {
      const codes = await knownCodes();
      const list = (value: unknown) =>
        (Array.isArray(value) ? value : value === undefined ? [] : [value]).flatMap((item) => String(item).split(',')).map((item) => item.trim());
      return {
        categories: [...new Set(list(raw.category).filter((code) => codes.categories.has(code)))].slice(0, 20),
        areas: [...new Set(list(raw.area).filter((code) => geography.findCouncilArea(code)))].slice(0, 10),
      };
    },

    areaName: (code: string) => geography.findCouncilArea(code)?.name,

    publishedRecords: () => directory.publishedRecords(),
  };
}

export type PublicPagesService = ReturnType<typeof createPublicPagesService>;

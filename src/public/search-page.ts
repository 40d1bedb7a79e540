import { ACCESS_ROUTES, DELIVERY_MODES } from '../platform/db/schema.ts';
import { DAY_NAMES, SORT_ORDERS, type SearchQuerystring } from '../search/schemas.ts';

// The results page is driven entirely by its query string, so that every filter, sort and page is a
// plain link or a GET form that works without JavaScript and can be bookmarked or shared. This file
// reads that query string forgivingly (a person edited it, or followed an old link) and writes the
// links back.

export const RESULTS_PER_PAGE = 20;
export const RADIUS_OPTIONS = [1, 3, 5, 10, 25, 50] as const;
export const DEFAULT_RADIUS = 10;
const MAX_PAGE = 1000;

export const LIST_FILTERS = ['category', 'client_group', 'access', 'mode', 'day'] as const;
export type ListFilter = (typeof LIST_FILTERS)[number];

/** What the page's form says, normalised: the source of every link on the page. */
export interface SearchState {
  q: string;
  near: string;
  radius: number;
  category: string[];
  client_group: string[];
  access: string[];
  mode: string[];
  day: string[];
  free: '' | 'true' | 'false';
  age: string;
  sort: (typeof SORT_ORDERS)[number];
  page: number;
}

export interface KnownCodes {
  categories: Set<string>;
  clientGroups: Set<string>;
}

export interface FieldProblem {
  field: 'age' | 'near' | 'q';
  message: string;
}

type RawQuery = Record<string, unknown>;

function strings(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.flatMap((item) => String(item).split(',')).map((item) => item.trim()).filter(Boolean);
}

function single(value: unknown): string {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.trim() : '';
}

function unique(values: string[], allowed: ReadonlySet<string> | readonly string[]): string[] {
  const set = allowed instanceof Set ? allowed : new Set(allowed as readonly string[]);
  return [...new Set(values.filter((value) => set.has(value)))];
}

/**
 * Reads the results page's query string. Unknown filter values are dropped and out-of-range numbers
 * fall back to their defaults, because a results page should show results rather than an error;
 * only an age that is not a number is reported, since the person typed it.
 */
export function readSearchState(raw: RawQuery, known: KnownCodes): { state: SearchState; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const q = single(raw.q).slice(0, 200);
  const near = single(raw.near).slice(0, 100);
  const radiusNumber = Number(single(raw.radius));
  const radius = (RADIUS_OPTIONS as readonly number[]).includes(radiusNumber) ? radiusNumber : DEFAULT_RADIUS;
  const freeRaw = single(raw.free);
  const free = freeRaw === 'true' || freeRaw === 'false' ? freeRaw : '';
  let age = single(raw.age);
  if (age !== '' && !/^\d{1,3}$/.test(age)) {
    problems.push({ field: 'age', message: 'Enter the age as a whole number, like 34' });
  } else if (age !== '' && Number(age) > 130) {
    problems.push({ field: 'age', message: 'Enter an age of 130 or less' });
  }
  const sortRaw = single(raw.sort);
  let sort = (SORT_ORDERS as readonly string[]).includes(sortRaw) ? (sortRaw as SearchState['sort']) : 'relevance';
  if (sort === 'distance' && !near) sort = 'relevance';
  const pageNumber = Number(single(raw.page));
  const page = Number.isInteger(pageNumber) && pageNumber >= 1 ? Math.min(pageNumber, MAX_PAGE) : 1;
  if (problems.some((problem) => problem.field === 'age')) age = single(raw.age).slice(0, 10);
  return {
    state: {
      q,
      near,
      radius,
      category: unique(strings(raw.category), known.categories).slice(0, 20),
      client_group: unique(strings(raw.client_group), known.clientGroups).slice(0, 20),
      access: unique(strings(raw.access), ACCESS_ROUTES),
      mode: unique(strings(raw.mode), DELIVERY_MODES),
      day: unique(strings(raw.day), DAY_NAMES),
      free,
      age,
      sort,
      page,
    },
    problems,
  };
}

/** The search service's query for a state; an age with a problem is left out. */
export function toSearchQuery(state: SearchState, problems: FieldProblem[], perPage = RESULTS_PER_PAGE): SearchQuerystring {
  const ageOk = state.age !== '' && !problems.some((problem) => problem.field === 'age');
  return {
    ...(state.q ? { q: state.q } : {}),
    ...(state.near ? { near: state.near } : {}),
    radius: state.radius,
    ...(state.category.length ? { category: state.category } : {}),
    ...(state.client_group.length ? { client_group: state.client_group } : {}),
    ...(state.access.length ? { access: state.access as SearchQuerystring['access'] } : {}),
    ...(state.mode.length ? { mode: state.mode as SearchQuerystring['mode'] } : {}),
    ...(state.day.length ? { day: state.day as SearchQuerystring['day'] } : {}),
    ...(state.free ? { free: state.free === 'true' } : {}),
    ...(ageOk ? { age: Number(state.age) } : {}),
    sort: state.sort,
    page: state.page,
    per_page: perPage,
  };
}

/** The query string for a state, leaving out defaults so that links stay short and readable. */
export function searchQueryString(state: SearchState): string {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  if (state.near) params.set('near', state.near);
  if (state.near && state.radius !== DEFAULT_RADIUS) params.set('radius', String(state.radius));
  for (const name of LIST_FILTERS) for (const value of state[name]) params.append(name, value);
  if (state.free) params.set('free', state.free);
  if (state.age) params.set('age', state.age);
  if (state.sort !== 'relevance') params.set('sort', state.sort);
  if (state.page > 1) params.set('page', String(state.page));
  return params.toString();
}

export function searchHref(state: SearchState, changes: Partial<SearchState> = {}, path = '/search'): string {
  // Any change other than the page itself starts again from page 1.
  const next = { ...state, page: 1, ...changes };
  const query = searchQueryString(next);
  return query ? `${path}?${query}` : path;
}

/** Whether any filter (beyond the words and the place) narrows the search. */
export function hasFilters(state: SearchState): boolean {
  return LIST_FILTERS.some((name) => state[name].length > 0) || state.free !== '' || state.age !== '';
}

export interface PaginationModel {
  previous?: { href: string };
  next?: { href: string };
  items: Array<{ number?: number; href?: string; current?: boolean; ellipsis?: boolean }>;
}

/** GOV.UK pagination: first, last, the current page and its neighbours, with ellipses between. */
export function pagination(state: SearchState, total: number, perPage = RESULTS_PER_PAGE, path = '/search'): PaginationModel | undefined {
  const pages = Math.min(Math.ceil(total / perPage), MAX_PAGE);
  if (pages <= 1) return undefined;
  const current = Math.min(state.page, pages);
  const wanted = new Set([1, pages, current - 1, current, current + 1].filter((page) => page >= 1 && page <= pages));
  const sorted = [...wanted].sort((a, b) => a - b);
  const items: PaginationModel['items'] = [];
  let previous = 0;
  for (const page of sorted) {
    if (page - previous > 1) items.push({ ellipsis: true });
    items.push({ number: page, href: searchHref(state, { page }, path), current: page === current });
    previous = page;
  }
  return {
    ...(current > 1 ? { previous: { href: searchHref(state, { page: current - 1 }, path) } } : {}),
    ...(current < pages ? { next: { href: searchHref(state, { page: current + 1 }, path) } } : {}),
    items,
  };
}

// ---------------------------------------------------------------------------------------------
// The results page's model: filters with counts, the filters in force as removable links, sort
// links, and suggestions for when nothing matches.

interface Facet {
  value: string;
  label: string;
  count: number;
}

export interface FacetSet {
  category: Facet[];
  client_group: Facet[];
  access: Facet[];
  mode: Facet[];
  free: Facet[];
  day: Facet[];
}

export interface TermLabel {
  code: string;
  name: string;
  parentCode: string | null;
}

const FILTER_LEGENDS: Record<ListFilter, string> = {
  category: 'Type of support',
  client_group: 'Who it is for',
  access: 'How to get help',
  mode: 'How it is delivered',
  day: 'Open on',
};

export interface FilterGroup {
  name: ListFilter;
  legend: string;
  open: boolean;
  items: Array<{ value: string; text: string; checked: boolean; label?: { classes: string } }>;
}

/** Checkbox groups for the filters, each value with its count; categories as parents with their children after them. */
export function filterGroups(state: SearchState, facets: FacetSet, categories: TermLabel[]): FilterGroup[] {
  const item = (name: ListFilter, facet: Facet, child = false) => ({
    value: facet.value,
    text: `${facet.label} (${facet.count})`,
    checked: state[name].includes(facet.value),
    ...(child ? { label: { classes: 'frontdoor-checkbox--child' } } : {}),
  });
  const categoryFacets = new Map(facets.category.map((facet) => [facet.value, facet]));
  const categoryItems: FilterGroup['items'] = [];
  for (const parent of categories.filter((term) => term.parentCode === null)) {
    const facet = categoryFacets.get(parent.code);
    if (!facet) continue;
    categoryItems.push(item('category', facet));
    for (const child of categories.filter((term) => term.parentCode === parent.code)) {
      const childFacet = categoryFacets.get(child.code);
      // Children with nothing to find are left out (unless chosen) to keep the list short.
      if (childFacet && (childFacet.count > 0 || state.category.includes(child.code))) categoryItems.push(item('category', childFacet, true));
    }
  }
  const simple = (name: Exclude<ListFilter, 'category'>): FilterGroup => ({
    name,
    legend: FILTER_LEGENDS[name],
    open: state[name].length > 0,
    items: facets[name].map((facet) => item(name, facet)),
  });
  return [
    { name: 'category', legend: FILTER_LEGENDS.category, open: state.category.length > 0, items: categoryItems },
    simple('client_group'),
    simple('access'),
    simple('mode'),
    simple('day'),
  ];
}

export interface ActiveFilter {
  text: string;
  href: string;
}

/** Every filter in force, each with a link that removes just it. */
export function activeFilters(state: SearchState, facets: FacetSet): ActiveFilter[] {
  const labelOf = (name: ListFilter, value: string) => facets[name].find((facet) => facet.value === value)?.label ?? value;
  const result: ActiveFilter[] = [];
  for (const name of LIST_FILTERS) {
    for (const value of state[name]) {
      result.push({ text: labelOf(name, value), href: searchHref(state, { [name]: state[name].filter((other) => other !== value) }) });
    }
  }
  if (state.free) result.push({ text: state.free === 'true' ? 'Free' : 'Charges', href: searchHref(state, { free: '' }) });
  if (state.age) result.push({ text: `Age ${state.age}`, href: searchHref(state, { age: '' }) });
  return result;
}

export interface SortLink {
  text: string;
  href: string;
  current: boolean;
}

export function sortLinks(state: SearchState): SortLink[] {
  const orders: Array<[SearchState['sort'], string]> = [
    ['relevance', 'Best match'],
    ...(state.near ? ([['distance', 'Nearest first']] as Array<[SearchState['sort'], string]>) : []),
    ['name', 'Name (A to Z)'],
    ['reviewed', 'Most recently checked'],
  ];
  return orders.map(([sort, text]) => ({ text, href: searchHref(state, { sort }), current: state.sort === sort }));
}

/** Ways to find something when nothing matched, most helpful first. */
export function noResultSuggestions(state: SearchState, facets: FacetSet): ActiveFilter[] {
  const suggestions: ActiveFilter[] = [];
  if (state.near) {
    const wider = RADIUS_OPTIONS.filter((radius) => radius > state.radius).slice(-2);
    for (const radius of wider) suggestions.push({ text: `Search within ${radius} miles of ${state.near}`, href: searchHref(state, { radius }) });
  }
  const filters = activeFilters(state, facets);
  for (const filter of filters) suggestions.push({ text: `Remove the filter “${filter.text}”`, href: filter.href });
  if (filters.length > 1) {
    suggestions.push({
      text: 'Remove all filters',
      href: searchHref(state, { category: [], client_group: [], access: [], mode: [], day: [], free: '', age: '' }),
    });
  }
  if (state.q && state.near) suggestions.push({ text: `Show every service near ${state.near}`, href: searchHref(state, { q: '' }) });
  if (state.near && state.q) suggestions.push({ text: `Search for “${state.q}” everywhere`, href: searchHref(state, { near: '', sort: 'relevance' }) });
  return suggestions;
}

import { editDistance, isEnglishWord, isStopWord, stem, typoAllowance, words } from './text.ts';

/**
 * Frontdoor's search runs over a compact in-memory index of every searchable service, kept in step
 * with the database by SearchSync. Ranking rules (pinned by search-index.test.ts and
 * relevance.test.ts):
 *
 * 1. Text. Every query word must match (AND). A word matches a service when its Porter stem occurs in
 *    the service's name, organisation name, categories, client groups, summary or description.
 *    A word that is neither in the directory's vocabulary nor an English word is taken as a typo and
 *    also matches vocabulary words within 1 edit (5–8 letters) or 2 edits (9+ letters); a corrected
 *    word scores 0.6 of an exact one. English words are not corrected while the query finds
 *    anything as typed: "careers" stays "careers" and "dancing" never becomes "cancer". Only when
 *    the query as typed finds nothing are its English words corrected too, and then only beside other
 *    words ("mental heath" → health; a lone "dental" stays "dental"). The answer lists each correction
 *    that found something, so that the page can say "Showing results for …".
 * 2. Field weight. Name 5, categories and client groups 3, organisation name 2, summary 1.5,
 *    description 1; repeated occurrences add logarithmically; rarer words count more (idf).
 * 3. Name bonus. A name equal to the query scores +50 (so the exact name comes first); a name that
 *    contains the query as a phrase scores +10.
 * 4. Place. With `near`, a service found within the radius scores ×(1 − 0.3 × distance/radius), one
 *    covering the place's area ×0.85 and a national one ×0.75: nearer and more local first.
 * 5. Freshness. A listing whose review is overdue scores ×0.8; a temporarily closed one ×0.9.
 * 6. Ties go to the nearer service, then the more recently reviewed, then A–Z.
 */

export type MatchKind = 'near' | 'covers_area' | 'national';
export const DAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type DayCode = (typeof DAY_CODES)[number];

export interface SearchDocumentInput {
  id: string;
  name: string;
  organizationId: string;
  organizationName: string;
  summary: string;
  description: string;
  status: 'active' | 'temporarily closed';
  /** Category codes including every ancestor, so a parent filter finds its children's services. */
  categories: string[];
  categoryNames: string[];
  clientGroups: string[];
  clientGroupNames: string[];
  minimumAge: number | null;
  maximumAge: number | null;
  accessRoutes: string[];
  deliveryModes: string[];
  free: boolean;
  days: DayCode[];
  lastReviewedAt: string | null;
  /** When the listing's review falls due; past it, the listing is overdue. */
  reviewDueAt: string | null;
  locations: Array<{ latitude: number; longitude: number }>;
  coverage: {
    councilAreas: string[];
    partnerships: string[];
    healthBoards: string[];
    scotland: boolean;
    uk: boolean;
  };
}

interface StoredDocument {
  id: string;
  name: string;
  nameKey: string;
  organizationId: string;
  organizationName: string;
  summary: string;
  status: 'active' | 'temporarily closed';
  categories: string[];
  clientGroups: string[];
  minimumAge: number;
  maximumAge: number;
  accessRoutes: string[];
  deliveryModes: string[];
  free: boolean;
  dayMask: number;
  lastReviewedAt: string;
  reviewDueAt: string | null;
  /** Interleaved latitude, longitude in radians. */
  locations: Float64Array;
  coverage: SearchDocumentInput['coverage'];
  alive: boolean;
}

interface Posting {
  docs: number[];
  weights: number[];
}

export interface SearchPlace {
  latitude: number;
  longitude: number;
  councilArea: string | null;
  partnership: string | null;
  healthBoard: string | null;
  country: string;
}

export interface SearchFilters {
  categories?: string[];
  clientGroups?: string[];
  age?: number;
  access?: string[];
  free?: boolean;
  modes?: string[];
  days?: DayCode[];
}

export type SortOrder = 'relevance' | 'distance' | 'reviewed' | 'name';

export interface SearchQuery {
  text?: string;
  place?: SearchPlace;
  radiusMiles?: number;
  filters?: SearchFilters;
  sort?: SortOrder;
  page?: number;
  perPage?: number;
  /** "Today" for deciding which reviews are overdue (YYYY-MM-DD). */
  today: string;
}

export interface SearchHit {
  id: string;
  name: string;
  organization: { id: string; name: string };
  summary: string;
  status: 'active' | 'temporarily closed';
  score: number;
  match?: MatchKind;
  distanceMiles?: number;
  /** For covers_area: the area's name as the service lists it. */
  coveredArea?: string;
  lastReviewedAt: string | null;
  reviewOverdue: boolean;
  /** For national matches: how far the service reaches. */
  nationalScope?: 'scotland' | 'uk';
  /** Delivered by phone with no place to visit: a helpline. */
  helpline: boolean;
}

export interface FacetCounts {
  category: Record<string, number>;
  client_group: Record<string, number>;
  access: Record<string, number>;
  mode: Record<string, number>;
  free: Record<'true' | 'false', number>;
  day: Record<string, number>;
}

export interface SearchOutcome {
  total: number;
  hits: SearchHit[];
  facets: FacetCounts;
  /** Query words that were read as typos, with what they were taken to mean. */
  corrections: Array<{ word: string; meant: string[] }>;
}

const FIELD_WEIGHTS = { name: 5, taxonomy: 3, organization: 2, summary: 1.5, description: 1 } as const;
const EARTH_RADIUS_MILES = 3958.8;
const CELL_DEGREES = 0.1;
const TYPO_WEIGHT = 0.6;

function toRadians(degrees: number): number {
  return (degrees * Math.PI) / 180;
}

export function haversineMiles(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = lat2 - lat1;
  const dLon = lon2 - lon1;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1) * Math.cos(lat2) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_MILES * Math.asin(Math.min(1, Math.sqrt(a)));
}

function cellKey(latitude: number, longitude: number): number {
  // Degrees in, an integer key out: rows of 3,600 cells cover every longitude.
  return Math.floor((latitude + 90) / CELL_DEGREES) * 3600 + Math.floor((longitude + 180) / CELL_DEGREES);
}

/** Bits of the filter mask: a document passes a dimension when its bit is set. */
const DIMENSION = { category: 1, client_group: 2, age: 4, access: 8, free: 16, mode: 32, day: 64 } as const;
const ALL_DIMENSIONS = 127;

export class SearchIndex {
  private documents: StoredDocument[] = [];
  private positionById = new Map<string, number>();
  private postings = new Map<string, Posting>();
  /** Surface words of the directory, by length, for typo correction. */
  private vocabularyByLength = new Map<number, Map<string, number>>();
  private vocabulary = new Set<string>();
  private grid = new Map<number, number[]>();
  private byCouncilArea = new Map<string, number[]>();
  private byPartnership = new Map<string, number[]>();
  private byHealthBoard = new Map<string, number[]>();
  private scotlandWide: number[] = [];
  private ukWide: number[] = [];
  private deadCount = 0;

  get size(): number {
    return this.documents.length - this.deadCount;
  }

  has(id: string): boolean {
    return this.positionById.has(id);
  }

  ids(): IterableIterator<string> {
    return this.positionById.keys();
  }

  /** Adds or replaces services. Replaced entries are retired and swept out by compaction. */
  upsert(inputs: SearchDocumentInput[]): void {
    for (const input of inputs) {
      this.retire(input.id);
      this.add(input);
    }
  }

  remove(ids: Iterable<string>): void {
    for (const id of ids) this.retire(id);
  }

  /** True when so much of the index is retired entries that a rebuild would pay for itself. */
  needsCompaction(): boolean {
    return this.deadCount > 1000 && this.deadCount > this.documents.length * 0.2;
  }

  private retire(id: string): void {
    const position = this.positionById.get(id);
    if (position === undefined) return;
    this.documents[position]!.alive = false;
    this.positionById.delete(id);
    this.deadCount += 1;
  }

  private add(input: SearchDocumentInput): void {
    const position = this.documents.length;
    let dayMask = 0;
    for (const day of input.days) dayMask |= 1 << DAY_CODES.indexOf(day);
    const locations = new Float64Array(input.locations.length * 2);
    input.locations.forEach((location, index) => {
      locations[index * 2] = toRadians(location.latitude);
      locations[index * 2 + 1] = toRadians(location.longitude);
    });
    this.documents.push({
      id: input.id,
      name: input.name,
      nameKey: words(input.name).join(' '),
      organizationId: input.organizationId,
      organizationName: input.organizationName,
      summary: input.summary,
      status: input.status,
      categories: input.categories,
      clientGroups: input.clientGroups,
      minimumAge: input.minimumAge ?? 0,
      maximumAge: input.maximumAge ?? 200,
      accessRoutes: input.accessRoutes,
      deliveryModes: input.deliveryModes,
      free: input.free,
      dayMask,
      lastReviewedAt: input.lastReviewedAt ?? '',
      reviewDueAt: input.reviewDueAt,
      locations,
      coverage: input.coverage,
      alive: true,
    });
    this.positionById.set(input.id, position);

    const termWeights = new Map<string, number>();
    const addField = (text: string, weight: number) => {
      const counts = new Map<string, number>();
      for (const word of words(text)) {
        this.learnWord(word);
        const term = stem(word);
        counts.set(term, (counts.get(term) ?? 0) + 1);
      }
      for (const [term, count] of counts) {
        termWeights.set(term, (termWeights.get(term) ?? 0) + weight * (1 + Math.log(count)));
      }
    };
    addField(input.name, FIELD_WEIGHTS.name);
    addField(input.organizationName, FIELD_WEIGHTS.organization);
    addField([...input.categoryNames, ...input.clientGroupNames].join(' '), FIELD_WEIGHTS.taxonomy);
    addField(input.summary, FIELD_WEIGHTS.summary);
    addField(input.description, FIELD_WEIGHTS.description);
    for (const [term, weight] of termWeights) {
      let posting = this.postings.get(term);
      if (!posting) {
        posting = { docs: [], weights: [] };
        this.postings.set(term, posting);
      }
      posting.docs.push(position);
      posting.weights.push(weight);
    }

    const cells = new Set<number>();
    for (const location of input.locations) cells.add(cellKey(location.latitude, location.longitude));
    for (const cell of cells) pushTo(this.grid, cell, position);
    for (const area of input.coverage.councilAreas) pushTo(this.byCouncilArea, area, position);
    for (const area of input.coverage.partnerships) pushTo(this.byPartnership, area, position);
    for (const area of input.coverage.healthBoards) pushTo(this.byHealthBoard, area, position);
    if (input.coverage.scotland) this.scotlandWide.push(position);
    if (input.coverage.uk) this.ukWide.push(position);
  }

  private learnWord(word: string): void {
    if (this.vocabulary.has(word) || /\d/.test(word)) return;
    this.vocabulary.add(word);
    let bucket = this.vocabularyByLength.get(word.length);
    if (!bucket) {
      bucket = new Map();
      this.vocabularyByLength.set(word.length, bucket);
    }
    bucket.set(word, stem(word).length);
  }

  /** Vocabulary words a typo may have been meant as. */
  private corrections(word: string): string[] {
    const allowance = typoAllowance(word);
    if (allowance === 0) return [];
    const found: Array<{ word: string; distance: number }> = [];
    for (let length = word.length - allowance; length <= word.length + allowance; length += 1) {
      const bucket = this.vocabularyByLength.get(length);
      if (!bucket) continue;
      for (const candidate of bucket.keys()) {
        if (candidate === word) continue;
        const distance = editDistance(word, candidate, allowance);
        if (distance <= allowance) found.push({ word: candidate, distance });
      }
    }
    const best = Math.min(...found.map((entry) => entry.distance));
    // Only the closest corrections: two edits away is a guess when one edit away is on offer.
    return found.filter((entry) => entry.distance === best).map((entry) => entry.word);
  }

  /**
   * Scores of the services matching every query word, or undefined when there is no text to match.
   */
  private matchText(text: string | undefined, corrections: SearchOutcome['corrections']): Map<number, number> | undefined {
    if (!text) return undefined;
    const asTyped = this.matchWords(text, false, corrections);
    if (!asTyped || asTyped.size > 0) return asTyped;
    corrections.length = 0;
    return this.matchWords(text, true, corrections);
  }

  private matchWords(text: string, correctEnglishWords: boolean, corrections: SearchOutcome['corrections']): Map<number, number> | undefined {
    const queryWords = words(text);
    const meaningful = queryWords.filter((word) => !isStopWord(word));
    const used = meaningful.length > 0 ? meaningful : queryWords;
    if (used.length === 0) return undefined;
    const liveCount = Math.max(this.size, 1);
    let result: Map<number, number> | undefined;
    const distinctWords = [...new Set(used)];
    const candidateCorrections: Array<{ word: string; meant: string[] }> = [];
    for (const word of distinctWords) {
      const alternatives = new Map<string, number>([[stem(word), 1]]);
      // As typed, a word the directory or the dictionary knows is taken as meant. On the second try a
      // known word may be a typo too, but only beside other words that give it a context: a lone
      // "dental" finds nothing rather than mental health services.
      const knownWord = this.vocabulary.has(word) || isEnglishWord(word);
      const correctable = !/\d/.test(word) && (!knownWord || (correctEnglishWords && distinctWords.length > 1));
      if (correctable) {
        const meant = this.corrections(word);
        for (const correction of meant) {
          const term = stem(correction);
          if (!alternatives.has(term)) alternatives.set(term, TYPO_WEIGHT);
        }
        if (meant.length > 0) candidateCorrections.push({ word, meant });
      }
      const wordScores = new Map<number, number>();
      for (const [term, factor] of alternatives) {
        const posting = this.postings.get(term);
        if (!posting) continue;
        const idf = Math.log(1 + liveCount / posting.docs.length);
        for (let index = 0; index < posting.docs.length; index += 1) {
          const position = posting.docs[index]!;
          if (result && !result.has(position)) continue;
          if (!this.documents[position]!.alive) continue;
          const score = posting.weights[index]! * idf * factor;
          if (score > (wordScores.get(position) ?? 0)) wordScores.set(position, score);
        }
      }
      if (!result) {
        result = wordScores;
      } else {
        const narrowed = new Map<number, number>();
        for (const [position, score] of wordScores) narrowed.set(position, result.get(position)! + score);
        result = narrowed;
      }
      if (result.size === 0) break;
    }
    // Report only the corrections that found something, so that "Showing results for …" is true.
    for (const { word, meant } of candidateCorrections) {
      const contributing = meant.filter((correction) => {
        const posting = this.postings.get(stem(correction));
        return posting?.docs.some((position) => result?.has(position)) ?? false;
      });
      if (contributing.length > 0) corrections.push({ word, meant: contributing });
    }
    const phrase = used.join(' ');
    const fullPhrase = queryWords.join(' ');
    for (const [position, score] of result ?? []) {
      const nameKey = this.documents[position]!.nameKey;
      if (nameKey === fullPhrase || nameKey === phrase) result!.set(position, score + 50);
      else if (` ${nameKey} `.includes(` ${phrase} `)) result!.set(position, score + 10);
    }
    return result ?? new Map();
  }

  /** Where each service stands relative to the place: near (with its distance), covering its area, or national. */
  private matchPlace(place: SearchPlace, radiusMiles: number): Map<number, { kind: MatchKind; distance?: number; area?: string }> {
    const matches = new Map<number, { kind: MatchKind; distance?: number; area?: string }>();
    const latitude = toRadians(place.latitude);
    const longitude = toRadians(place.longitude);
    const latitudeSpan = radiusMiles / 69;
    const longitudeSpan = radiusMiles / (69 * Math.max(Math.cos(latitude), 0.05));
    const rowFrom = Math.floor((place.latitude - latitudeSpan + 90) / CELL_DEGREES);
    const rowTo = Math.floor((place.latitude + latitudeSpan + 90) / CELL_DEGREES);
    const columnFrom = Math.floor((place.longitude - longitudeSpan + 180) / CELL_DEGREES);
    const columnTo = Math.floor((place.longitude + longitudeSpan + 180) / CELL_DEGREES);
    for (let row = rowFrom; row <= rowTo; row += 1) {
      for (let column = columnFrom; column <= columnTo; column += 1) {
        for (const position of this.grid.get(row * 3600 + column) ?? []) {
          const document = this.documents[position]!;
          if (!document.alive || matches.has(position)) continue;
          let nearest = Infinity;
          for (let index = 0; index < document.locations.length; index += 2) {
            const distance = haversineMiles(latitude, longitude, document.locations[index]!, document.locations[index + 1]!);
            if (distance < nearest) nearest = distance;
          }
          if (nearest <= radiusMiles) matches.set(position, { kind: 'near', distance: nearest });
        }
      }
    }
    const addArea = (positions: number[] | undefined, area: string) => {
      for (const position of positions ?? []) {
        if (!matches.has(position) && this.documents[position]!.alive) matches.set(position, { kind: 'covers_area', area });
      }
    };
    if (place.councilArea) addArea(this.byCouncilArea.get(place.councilArea), place.councilArea);
    if (place.partnership) addArea(this.byPartnership.get(place.partnership), place.partnership);
    if (place.healthBoard) addArea(this.byHealthBoard.get(place.healthBoard), place.healthBoard);
    const national = place.country === 'SCT' ? [...this.scotlandWide, ...this.ukWide] : this.ukWide;
    for (const position of national) {
      if (!matches.has(position) && this.documents[position]!.alive) matches.set(position, { kind: 'national' });
    }
    return matches;
  }

  search(query: SearchQuery): SearchOutcome {
    const corrections: SearchOutcome['corrections'] = [];
    const radius = query.radiusMiles ?? 10;
    const textScores = this.matchText(query.text, corrections);
    const placeMatches = query.place ? this.matchPlace(query.place, radius) : undefined;

    let candidates: Iterable<number>;
    if (textScores && placeMatches) {
      const [smaller, larger] = textScores.size < placeMatches.size ? [textScores, placeMatches] : [placeMatches, textScores];
      candidates = [...smaller.keys()].filter((position) => larger.has(position));
    } else if (textScores) {
      candidates = textScores.keys();
    } else if (placeMatches) {
      candidates = placeMatches.keys();
    } else {
      candidates = this.positionById.values();
    }

    const filters = query.filters ?? {};
    const facets: FacetCounts = { category: {}, client_group: {}, access: {}, mode: {}, free: { true: 0, false: 0 }, day: {} };
    const passing: number[] = [];
    const categoryFilter = filters.categories?.length ? new Set(filters.categories) : undefined;
    const clientGroupFilter = filters.clientGroups?.length ? new Set(filters.clientGroups) : undefined;
    const accessFilter = filters.access?.length ? new Set(filters.access) : undefined;
    const modeFilter = filters.modes?.length ? new Set(filters.modes) : undefined;
    let dayFilterMask = 0;
    for (const day of filters.days ?? []) dayFilterMask |= 1 << DAY_CODES.indexOf(day);
    const anyOf = (values: string[], wanted: Set<string> | undefined) => !wanted || values.some((value) => wanted.has(value));

    for (const position of candidates) {
      const document = this.documents[position]!;
      let mask = 0;
      if (anyOf(document.categories, categoryFilter)) mask |= DIMENSION.category;
      if (anyOf(document.clientGroups, clientGroupFilter)) mask |= DIMENSION.client_group;
      if (filters.age === undefined || (document.minimumAge <= filters.age && filters.age <= document.maximumAge)) mask |= DIMENSION.age;
      if (anyOf(document.accessRoutes, accessFilter)) mask |= DIMENSION.access;
      if (filters.free === undefined || document.free === filters.free) mask |= DIMENSION.free;
      if (anyOf(document.deliveryModes, modeFilter)) mask |= DIMENSION.mode;
      if (dayFilterMask === 0 || (document.dayMask & dayFilterMask) !== 0) mask |= DIMENSION.day;

      // A facet's counts apply every other filter but not its own, so choosing "free" still shows
      // how many services charge.
      if (mask === ALL_DIMENSIONS) passing.push(position);
      if ((mask | DIMENSION.category) === ALL_DIMENSIONS) for (const code of document.categories) facets.category[code] = (facets.category[code] ?? 0) + 1;
      if ((mask | DIMENSION.client_group) === ALL_DIMENSIONS) for (const code of document.clientGroups) facets.client_group[code] = (facets.client_group[code] ?? 0) + 1;
      if ((mask | DIMENSION.access) === ALL_DIMENSIONS) for (const route of document.accessRoutes) facets.access[route] = (facets.access[route] ?? 0) + 1;
      if ((mask | DIMENSION.mode) === ALL_DIMENSIONS) for (const mode of document.deliveryModes) facets.mode[mode] = (facets.mode[mode] ?? 0) + 1;
      if ((mask | DIMENSION.free) === ALL_DIMENSIONS) facets.free[document.free ? 'true' : 'false'] += 1;
      if ((mask | DIMENSION.day) === ALL_DIMENSIONS && document.dayMask !== 0) {
        for (let day = 0; day < 7; day += 1) {
          if (document.dayMask & (1 << day)) facets.day[DAY_CODES[day]!] = (facets.day[DAY_CODES[day]!] ?? 0) + 1;
        }
      }
    }

    const scoreOf = (position: number): number => {
      const document = this.documents[position]!;
      let score = textScores ? textScores.get(position)! : 1;
      const placeMatch = placeMatches?.get(position);
      if (placeMatch) {
        if (placeMatch.kind === 'near') score *= 1 - 0.3 * ((placeMatch.distance ?? 0) / radius);
        else if (placeMatch.kind === 'covers_area') score *= 0.85;
        else score *= 0.75;
      }
      if (document.reviewDueAt !== null && document.reviewDueAt < query.today) score *= 0.8;
      if (document.status === 'temporarily closed') score *= 0.9;
      return score;
    };
    const distanceOf = (position: number) => placeMatches?.get(position)?.distance ?? Infinity;
    const byTieBreak = (a: number, b: number) => {
      const distance = distanceOf(a) - distanceOf(b);
      if (distance !== 0 && !Number.isNaN(distance)) return distance;
      const reviewed = this.documents[b]!.lastReviewedAt.localeCompare(this.documents[a]!.lastReviewedAt);
      if (reviewed !== 0) return reviewed;
      return this.documents[a]!.name.localeCompare(this.documents[b]!.name, 'en-GB');
    };

    const sort = query.sort ?? 'relevance';
    const perPage = query.perPage ?? 20;
    const page = query.page ?? 1;
    const wanted = page * perPage;
    const scores = new Map<number, number>();
    let compare: (a: number, b: number) => number;
    if (sort === 'relevance') {
      for (const position of passing) scores.set(position, roundScore(scoreOf(position)));
      compare = (a, b) => scores.get(b)! - scores.get(a)! || byTieBreak(a, b);
    } else if (sort === 'distance') {
      compare = (a, b) => {
        const kindOrder = matchRank(placeMatches?.get(a)?.kind) - matchRank(placeMatches?.get(b)?.kind);
        return kindOrder || byTieBreak(a, b);
      };
    } else if (sort === 'reviewed') {
      compare = (a, b) => this.documents[b]!.lastReviewedAt.localeCompare(this.documents[a]!.lastReviewedAt) || this.documents[a]!.name.localeCompare(this.documents[b]!.name, 'en-GB');
    } else {
      compare = (a, b) => this.documents[a]!.name.localeCompare(this.documents[b]!.name, 'en-GB') || a - b;
    }
    const top = selectTop(passing, wanted, compare).slice((page - 1) * perPage, wanted);

    const hits = top.map((position): SearchHit => {
      const document = this.documents[position]!;
      const placeMatch = placeMatches?.get(position);
      return {
        id: document.id,
        name: document.name,
        organization: { id: document.organizationId, name: document.organizationName },
        summary: document.summary,
        status: document.status,
        score: scores.get(position) ?? roundScore(scoreOf(position)),
        ...(placeMatch ? { match: placeMatch.kind } : {}),
        ...(placeMatch?.distance !== undefined ? { distanceMiles: Math.round(placeMatch.distance * 10) / 10 } : {}),
        ...(placeMatch?.area ? { coveredArea: placeMatch.area } : {}),
        lastReviewedAt: document.lastReviewedAt || null,
        reviewOverdue: document.reviewDueAt !== null && document.reviewDueAt < query.today,
        ...(placeMatch?.kind === 'national' ? { nationalScope: document.coverage.uk ? ('uk' as const) : ('scotland' as const) } : {}),
        helpline: document.locations.length === 0 && document.deliveryModes.includes('phone'),
      };
    });
    return { total: passing.length, hits, facets, corrections };
  }
}

function pushTo<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function matchRank(kind: MatchKind | undefined): number {
  return kind === 'near' ? 0 : kind === 'covers_area' ? 1 : kind === 'national' ? 2 : 3;
}

/** Scores equal to four significant figures count as equal, so that ties fall to distance. */
function roundScore(score: number): number {
  if (score === 0) return 0;
  const magnitude = 10 ** (3 - Math.floor(Math.log10(Math.abs(score))));
  return Math.round(score * magnitude) / magnitude;
}

/**
 * The first `count` items in order without sorting them all: a broad query at a million services
 * matches hundreds of thousands, and only a page of them is shown.
 */
function selectTop(items: number[], count: number, compare: (a: number, b: number) => number): number[] {
  if (items.length <= count * 4 || count > 2000) return [...items].sort(compare).slice(0, count);
  // A max-heap (worst item on top) of the best `count` seen so far.
  const heap: number[] = [];
  const worse = (a: number, b: number) => compare(a, b) > 0;
  const siftUp = (index: number) => {
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!worse(heap[index]!, heap[parent]!)) break;
      [heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
      index = parent;
    }
  };
  const siftDown = (index: number) => {
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let largest = index;
      if (left < heap.length && worse(heap[left]!, heap[largest]!)) largest = left;
      if (right < heap.length && worse(heap[right]!, heap[largest]!)) largest = right;
      if (largest === index) break;
      [heap[index], heap[largest]] = [heap[largest]!, heap[index]!];
      index = largest;
    }
  };
  for (const item of items) {
    if (heap.length < count) {
      heap.push(item);
      siftUp(heap.length - 1);
    } else if (compare(item, heap[0]!) < 0) {
      heap[0] = item;
      siftDown(0);
    }
  }
  return heap.sort(compare);
}


import { LRUCache } from 'lru-cache';
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

/**
 * The text a result shows; everything a query filters or ranks on lives in typed columns instead,
 * and so do status, review date and reach (rebuilt for the twenty results a page shows). At a million
 * services every object kept per service is a million more for the garbage collector to trace.
 */
interface StoredDocument {
  id: string;
  name: string;
  nameKey: string;
  /** Shared by every service of the organisation. */
  organization: { id: string; name: string };
  summary: string;
}

interface Posting {
  docs: number[];
  weights: number[];
  /** 1 where the word is in the service's name, for the name bonus. */
  inName: number[];
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

/** sin² of half the angle a distance subtends: a haversine term at or below it is within that distance. */
function haversineLimit(miles: number): number {
  return Math.sin(Math.min(miles / (2 * EARTH_RADIUS_MILES), Math.PI / 2)) ** 2;
}

function cellKey(latitude: number, longitude: number): number {
  // Degrees in, an integer key out: rows of 3,600 cells cover every longitude.
  return Math.floor((latitude + 90) / CELL_DEGREES) * 3600 + Math.floor((longitude + 180) / CELL_DEGREES);
}

/** Bits of the filter mask: a document passes a dimension when its bit is set. */
const DIMENSION = { category: 1, client_group: 2, age: 4, access: 8, free: 16, mode: 32, day: 64 } as const;
const ALL_DIMENSIONS = 127;
const ACCESS_BITS = ['self_referral', 'professional_referral', 'drop_in', 'phone', 'online'] as const;
const MODE_BITS = ['in_person', 'phone', 'online'] as const;
const PLACE_NEAR = 1;
const PLACE_AREA = 2;
const PLACE_NATIONAL = 3;
const MS_PER_DAY = 86_400_000;

function bitsOf(values: readonly string[], names: readonly string[]): number {
  let mask = 0;
  for (const value of values) {
    const bit = names.indexOf(value);
    if (bit >= 0) mask |= 1 << bit;
  }
  return mask;
}

function dayNumber(date: string | null): number {
  return date ? Math.floor(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / MS_PER_DAY) : -1;
}

/** Typed columns that grow by doubling, so a million services cost a few megabytes, not objects. */
class Column<T extends Uint8Array | Int32Array | Float64Array> {
  values: T;
  constructor(private readonly make: (size: number) => T) {
    this.values = make(1024);
  }
  ensure(size: number): void {
    if (size <= this.values.length) return;
    let capacity = this.values.length;
    while (capacity < size) capacity *= 2;
    const grown = this.make(capacity);
    grown.set(this.values as never);
    this.values = grown;
  }
}

/**
 * A list of positions in a buffer kept from query to query: broad queries list tens of thousands of
 * services, and fresh arrays of that size cost more in garbage collection than the search itself.
 */
class PositionList {
  values = new Int32Array(1024);
  length = 0;
  /** Empties the list, making room for `capacity` positions. */
  reset(capacity: number): this {
    if (capacity > this.values.length) this.values = new Int32Array(Math.max(capacity, this.values.length * 2));
    this.length = 0;
    return this;
  }
  push(position: number): void {
    this.values[this.length++] = position;
  }
}

/** Small dictionaries from codes to numbers, so facets count into arrays rather than objects. */
class Codes {
  private numbers = new Map<string, number>();
  readonly codes: string[] = [];
  number(code: string): number {
    let value = this.numbers.get(code);
    if (value === undefined) {
      value = this.codes.length;
      this.codes.push(code);
      this.numbers.set(code, value);
    }
    return value;
  }
  find(code: string): number | undefined {
    return this.numbers.get(code);
  }
}

/**
 * The index keeps what queries filter and rank on in typed columns indexed by position, and marks
 * per-query state with generation stamps instead of clearing arrays: a broad query over a million
 * services touches each candidate a handful of times and allocates almost nothing.
 */
export interface SearchIndexOptions {
  /** Outcomes of recent distinct searches kept until the index changes (0: none). */
  cacheEntries?: number;
}

/** How many results of a search the cache keeps: the first five pages of twenty. */
const CACHED_RESULTS = 100;

/** Revisions are unique across every index of this process, so a new index never repeats an old one's. */
let nextRevision = 1;

export class SearchIndex {
  /** Changes whenever what any search would answer changes: answers kept under it stay true while it holds. */
  revision = nextRevision++;

  /**
   * Recent outcomes by query, most recently used last. Professionals repeat a small set of searches
   * (a need near their practice) far more often than the directory changes, and any change to the
   * index empties this, so a cached answer is always the answer the index would give now.
   */
  private readonly cache: LRUCache<string, SearchOutcome> | undefined;

  constructor(options: SearchIndexOptions = {}) {
    if (options.cacheEntries) this.cache = new LRUCache({ max: options.cacheEntries });
  }

  private documents: StoredDocument[] = [];
  private positionById = new Map<string, number>();
  private postings = new Map<string, Posting>();
  /** Surface words of the directory, by length, for typo correction. */
  private vocabularyByLength = new Map<number, Set<string>>();
  private vocabulary = new Set<string>();
  private grid = new Map<number, number[]>();
  private byCouncilArea = new Map<string, number[]>();
  private byPartnership = new Map<string, number[]>();
  private byHealthBoard = new Map<string, number[]>();
  private scotlandWide: number[] = [];
  private ukWide: number[] = [];
  private deadCount = 0;
  /** One organisation object per id and name, shared by its services' documents and results. */
  private organizations = new Map<string, { id: string; name: string }>();
  private readonly categoryCodes = new Codes();
  private readonly clientGroupCodes = new Codes();

  private readonly alive = new Column((size) => new Uint8Array(size));
  private readonly accessMask = new Column((size) => new Uint8Array(size));
  private readonly modeMask = new Column((size) => new Uint8Array(size));
  private readonly dayMask = new Column((size) => new Uint8Array(size));
  private readonly free = new Column((size) => new Uint8Array(size));
  private readonly closed = new Column((size) => new Uint8Array(size));
  /** 1 where the service reaches the whole UK (for national matches: "available across the UK"). */
  private readonly reachesUk = new Column((size) => new Uint8Array(size));
  private readonly minimumAge = new Column((size) => new Uint8Array(size));
  private readonly maximumAge = new Column((size) => new Uint8Array(size));
  private readonly reviewDueDay = new Column((size) => new Int32Array(size));
  private readonly reviewedDay = new Column((size) => new Int32Array(size));
  /**
   * Each service's category numbers then client group numbers, side by side in one pool, so the hot
   * loop reads consecutive memory instead of following a pointer per service.
   */
  private readonly termPool = new Column((size) => new Int32Array(size));
  private termPoolLength = 0;
  private readonly termStart = new Column((size) => new Int32Array(size));
  private readonly categoryCount = new Column((size) => new Uint8Array(size));
  private readonly groupCount = new Column((size) => new Uint8Array(size));
  /** Each service's locations as latitude, longitude (radians) and cos(latitude), three to a location. */
  private readonly locationPool = new Column((size) => new Float64Array(size));
  private locationPoolLength = 0;
  private readonly locationStart = new Column((size) => new Int32Array(size));
  private readonly locationCount = new Column((size) => new Int32Array(size));
  /** Position in A–Z order of name, computed when a query needs it after a change. */
  private nameRank = new Int32Array(0);
  /** Every position in A–Z order of name; retired ones stay in it (they are never candidates). */
  private nameOrder: Int32Array<ArrayBuffer> = new Int32Array(0);
  private readonly collator = new Intl.Collator('en-GB');

  // Per-query scratch space, valid where the stamp equals the current generation.
  private generation = 0;
  private readonly stamp = new Column((size) => new Int32Array(size));
  private readonly score = new Column((size) => new Float64Array(size));
  private readonly wordScore = new Column((size) => new Float64Array(size));
  private readonly nameWords = new Column((size) => new Int32Array(size));
  private readonly placeStamp = new Column((size) => new Int32Array(size));
  private readonly placeKind = new Column((size) => new Uint8Array(size));
  private readonly placeDistance = new Column((size) => new Float64Array(size));
  private readonly placeArea: Array<string | undefined> = [];
  private readonly textList = new PositionList();
  private readonly roundList = new PositionList();
  private readonly placeList = new PositionList();
  private readonly candidateList = new PositionList();
  private readonly passingList = new PositionList();

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
    if (inputs.length > 0) this.changed();
    for (const input of inputs) {
      this.retire(input.id);
      this.add(input);
    }
  }

  remove(ids: Iterable<string>): void {
    let removed = false;
    for (const id of ids) removed = this.retire(id) || removed;
    if (removed) this.changed();
  }

  /** True when so much of the index is retired entries that a rebuild would pay for itself. */
  needsCompaction(): boolean {
    return this.deadCount > 1000 && this.deadCount > this.documents.length * 0.2;
  }

  private changed(): void {
    this.cache?.clear();
    this.revision = nextRevision++;
  }

  /** Takes a service out of every answer (its callers mark the index changed); false when it was not in. */
  private retire(id: string): boolean {
    const position = this.positionById.get(id);
    if (position === undefined) return false;
    this.alive.values[position] = 0;
    this.positionById.delete(id);
    this.deadCount += 1;
    return true;
  }

  private add(input: SearchDocumentInput): void {
    const position = this.documents.length;
    for (const column of [this.alive, this.accessMask, this.modeMask, this.dayMask, this.free, this.closed, this.reachesUk, this.minimumAge, this.maximumAge, this.reviewDueDay, this.reviewedDay, this.termStart, this.categoryCount, this.groupCount, this.locationStart, this.locationCount, this.stamp, this.score, this.wordScore, this.nameWords, this.placeStamp, this.placeKind, this.placeDistance] as Array<Column<Uint8Array | Int32Array | Float64Array>>) {
      column.ensure(position + 1);
    }
    this.locationPool.ensure(this.locationPoolLength + input.locations.length * 3);
    this.locationStart.values[position] = this.locationPoolLength;
    this.locationCount.values[position] = input.locations.length;
    for (const location of input.locations) {
      const latitude = toRadians(location.latitude);
      this.locationPool.values[this.locationPoolLength++] = latitude;
      this.locationPool.values[this.locationPoolLength++] = toRadians(location.longitude);
      this.locationPool.values[this.locationPoolLength++] = Math.cos(latitude);
    }
    const organizationKey = `${input.organizationId}\u0000${input.organizationName}`;
    let organization = this.organizations.get(organizationKey);
    if (!organization) {
      organization = { id: input.organizationId, name: input.organizationName };
      this.organizations.set(organizationKey, organization);
    }
    this.documents.push({ id: input.id, name: input.name, nameKey: words(input.name).join(' '), organization, summary: input.summary });
    this.positionById.set(input.id, position);
    this.alive.values[position] = 1;
    this.accessMask.values[position] = bitsOf(input.accessRoutes, ACCESS_BITS);
    this.modeMask.values[position] = bitsOf(input.deliveryModes, MODE_BITS);
    this.dayMask.values[position] = bitsOf(input.days, DAY_CODES);
    this.free.values[position] = input.free ? 1 : 0;
    this.closed.values[position] = input.status === 'temporarily closed' ? 1 : 0;
    this.reachesUk.values[position] = input.coverage.uk ? 1 : 0;
    this.minimumAge.values[position] = Math.min(input.minimumAge ?? 0, 255);
    this.maximumAge.values[position] = Math.min(input.maximumAge ?? 255, 255);
    this.reviewDueDay.values[position] = dayNumber(input.reviewDueAt);
    this.reviewedDay.values[position] = dayNumber(input.lastReviewedAt);
    this.termPool.ensure(this.termPoolLength + input.categories.length + input.clientGroups.length);
    this.termStart.values[position] = this.termPoolLength;
    this.categoryCount.values[position] = input.categories.length;
    this.groupCount.values[position] = input.clientGroups.length;
    for (const code of input.categories) this.termPool.values[this.termPoolLength++] = this.categoryCodes.number(code);
    for (const code of input.clientGroups) this.termPool.values[this.termPoolLength++] = this.clientGroupCodes.number(code);
    this.stamp.values[position] = 0;
    this.placeStamp.values[position] = 0;
    this.placeArea[position] = undefined;

    const termWeights = new Map<string, number>();
    const nameTerms = new Set<string>();
    const addField = (text: string, weight: number, isName = false) => {
      const counts = new Map<string, number>();
      for (const word of words(text)) {
        this.learnWord(word);
        const term = stem(word);
        counts.set(term, (counts.get(term) ?? 0) + 1);
        if (isName) nameTerms.add(term);
      }
      for (const [term, count] of counts) {
        termWeights.set(term, (termWeights.get(term) ?? 0) + weight * (1 + Math.log(count)));
      }
    };
    addField(input.name, FIELD_WEIGHTS.name, true);
    addField(input.organizationName, FIELD_WEIGHTS.organization);
    addField([...input.categoryNames, ...input.clientGroupNames].join(' '), FIELD_WEIGHTS.taxonomy);
    addField(input.summary, FIELD_WEIGHTS.summary);
    addField(input.description, FIELD_WEIGHTS.description);
    for (const [term, weight] of termWeights) {
      let posting = this.postings.get(term);
      if (!posting) {
        posting = { docs: [], weights: [], inName: [] };
        this.postings.set(term, posting);
      }
      posting.docs.push(position);
      posting.weights.push(weight);
      posting.inName.push(nameTerms.has(term) ? 1 : 0);
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
      bucket = new Set();
      this.vocabularyByLength.set(word.length, bucket);
    }
    bucket.add(word);
  }

  /** Vocabulary words a typo may have been meant as. */
  private corrections(word: string): string[] {
    const allowance = typoAllowance(word);
    if (allowance === 0) return [];
    const found: Array<{ word: string; distance: number }> = [];
    for (let length = word.length - allowance; length <= word.length + allowance; length += 1) {
      for (const candidate of this.vocabularyByLength.get(length) ?? []) {
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
   * Positions of the services matching every query word, with their text scores in `score`, or
   * undefined when there is no text to match.
   */
  private matchText(text: string | undefined, corrections: SearchOutcome['corrections']): PositionList | undefined {
    if (!text) return undefined;
    const asTyped = this.matchWords(text, false, corrections);
    if (!asTyped || asTyped.length > 0) return asTyped;
    corrections.length = 0;
    return this.matchWords(text, true, corrections);
  }

  private matchWords(text: string, correctEnglishWords: boolean, corrections: SearchOutcome['corrections']): PositionList | undefined {
    const queryWords = words(text);
    const meaningful = queryWords.filter((word) => !isStopWord(word));
    const used = meaningful.length > 0 ? meaningful : queryWords;
    if (used.length === 0) return undefined;
    const liveCount = Math.max(this.size, 1);
    const distinctWords = [...new Set(used)];
    const candidateCorrections: Array<{ word: string; meant: string[] }> = [];

    // Each word's alternatives (its own stem, and typo corrections at a lower weight).
    const perWord = distinctWords.map((word) => {
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
      const postings = [...alternatives].flatMap(([term, factor]) => {
        const posting = this.postings.get(term);
        return posting ? [{ posting, factor, idf: Math.log(1 + liveCount / posting.docs.length) }] : [];
      });
      return { postings, size: postings.reduce((sum, entry) => sum + entry.posting.docs.length, 0) };
    });
    // The rarest word first: every later word only narrows what it found.
    perWord.sort((a, b) => a.size - b.size);

    const alive = this.alive.values;
    const stamp = this.stamp.values;
    const score = this.score.values;
    const wordScore = this.wordScore.values;
    const nameWords = this.nameWords.values;
    // Each round lists what survives into one buffer while reading the other's stamps.
    let candidates = this.textList.reset(0);
    let spare = this.roundList;
    let previous = 0;
    for (let round = 0; round < perWord.length; round += 1) {
      const current = ++this.generation;
      const next = spare.reset(round === 0 ? perWord[round]!.size : candidates.length);
      for (const { posting, factor, idf } of perWord[round]!.postings) {
        const { docs, weights, inName } = posting;
        for (let index = 0; index < docs.length; index += 1) {
          const position = docs[index]!;
          if (alive[position] === 0) continue;
          const value = weights[index]! * idf * factor;
          const mark = stamp[position]!;
          if (round === 0 ? mark !== current : mark === previous) {
            // First sight of this service in this round.
            stamp[position] = current;
            wordScore[position] = value;
            if (round === 0) {
              score[position] = 0;
              nameWords[position] = 0;
            }
            nameWords[position] = nameWords[position]! + inName[index]!;
            next.push(position);
          } else if (mark === current) {
            if (value > wordScore[position]!) wordScore[position] = value;
          }
        }
      }
      const nextValues = next.values;
      for (let index = 0; index < next.length; index += 1) {
        const position = nextValues[index]!;
        score[position] = score[position]! + wordScore[position]!;
      }
      spare = candidates;
      candidates = next;
      previous = current;
      if (candidates.length === 0) break;
    }
    // Report only the corrections that found something, so that "Showing results for …" is true.
    for (const { word, meant } of candidateCorrections) {
      const contributing = meant.filter((correction) => {
        const posting = this.postings.get(stem(correction));
        return posting?.docs.some((position) => stamp[position] === previous) ?? false;
      });
      if (contributing.length > 0) corrections.push({ word, meant: contributing });
    }
    // The name bonus needs every word in the name, which most candidates of a broad query lack.
    const phrase = used.join(' ');
    const fullPhrase = queryWords.join(' ');
    const candidateValues = candidates.values;
    for (let index = 0; index < candidates.length; index += 1) {
      const position = candidateValues[index]!;
      if (nameWords[position]! < perWord.length) continue;
      const nameKey = this.documents[position]!.nameKey;
      if (nameKey === fullPhrase || nameKey === phrase) score[position] = score[position]! + 50;
      else if (` ${nameKey} `.includes(` ${phrase} `)) score[position] = score[position]! + 10;
    }
    return candidates;
  }

  /**
   * Where each service stands relative to the place: near (with its distance), covering its area,
   * or national. Marks them in the place columns under a new generation and returns their positions.
   */
  private matchPlace(place: SearchPlace, radiusMiles: number): { positions: PositionList; generation: number } {
    const generation = ++this.generation;
    const positions = this.placeList.reset(this.documents.length);
    const alive = this.alive.values;
    const placeStamp = this.placeStamp.values;
    const placeKind = this.placeKind.values;
    const placeDistance = this.placeDistance.values;
    const latitude = toRadians(place.latitude);
    const longitude = toRadians(place.longitude);
    const cosLatitude = Math.cos(latitude);
    const within = haversineLimit(radiusMiles);
    const pool = this.locationPool.values;
    const locationStart = this.locationStart.values;
    const locationCount = this.locationCount.values;
    const latitudeSpan = radiusMiles / 69;
    const longitudeSpan = radiusMiles / (69 * Math.max(Math.cos(latitude), 0.05));
    const rowFrom = Math.floor((place.latitude - latitudeSpan + 90) / CELL_DEGREES);
    const rowTo = Math.floor((place.latitude + latitudeSpan + 90) / CELL_DEGREES);
    const columnFrom = Math.floor((place.longitude - longitudeSpan + 180) / CELL_DEGREES);
    const columnTo = Math.floor((place.longitude + longitudeSpan + 180) / CELL_DEGREES);
    for (let row = rowFrom; row <= rowTo; row += 1) {
      for (let column = columnFrom; column <= columnTo; column += 1) {
        for (const position of this.grid.get(row * 3600 + column) ?? []) {
          if (alive[position] === 0 || placeStamp[position] === generation) continue;
          // The haversine term grows with distance, so the nearest location is the one with the
          // smallest term, and only that one needs the inverse sine.
          let nearest = Infinity;
          const from = locationStart[position]!;
          const to = from + locationCount[position]! * 3;
          for (let index = from; index < to; index += 3) {
            const halfLatitude = Math.sin((pool[index]! - latitude) / 2);
            const halfLongitude = Math.sin((pool[index + 1]! - longitude) / 2);
            const term = halfLatitude * halfLatitude + cosLatitude * pool[index + 2]! * halfLongitude * halfLongitude;
            if (term < nearest) nearest = term;
          }
          if (nearest <= within) {
            placeStamp[position] = generation;
            placeKind[position] = PLACE_NEAR;
            placeDistance[position] = 2 * EARTH_RADIUS_MILES * Math.asin(Math.min(1, Math.sqrt(nearest)));
            positions.push(position);
          }
        }
      }
    }
    const mark = (list: number[] | undefined, kind: number, area?: string) => {
      for (const position of list ?? []) {
        if (alive[position] === 0 || placeStamp[position] === generation) continue;
        placeStamp[position] = generation;
        placeKind[position] = kind;
        placeDistance[position] = Infinity;
        this.placeArea[position] = area;
        positions.push(position);
      }
    };
    if (place.councilArea) mark(this.byCouncilArea.get(place.councilArea), PLACE_AREA, place.councilArea);
    if (place.partnership) mark(this.byPartnership.get(place.partnership), PLACE_AREA, place.partnership);
    if (place.healthBoard) mark(this.byHealthBoard.get(place.healthBoard), PLACE_AREA, place.healthBoard);
    if (place.country === 'SCT') mark(this.scotlandWide, PLACE_NATIONAL);
    mark(this.ukWide, PLACE_NATIONAL);
    return { positions, generation };
  }

  /**
   * Brings the A–Z order up to date with the services added since it was last needed. A change
   * appends its services (replaced entries are retired, not overwritten), so after an edit only the
   * new names need places: each finds its own by binary search (about 20 comparisons at a million)
   * and the rest of the order is copied across. Sorting a million names again took seconds, and
   * the first search after every edit would have waited for it.
   */
  private refreshNameRank(): void {
    const sorted = this.nameOrder.length;
    const total = this.documents.length;
    if (sorted === total) return;
    const documents = this.documents;
    const byName = (a: number, b: number) => this.collator.compare(documents[a]!.name, documents[b]!.name) || a - b;
    let order: Int32Array<ArrayBuffer>;
    if (total - sorted > sorted / 8) {
      order = new Int32Array(total);
      for (let position = 0; position < total; position += 1) order[position] = position;
      order.sort(byName);
    } else {
      const added = Array.from({ length: total - sorted }, (_, index) => sorted + index).sort(byName);
      const previous = this.nameOrder;
      order = new Int32Array(total);
      let from = 0;
      let to = 0;
      for (const position of added) {
        let low = from;
        let high = sorted;
        while (low < high) {
          const middle = (low + high) >>> 1;
          if (byName(previous[middle]!, position) < 0) low = middle + 1;
          else high = middle;
        }
        order.set(previous.subarray(from, low), to);
        to += low - from;
        from = low;
        order[to++] = position;
      }
      order.set(previous.subarray(from), to);
    }
    const rank = new Int32Array(total);
    for (let index = 0; index < total; index += 1) rank[order[index]!] = index;
    this.nameOrder = order;
    this.nameRank = rank;
  }

  search(query: SearchQuery): SearchOutcome {
    const perPage = query.perPage ?? 20;
    const page = query.page ?? 1;
    if (!this.cache) return this.run(query, page, perPage);
    const key = cacheKey(query);
    const end = page * perPage;
    let outcome = this.cache.get(key);
    if (!outcome || (end > outcome.hits.length && outcome.hits.length < outcome.total)) {
      // A page beyond the cached results is computed on its own and not kept.
      if (end > CACHED_RESULTS) return this.run(query, page, perPage);
      outcome = this.run(query, 1, CACHED_RESULTS);
      this.cache.set(key, outcome);
    }
    return { ...outcome, hits: outcome.hits.slice((page - 1) * perPage, end) };
  }

  private run(query: SearchQuery, page: number, perPage: number): SearchOutcome {
    const corrections: SearchOutcome['corrections'] = [];
    const radius = query.radiusMiles ?? 10;
    const textMatches = this.matchText(query.text, corrections);
    const placeMatches = query.place ? this.matchPlace(query.place, radius) : undefined;
    const placeStamp = this.placeStamp.values;

    let candidates: PositionList;
    if (textMatches && placeMatches) {
      candidates = this.candidateList.reset(textMatches.length);
      const textValues = textMatches.values;
      for (let index = 0; index < textMatches.length; index += 1) {
        const position = textValues[index]!;
        if (placeStamp[position] === placeMatches.generation) candidates.push(position);
      }
    } else if (textMatches) candidates = textMatches;
    else if (placeMatches) candidates = placeMatches.positions;
    else {
      candidates = this.candidateList.reset(this.documents.length);
      const alive = this.alive.values;
      for (let position = 0; position < this.documents.length; position += 1) if (alive[position] === 1) candidates.push(position);
    }

    // Filters as numbers and lookup tables, so the loop below reads only typed arrays.
    const filters = query.filters ?? {};
    const wantedCategories = new Uint8Array(this.categoryCodes.codes.length);
    let categoryFilter = false;
    for (const code of filters.categories ?? []) {
      categoryFilter = true;
      const number = this.categoryCodes.find(code);
      if (number !== undefined) wantedCategories[number] = 1;
    }
    const wantedGroups = new Uint8Array(this.clientGroupCodes.codes.length);
    let groupFilter = false;
    for (const code of filters.clientGroups ?? []) {
      groupFilter = true;
      const number = this.clientGroupCodes.find(code);
      if (number !== undefined) wantedGroups[number] = 1;
    }
    const accessFilter = bitsOf(filters.access ?? [], ACCESS_BITS);
    const modeFilter = bitsOf(filters.modes ?? [], MODE_BITS);
    const dayFilter = bitsOf(filters.days ?? [], DAY_CODES);
    const age = filters.age;
    const ageFilter = age !== undefined;
    const freeFilter = filters.free === undefined ? -1 : filters.free ? 1 : 0;

    // Access routes, delivery modes and days are counted by their whole bit pattern (a few dozen
    // patterns at most) and split into one count per bit after the loop.
    const categoryCounts = new Int32Array(this.categoryCodes.codes.length);
    const groupCounts = new Int32Array(this.clientGroupCodes.codes.length);
    const accessPatterns = new Int32Array(1 << ACCESS_BITS.length);
    const modePatterns = new Int32Array(1 << MODE_BITS.length);
    const dayPatterns = new Int32Array(1 << DAY_CODES.length);
    const freeCounts = new Int32Array(2);
    const passing = this.passingList.reset(candidates.length);
    const accessMask = this.accessMask.values;
    const modeMask = this.modeMask.values;
    const dayMask = this.dayMask.values;
    const free = this.free.values;
    const minimumAge = this.minimumAge.values;
    const maximumAge = this.maximumAge.values;

    const sort = query.sort ?? 'relevance';
    const today = dayNumber(query.today);
    const reviewDueDay = this.reviewDueDay.values;
    const reviewedDay = this.reviewedDay.values;
    const closed = this.closed.values;
    const placeKind = this.placeKind.values;
    const placeDistance = this.placeDistance.values;
    const textScore = this.score.values;
    // wordScore is free again once text matching is done: it now holds each passing service's final score.
    const finalScore = this.wordScore.values;
    const overdue = (position: number) => reviewDueDay[position]! !== -1 && reviewDueDay[position]! < today;
    const scoreOf = (position: number): number => {
      let value = textMatches ? textScore[position]! : 1;
      if (placeMatches) {
        const kind = placeKind[position];
        if (kind === PLACE_NEAR) value *= 1 - 0.3 * (placeDistance[position]! / radius);
        else if (kind === PLACE_AREA) value *= 0.85;
        else value *= 0.75;
      }
      if (overdue(position)) value *= 0.8;
      if (closed[position] === 1) value *= 0.9;
      return roundScore(value);
    };

    const pool = this.termPool.values;
    const termStart = this.termStart.values;
    const categoryCount = this.categoryCount.values;
    const groupCount = this.groupCount.values;
    const candidateValues = candidates.values;
    const scoring = sort === 'relevance';
    for (let index = 0; index < candidates.length; index += 1) {
      const position = candidateValues[index]!;
      const categoriesFrom = termStart[position]!;
      const categoriesTo = categoriesFrom + categoryCount[position]!;
      const groupsTo = categoriesTo + groupCount[position]!;
      let mask = ALL_DIMENSIONS;
      if (categoryFilter) {
        let any = false;
        for (let term = categoriesFrom; term < categoriesTo; term += 1) if (wantedCategories[pool[term]!] === 1) any = true;
        if (!any) mask ^= DIMENSION.category;
      }
      if (groupFilter) {
        let any = false;
        for (let term = categoriesTo; term < groupsTo; term += 1) if (wantedGroups[pool[term]!] === 1) any = true;
        if (!any) mask ^= DIMENSION.client_group;
      }
      if (ageFilter && (minimumAge[position]! > age || age > maximumAge[position]!)) mask ^= DIMENSION.age;
      const access = accessMask[position]!;
      if (accessFilter !== 0 && (access & accessFilter) === 0) mask ^= DIMENSION.access;
      const isFree = free[position]!;
      if (freeFilter !== -1 && isFree !== freeFilter) mask ^= DIMENSION.free;
      const modes = modeMask[position]!;
      if (modeFilter !== 0 && (modes & modeFilter) === 0) mask ^= DIMENSION.mode;
      const days = dayMask[position]!;
      if (dayFilter !== 0 && (days & dayFilter) === 0) mask ^= DIMENSION.day;

      // A facet's counts apply every other filter but not its own, so choosing "free" still shows
      // how many services charge.
      if (mask === ALL_DIMENSIONS) {
        passing.push(position);
        if (scoring) finalScore[position] = scoreOf(position);
        for (let term = categoriesFrom; term < groupsTo; term += 1) {
          if (term < categoriesTo) categoryCounts[pool[term]!]! += 1;
          else groupCounts[pool[term]!]! += 1;
        }
        accessPatterns[access]! += 1;
        modePatterns[modes]! += 1;
        freeCounts[isFree]! += 1;
        dayPatterns[days]! += 1;
        continue;
      }
      if ((mask | DIMENSION.category) === ALL_DIMENSIONS) for (let term = categoriesFrom; term < categoriesTo; term += 1) categoryCounts[pool[term]!]! += 1;
      if ((mask | DIMENSION.client_group) === ALL_DIMENSIONS) for (let term = categoriesTo; term < groupsTo; term += 1) groupCounts[pool[term]!]! += 1;
      if ((mask | DIMENSION.access) === ALL_DIMENSIONS) accessPatterns[access]! += 1;
      if ((mask | DIMENSION.mode) === ALL_DIMENSIONS) modePatterns[modes]! += 1;
      if ((mask | DIMENSION.free) === ALL_DIMENSIONS) freeCounts[isFree]! += 1;
      if ((mask | DIMENSION.day) === ALL_DIMENSIONS) dayPatterns[days]! += 1;
    }

    const distanceOf = (position: number) => (placeMatches ? placeDistance[position]! : Infinity);
    this.refreshNameRank();
    const nameRank = this.nameRank;
    const byTieBreak = (a: number, b: number) => {
      const distance = distanceOf(a) - distanceOf(b);
      if (distance !== 0 && !Number.isNaN(distance)) return distance;
      return reviewedDay[b]! - reviewedDay[a]! || nameRank[a]! - nameRank[b]!;
    };

    const wanted = page * perPage;
    let compare: (a: number, b: number) => number;
    if (sort === 'relevance') {
      compare = (a, b) => finalScore[b]! - finalScore[a]! || byTieBreak(a, b);
    } else if (sort === 'distance') {
      compare = (a, b) => (placeMatches ? placeKind[a]! - placeKind[b]! : 0) || byTieBreak(a, b);
    } else if (sort === 'reviewed') {
      compare = (a, b) => reviewedDay[b]! - reviewedDay[a]! || nameRank[a]! - nameRank[b]!;
    } else {
      compare = (a, b) => nameRank[a]! - nameRank[b]!;
    }
    const top = selectTop(passing.values.subarray(0, passing.length), wanted, compare).slice((page - 1) * perPage, wanted);

    const hits = top.map((position): SearchHit => {
      const document = this.documents[position]!;
      const kind = placeMatches ? placeKind[position] : undefined;
      const match: MatchKind | undefined = kind === PLACE_NEAR ? 'near' : kind === PLACE_AREA ? 'covers_area' : kind === PLACE_NATIONAL ? 'national' : undefined;
      return {
        id: document.id,
        name: document.name,
        organization: document.organization,
        summary: document.summary,
        status: closed[position] === 1 ? 'temporarily closed' : 'active',
        score: sort === 'relevance' ? finalScore[position]! : scoreOf(position),
        ...(match ? { match } : {}),
        ...(match === 'near' ? { distanceMiles: Math.round(placeDistance[position]! * 10) / 10 } : {}),
        ...(match === 'covers_area' && this.placeArea[position] ? { coveredArea: this.placeArea[position] } : {}),
        lastReviewedAt: reviewedDay[position] === -1 ? null : new Date(reviewedDay[position]! * MS_PER_DAY).toISOString().slice(0, 10),
        reviewOverdue: overdue(position),
        ...(match === 'national' ? { nationalScope: this.reachesUk.values[position] === 1 ? ('uk' as const) : ('scotland' as const) } : {}),
        helpline: this.locationCount.values[position] === 0 && (this.modeMask.values[position]! & (1 << MODE_BITS.indexOf('phone'))) !== 0,
      };
    });

    const record = (codes: readonly string[], counts: Int32Array) => {
      const result: Record<string, number> = {};
      codes.forEach((code, index) => {
        if (counts[index]! > 0) result[code] = counts[index]!;
      });
      return result;
    };
    return {
      total: passing.length,
      hits,
      facets: {
        category: record(this.categoryCodes.codes, categoryCounts),
        client_group: record(this.clientGroupCodes.codes, groupCounts),
        access: record(ACCESS_BITS, countsPerBit(accessPatterns, ACCESS_BITS.length)),
        mode: record(MODE_BITS, countsPerBit(modePatterns, MODE_BITS.length)),
        free: { true: freeCounts[1]!, false: freeCounts[0]! },
        day: record(DAY_CODES, countsPerBit(dayPatterns, DAY_CODES.length)),
      },
      corrections,
    };
  }
}


/** Counts per bit from counts per bit pattern. */
function countsPerBit(patterns: Int32Array, bits: number): Int32Array {
  const counts = new Int32Array(bits);
  for (let pattern = 1; pattern < patterns.length; pattern += 1) {
    const count = patterns[pattern]!;
    if (count === 0) continue;
    for (let bit = 0; bit < bits; bit += 1) if (pattern & (1 << bit)) counts[bit]! += count;
  }
  return counts;
}

/** Two searches with the same key have the same outcome on the same index. */
function cacheKey(query: SearchQuery): string {
  const filters = query.filters ?? {};
  const sorted = (values: readonly (string | number)[] | undefined) => (values ? [...values].sort() : null);
  return JSON.stringify([
    query.text ? words(query.text).join(' ') : null,
    query.place ?? null,
    query.radiusMiles ?? null,
    sorted(filters.categories),
    sorted(filters.clientGroups),
    filters.age ?? null,
    sorted(filters.access),
    filters.free ?? null,
    sorted(filters.modes),
    sorted(filters.days),
    query.sort ?? 'relevance',
    query.today,
  ]);
}

function pushTo<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const scoreBits = new Float64Array(1);
const scoreWords = new Uint32Array(scoreBits.buffer);
const SCORE_HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/**
 * Scores equal to twelve significant bits (about four significant figures) count as equal, so that
 * ties fall to distance. Cutting the binary mantissa rather than rounding in decimal keeps this cheap
 * enough to run for every candidate of a broad query.
 */
function roundScore(score: number): number {
  scoreBits[0] = score;
  scoreWords[1 - SCORE_HIGH_WORD] = 0;
  // The high word holds sign, exponent and the top 20 bits of the mantissa; keep 12 of those.
  scoreWords[SCORE_HIGH_WORD] = scoreWords[SCORE_HIGH_WORD]! & 0xffffff00;
  return scoreBits[0]!;
}

/**
 * The first `count` items in order without sorting them all: a broad query at a million services
 * matches hundreds of thousands, and only a page of them is shown.
 */
function selectTop(items: Int32Array, count: number, compare: (a: number, b: number) => number): number[] {
  if (items.length <= count * 4 || count > 2000) return Array.from(items).sort(compare).slice(0, count);
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


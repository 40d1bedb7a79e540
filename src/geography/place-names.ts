import { distance } from 'fastest-levenshtein';
import type { AliasRow, CouncilAreaRow, GeoData, PlaceRow } from './data.ts';

// Letters that Unicode decomposition leaves alone but people type as plain Latin letters.
const LETTERS_WITHOUT_DECOMPOSITION: Record<string, string> = {
  æ: 'ae', œ: 'oe', ø: 'o', ß: 'ss', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i',
};

/**
 * The form names are compared in: no accents, no case, no spaces or punctuation, and 'St' read as
 * 'Saint', so 'Steòrnabhagh' and 'steornabhagh', 'St Andrews' and 'Saint Andrews', 'Bo'ness' and
 * 'Boness', 'Newton-le-Willows' and 'newton le willows' meet.
 */
export function searchKey(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[æœøßłđðþı]/g, (letter) => LETTERS_WITHOUT_DECOMPOSITION[letter] ?? letter)
    .replace(/&/g, ' and ')
    .replace(/\bst\b/g, 'saint')
    .replace(/[^a-z0-9]/g, '');
}

/** What a name stands for. */
export type NameTarget =
  /** `alternateName` is set when the place was found by one of its other names (often Gaelic or Welsh). */
  | { kind: 'place'; place: PlaceRow; alternateName: string | null }
  | { kind: 'alias'; alias: AliasRow }
  | { kind: 'council_area'; councilArea: CouncilAreaRow }
  /** A health board or partnership that spans more than one council area, such as NHS Ayrshire and Arran. */
  | { kind: 'several_council_areas'; name: string; councilAreas: CouncilAreaRow[] };

// When one name means several things, the lowest rank wins. Curated aliases come before GeoNames'
// places because GeoNames also lists whole islands ('Isle of Arran') as populated places, and we want
// the island's main settlement. A Scottish town beats a council area of the same name (Falkirk,
// Stirling): the town is a more precise point and its council area is the same one. Scottish places,
// even by a Gaelic or other alternate name, come before places elsewhere, because Frontdoor is a
// Scottish directory first.
const RANK = {
  councilAreaName: 1,
  alias: 2,
  scottishPlace: 3,
  councilAreaOtherName: 4,
  scottishPlaceAlternateName: 5,
  placeElsewhere: 6,
  placeElsewhereAlternateName: 7,
  severalCouncilAreas: 8,
} as const;

// Aliases and council areas have no population; this ranks them with the large towns when two
// suggestions are otherwise equally close.
const CURATED_NAME_WEIGHT = 100_000;

interface IndexedName {
  key: string;
  rank: number;
  /** Breaks ties between equal ranks and equally close suggestions: larger first. */
  weight: number;
  scottish: boolean;
  target: NameTarget;
  /** What to offer in 'Did you mean …?', or null when the name should never be suggested. */
  suggestion: string | null;
}

/**
 * GeoNames' alternate names mix real local names (Gaelic, Welsh, Scots) with noise. We keep those
 * that start with a capital letter (romanisations of other scripts are lower case: 'ou wen', 'abain')
 * and are not airport or station codes ('EDI', 'GLA').
 */
function looksLikeALocalName(alternate: string): boolean {
  return /^\p{Lu}/u.test(alternate) && !/^[A-Z]{2,4}$/.test(alternate);
}

/**
 * An alternate within a typo of the main name ('Irvin', 'Edinburg') is a transliteration or a
 * misspelling; answering it with 'Did you mean Irvine?' is better than silently accepting it.
 */
function isNearSpelling(key: string, primaryKey: string): boolean {
  return distance(key, primaryKey) <= typoAllowance(primaryKey.length);
}

/** How many edits still count as a typo of a name this long. */
function typoAllowance(length: number): number {
  if (length < 3) return 0;
  if (length <= 4) return 1;
  if (length <= 8) return 2;
  return 3;
}

// GeoNames often lists a name both with and without its accents ('Steornabhagh', 'Steòrnabhagh'). We
// show the accented one, which is how the name is written; among equals the first listed wins.
function bestSpellings(spellings: string[]): Map<string, string> {
  const accents = (spelling: string) => spelling.replace(/[\x00-\x7f]/g, '').length;
  const best = new Map<string, string>();
  for (const spelling of spellings) {
    const key = searchKey(spelling);
    const current = best.get(key);
    if (current === undefined || accents(spelling) > accents(current)) best.set(key, spelling);
  }
  return best;
}

// Short names people use for council areas: 'Orkney', 'Scottish Borders', 'Edinburgh'.
function councilAreaShortName(name: string): string {
  return name.replace(/^(The|City of) /, '').replace(/ (City|Islands)$/, '');
}

export interface PlaceNameIndex {
  find(text: string): NameTarget | undefined;
  /** Close spellings of `text`, the closest and then the most Scottish and populous first. */
  suggest(text: string, limit?: number): string[];
}

export function buildPlaceNameIndex(data: GeoData): PlaceNameIndex {
  const byKey = new Map<string, IndexedName[]>();
  const add = (name: IndexedName) => {
    if (!name.key) return;
    const existing = byKey.get(name.key);
    if (existing) existing.push(name);
    else byKey.set(name.key, [name]);
  };

  for (const place of data.places) {
    const scottish = place.country === 'SCT';
    const primaryKey = searchKey(place.name);
    const target: NameTarget = { kind: 'place', place, alternateName: null };
    const rank = scottish ? RANK.scottishPlace : RANK.placeElsewhere;
    for (const key of new Set([primaryKey, searchKey(place.asciiName)])) {
      add({ key, rank, weight: place.population, scottish, target, suggestion: place.name });
    }
    const alternateRank = scottish ? RANK.scottishPlaceAlternateName : RANK.placeElsewhereAlternateName;
    for (const [key, alternate] of bestSpellings(place.alternateNames.filter(looksLikeALocalName))) {
      if (key.length < 3 || isNearSpelling(key, primaryKey)) continue;
      add({
        key,
        rank: alternateRank,
        weight: place.population,
        scottish,
        target: { kind: 'place', place, alternateName: alternate },
        suggestion: place.name,
      });
    }
  }

  for (const alias of data.aliases) {
    add({
      key: searchKey(alias.alias),
      rank: RANK.alias,
      weight: CURATED_NAME_WEIGHT,
      scottish: true,
      target: { kind: 'alias', alias },
      suggestion: alias.alias,
    });
  }

  const scottishPlaceKeys = new Set(
    data.places.filter((place) => place.country === 'SCT').map((place) => searchKey(place.name)),
  );
  const addCouncilAreaName = (councilArea: CouncilAreaRow, name: string, official: boolean) => {
    const key = searchKey(name);
    const rank = official && !scottishPlaceKeys.has(key) ? RANK.councilAreaName : RANK.councilAreaOtherName;
    add({
      key,
      rank,
      weight: CURATED_NAME_WEIGHT,
      scottish: true,
      target: { kind: 'council_area', councilArea },
      suggestion: councilArea.name,
    });
  };
  for (const councilArea of data.councilAreas) {
    addCouncilAreaName(councilArea, councilArea.name, true);
    addCouncilAreaName(councilArea, councilArea.outcodeRegionLabel, true);
    addCouncilAreaName(councilArea, `${councilArea.name} Council`, true);
    addCouncilAreaName(councilArea, councilAreaShortName(councilArea.name), false);
    addCouncilAreaName(councilArea, councilAreaShortName(councilArea.outcodeRegionLabel), false);
  }

  // Partnerships and health boards resolve to their council area when they have only one. One that
  // spans several cannot be a single point, so it is answered with the list of its council areas.
  const areasServedBy = (pick: (area: CouncilAreaRow) => string) => {
    const served = new Map<string, CouncilAreaRow[]>();
    for (const area of data.councilAreas) served.set(pick(area), [...(served.get(pick(area)) ?? []), area]);
    return served;
  };
  const bodies = [
    ...[...areasServedBy((area) => area.partnershipName)].map(([name, areas]) => ({
      areas,
      names: [name, name.replace(/ Health and Social Care Partnership$/, ' HSCP')],
    })),
    ...[...areasServedBy((area) => area.healthBoardName)].map(([name, areas]) => ({
      areas,
      names: [name, name.replace(/^NHS /, '')],
    })),
  ];
  for (const { areas, names } of bodies) {
    for (const name of names) {
      if (areas.length === 1) {
        addCouncilAreaName(areas[0]!, name, false);
      } else {
        add({
          key: searchKey(name),
          rank: RANK.severalCouncilAreas,
          weight: 0,
          scottish: true,
          target: { kind: 'several_council_areas', name: names[0]!, councilAreas: areas },
          suggestion: null,
        });
      }
    }
  }

  const byPreference = (a: IndexedName, b: IndexedName) => a.rank - b.rank || b.weight - a.weight;
  for (const names of byKey.values()) names.sort(byPreference);

  // Only the name that wins a key is suggested, so that a suggestion leads where it says: 'Edinburgh'
  // is offered as the city, not also as 'City of Edinburgh'. Names are grouped by length so that a
  // lookup measures only those whose length is within the typo allowance.
  const suggestible: IndexedName[] = [];
  for (const [winner] of byKey.values()) {
    if (winner && winner.suggestion !== null) suggestible.push(winner);
  }
  const byLength = new Map<number, IndexedName[]>();
  for (const name of suggestible) {
    const sameLength = byLength.get(name.key.length);
    if (sameLength) sameLength.push(name);
    else byLength.set(name.key.length, [name]);
  }

  return {
    find(text) {
      return byKey.get(searchKey(text))?.[0]?.target;
    },

    suggest(text, limit = 5) {
      const key = searchKey(text);
      const allowance = typoAllowance(key.length);
      if (allowance === 0) return [];
      // A name elsewhere in the UK counts as half an edit further away than a Scottish one.
      const elsewherePenalty = (name: IndexedName) => (name.scottish ? 0 : 0.5);
      const scores = new Map<IndexedName, number>();
      for (let length = key.length - allowance; length <= key.length + allowance; length++) {
        for (const name of byLength.get(length) ?? []) {
          const edits = distance(key, name.key);
          if (edits <= allowance) scores.set(name, edits + elsewherePenalty(name));
        }
      }
      // Someone who stopped typing part way ('Kilmarn') is as close as one typo.
      if (key.length >= 4) {
        for (const name of suggestible) {
          if (name.key.length > key.length && name.key.startsWith(key)) {
            const score = 1 + elsewherePenalty(name);
            if (score < (scores.get(name) ?? Infinity)) scores.set(name, score);
          }
        }
      }
      const ranked = [...scores].sort(([a, scoreA], [b, scoreB]) => scoreA - scoreB || b.weight - a.weight);
      const suggestions: string[] = [];
      const offered = new Set<string>();
      for (const [name] of ranked) {
        const suggestion = name.suggestion!;
        const suggestionKey = searchKey(suggestion);
        if (offered.has(suggestionKey)) continue;
        offered.add(suggestionKey);
        suggestions.push(suggestion);
        if (suggestions.length === limit) break;
      }
      return suggestions;
    },
  };
}

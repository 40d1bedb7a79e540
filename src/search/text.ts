import { createRequire } from 'node:module';
import { stemmer } from 'stemmer';

// Text handling shared by indexing and querying, so that a word is cut and stemmed the same way on
// both sides.

const STOP_WORDS = new Set(
  ('a an and are as at be by for from has have in into is it its of on or our that the their them they this to was we ' +
    'were will with you your who what where when how can do does near me my i').split(' '),
);

/** Lower case, accents folded, apostrophes dropped: "Carer's Centre" → "carers centre", "Pàrant" → "parant". */
export function normalise(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’‘`]/g, '')
    .replace(/&/g, ' and ');
}

// American spellings people type for British words the directory uses, read as the British word on
// both sides so that "center" finds a "Carers' Centre".
const SPELLING_VARIANTS: Record<string, string> = {
  center: 'centre',
  centers: 'centres',
  program: 'programme',
  programs: 'programmes',
  counseling: 'counselling',
  counselor: 'counsellor',
  counselors: 'counsellors',
  theater: 'theatre',
  behavior: 'behaviour',
  organization: 'organisation',
  organizations: 'organisations',
  neighbor: 'neighbour',
  neighbors: 'neighbours',
  neighborhood: 'neighbourhood',
  color: 'colour',
  mom: 'mum',
  moms: 'mums',
  pediatric: 'paediatric',
  anemia: 'anaemia',
  esthetics: 'aesthetics',
  aging: 'ageing',
  caregiver: 'carer',
  caregivers: 'carers',
};

/** Words of two or more letters or digits, in order, stop words kept (names need them). */
export function words(text: string): string[] {
  const found = normalise(text).match(/[a-z0-9]+/g) ?? [];
  return found.filter((word) => word.length >= 2 || /\d/.test(word)).map((word) => SPELLING_VARIANTS[word] ?? word);
}

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}

const stemCache = new Map<string, string>();

/**
 * The Porter stem of a normalised word ("carers" → "carer", "dancing" → "danc"), cached because the
 * same few thousand words recur across a million services.
 */
export function stem(word: string): string {
  let stemmed = stemCache.get(word);
  if (stemmed === undefined) {
    stemmed = /\d/.test(word) ? word : stemmer(word);
    if (stemCache.size < 200_000) stemCache.set(word, stemmed);
  }
  return stemmed;
}

let englishWords: Set<string> | undefined;

/**
 * A bundled list of about 275,000 English words. A query word found here is taken as meant, never
 * "corrected" into a near neighbour: that is what keeps "careers" from matching "carers" and
 * "dancing" from matching "cancer".
 */
export function isEnglishWord(word: string): boolean {
  if (!englishWords) {
    const require = createRequire(import.meta.url);
    englishWords = new Set(require('an-array-of-english-words/index.json') as string[]);
  }
  return englishWords.has(word);
}

/** Damerau–Levenshtein distance (adjacent transpositions count as one edit), stopping early past `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  let previousPrevious = new Array<number>(cols).fill(0);
  let previous = Array.from({ length: cols }, (_, j) => j);
  let current = new Array<number>(cols).fill(0);
  for (let i = 1; i < rows; i += 1) {
    current[0] = i;
    let rowMinimum = i;
    for (let j = 1; j < cols; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, previousPrevious[j - 2]! + 1);
      }
      current[j] = value;
      if (value < rowMinimum) rowMinimum = value;
    }
    if (rowMinimum > limit) return limit + 1;
    [previousPrevious, previous, current] = [previous, current, previousPrevious];
  }
  return previous[cols - 1]!;
}

/** How many typing mistakes a word of this length may carry and still be recognised. */
export function typoAllowance(word: string): number {
  if (word.length < 5) return 0;
  if (word.length < 9) return 1;
  return 2;
}

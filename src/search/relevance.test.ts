import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../platform/clock.ts';
import { createTestDatabase, TEST_DEMO_DATE, type TestDatabase } from '../platform/testing/databases.ts';
import { createSearchRepository } from './repository.ts';
import { SearchSync } from './sync.ts';
import { stem, words } from './text.ts';
import type { SearchPlace } from './search-index.ts';

// Relevance pinned on the demo directory: the misspellings professionals type must still find their
// service, and words that merely look alike must not find each other. Ranking rules are written down
// in search-index.ts. These tests read the index only, so one engine is enough; the repository that
// fills it is tested on both engines in routes.test.ts.

const TODAY = TEST_DEMO_DATE;

/** Query as typed → a word every one of the first results must contain (in any field). */
const MISSPELLINGS: Array<[typed: string, meant: string]> = [
  ['alzhiemers', 'alzheimers'],
  ['alzeimers', 'alzheimers'],
  ['demensia', 'dementia'],
  ['dementai', 'dementia'],
  ['dimentia', 'dementia'],
  ['dementa', 'dementia'],
  ["carer's centre", 'carers'],
  ['carers center', 'centre'],
  ['befreinding', 'befriending'],
  ['befriendng', 'befriending'],
  ['bereavment', 'bereavement'],
  ['bereavemnt', 'bereavement'],
  ['diabetis', 'diabet'],
  ['diabeties', 'diabetes'],
  ['heart failiure', 'failure'],
  ['cardaic rehab', 'cardiac'],
  ['walkng football', 'walking'],
  ['footbal', 'football'],
  ['excercise class', 'exercise'],
  ['strenght and balance', 'strength'],
  ['brething', 'breathing'],
  ['mental heath', 'health'],
  ['lung helth', 'health'],
  ['anxeity', 'anxiety'],
  ['depresion', 'depression'],
  ['suicde prevention', 'suicide'],
  ['welfare rigths', 'rights'],
  ['benifits advice', 'benefits'],
  ['comunity pantry', 'community'],
  ['homelesness', 'homelessness'],
  ['domestic abuce', 'abuse'],
  ['advocasy', 'advocacy'],
  ['employabilty', 'employability'],
  ['gealic', 'gaelic'],
  ['sigth loss', 'sight'],
  ['lonliness', 'loneliness'],
  ['recovry cafe', 'recovery'],
  ['arthritus', 'arthritis'],
  ['acquafit', 'aquafit'],
  ['stoke club', 'stroke'],
  ['memmory cafe', 'memory'],
  ['knit and nattr', 'natter'],
  ['eye clinc', 'clinic'],
];

/** Query → a look-alike word it must not be read as. */
const NEAR_MISSES: Array<[query: string, lookAlike: string]> = [
  ['dancing', 'cancer'],
  ['cancer', 'dancing'],
  ['carers', 'careers'],
  ['careers', 'carers'],
  ['walking', 'talking'],
  ['talking', 'walking'],
  ['debt', 'death'],
  ['death', 'debt'],
  ['heart', 'hearing'],
  ['hearing', 'heart'],
  ['singing', 'signing'],
  ['signing', 'singing'],
  ['bowls', 'bowel'],
  ['sight', 'night'],
  ['night', 'sight'],
  ['craft', 'draft'],
  ['knit', 'kit'],
  ['kit', 'knit'],
  ['parent', 'patient'],
  ['youth', 'truth'],
  ['care', 'cure'],
  ['mental', 'dental'],
  ['dental', 'mental'],
  ['toffee', 'coffee'],
  ['patent', 'parent'],
  ['draft', 'craft'],
  ['launch', 'lunch'],
  ['slimming', 'swimming'],
  ['strike', 'stroke'],
  ['bowel', 'bowls'],
  ['cure', 'care'],
  ['truth', 'youth'],
  ['dram', 'drama'],
  ['foot', 'food'],
];

describe('relevance on the demo directory', () => {
  let database: TestDatabase;
  let sync: SearchSync;
  const textOf = new Map<string, string>();

  before(async () => {
    database = await createTestDatabase('pglite', { demo: true });
    sync = new SearchSync({ repository: createSearchRepository(database.db, { reviewIntervalMonths: 6 }), clock: fixedClock(TODAY) });
    await sync.loadAll();
    for (const document of await createSearchRepository(database.db, { reviewIntervalMonths: 6 }).documents([...sync.current.ids()])) {
      textOf.set(document.id, [document.name, document.organizationName, document.summary, document.description, ...document.categoryNames, ...document.clientGroupNames].join(' '));
    }
  });

  after(async () => database?.close());

  const stemsOf = (id: string) => new Set(words(textOf.get(id)!).map(stem));

  test(`${MISSPELLINGS.length} misspellings find the service meant`, () => {
    assert.ok(MISSPELLINGS.length >= 30);
    const failures: string[] = [];
    for (const [typed, meant] of MISSPELLINGS) {
      const outcome = sync.current.search({ text: typed, today: TODAY, perPage: 10 });
      const wanted = stem(meant);
      const hits = outcome.hits.filter((hit) => [...stemsOf(hit.id)].some((s) => s.startsWith(wanted) || wanted.startsWith(s) && s.length >= 4));
      if (outcome.hits.length === 0 || hits.length !== outcome.hits.length) failures.push(`"${typed}" → ${outcome.hits.map((h) => h.name).join('; ') || 'nothing'}`);
    }
    assert.deepEqual(failures, []);
  });

  test(`${NEAR_MISSES.length} look-alike words are never read as each other`, () => {
    assert.ok(NEAR_MISSES.length >= 30);
    const failures: string[] = [];
    for (const [query, lookAlike] of NEAR_MISSES) {
      const outcome = sync.current.search({ text: query, today: TODAY, perPage: 100 });
      const queryStem = stem(query);
      const lookAlikeStem = stem(lookAlike);
      for (const hit of outcome.hits) {
        const stems = stemsOf(hit.id);
        if (!stems.has(queryStem)) failures.push(`"${query}" found "${hit.name}", which does not contain it`);
        else if (stems.has(lookAlikeStem) && outcome.corrections.length > 0) failures.push(`"${query}" was corrected`);
      }
      if (outcome.corrections.length > 0) failures.push(`"${query}" was read as ${JSON.stringify(outcome.corrections)}`);
    }
    assert.deepEqual(failures, []);
  });

  test('the exact name comes first', () => {
    for (const name of ['Rainbow Café', 'Deaf Club Social', 'Dial-a-Ride', 'Start in Care', 'Independent Advocacy']) {
      const outcome = sync.current.search({ text: name, today: TODAY });
      assert.equal(outcome.hits[0]?.name, name, `searching "${name}"`);
    }
  });

  test('near a place, nearer services come first among equals, and sorting by distance is monotonic', () => {
    const irvine: SearchPlace = {
      latitude: 55.6116,
      longitude: -4.6694,
      councilArea: 'North Ayrshire',
      partnership: 'North Ayrshire Health and Social Care Partnership',
      healthBoard: 'NHS Ayrshire and Arran',
      country: 'SCT',
    };
    const byDistance = sync.current.search({ place: irvine, radiusMiles: 15, sort: 'distance', perPage: 100, today: TODAY });
    const distances = byDistance.hits.filter((hit) => hit.match === 'near').map((hit) => hit.distanceMiles!);
    assert.ok(distances.length > 5);
    assert.deepEqual(distances, [...distances].sort((a, b) => a - b));
    const kinds = byDistance.hits.map((hit) => hit.match);
    assert.ok(kinds.indexOf('covers_area') === -1 || kinds.lastIndexOf('near') < kinds.indexOf('covers_area'));

    const clubs = sync.current.search({ text: 'lunch club', place: irvine, radiusMiles: 25, perPage: 50, today: TODAY });
    for (let i = 1; i < clubs.hits.length; i += 1) {
      const [previous, current] = [clubs.hits[i - 1]!, clubs.hits[i]!];
      if (previous.score === current.score && previous.distanceMiles !== undefined && current.distanceMiles !== undefined) {
        assert.ok(previous.distanceMiles <= current.distanceMiles, `${previous.name} before ${current.name}`);
      }
    }
  });
});

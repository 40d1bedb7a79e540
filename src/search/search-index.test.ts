import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SearchIndex, type SearchDocumentInput, type SearchPlace } from './search-index.ts';

const TODAY = '2026-11-24';
const IRVINE: SearchPlace = {
  latitude: 55.6116,
  longitude: -4.6694,
  councilArea: 'North Ayrshire',
  partnership: 'North Ayrshire Health and Social Care Partnership',
  healthBoard: 'NHS Ayrshire and Arran',
  country: 'SCT',
};

let counter = 0;
function service(overrides: Partial<SearchDocumentInput> & { name: string }): SearchDocumentInput {
  counter += 1;
  return {
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    organizationId: '10000000-0000-4000-8000-000000000000',
    organizationName: 'Test Org',
    summary: '',
    description: '',
    status: 'active',
    categories: [],
    categoryNames: [],
    clientGroups: [],
    clientGroupNames: [],
    minimumAge: null,
    maximumAge: null,
    accessRoutes: ['self_referral'],
    deliveryModes: ['in_person'],
    free: true,
    days: [],
    lastReviewedAt: '2026-09-01',
    reviewDueAt: '2027-03-01',
    locations: [],
    coverage: { councilAreas: [], partnerships: [], healthBoards: [], scotland: false, uk: false },
    ...overrides,
  };
}

function indexOf(...documents: SearchDocumentInput[]): SearchIndex {
  const index = new SearchIndex();
  index.upsert(documents);
  return index;
}

const names = (outcome: { hits: Array<{ name: string }> }) => outcome.hits.map((hit) => hit.name);

describe('place and coverage', () => {
  const inIrvine = service({ name: 'Irvine lunch club', locations: [{ latitude: 55.6146, longitude: -4.6594 }] });
  const inKilmarnock = service({ name: 'Kilmarnock lunch club', locations: [{ latitude: 55.6117, longitude: -4.4958 }] });
  const inGlasgow = service({ name: 'Glasgow lunch club', locations: [{ latitude: 55.8642, longitude: -4.2518 }] });
  const headOfficeFarAway = service({
    name: 'Dementia support across Ayrshire',
    locations: [{ latitude: 55.9533, longitude: -3.1883 }],
    coverage: { councilAreas: [], partnerships: [], healthBoards: ['NHS Ayrshire and Arran'], scotland: false, uk: false },
  });
  const northAyrshireWide = service({
    name: 'North Ayrshire befriending',
    coverage: { councilAreas: ['North Ayrshire'], partnerships: [], healthBoards: [], scotland: false, uk: false },
  });
  const helpline = service({
    name: 'Dementia helpline',
    deliveryModes: ['phone'],
    coverage: { councilAreas: [], partnerships: [], healthBoards: [], scotland: true, uk: false },
  });
  const ukService = service({ name: 'UK online forum', deliveryModes: ['online'], coverage: { councilAreas: [], partnerships: [], healthBoards: [], scotland: false, uk: true } });
  const index = indexOf(inIrvine, inKilmarnock, inGlasgow, headOfficeFarAway, northAyrshireWide, helpline, ukService);

  test('near within the radius, then covers the area, then national; nothing else', () => {
    const outcome = index.search({ place: IRVINE, radiusMiles: 15, today: TODAY, sort: 'distance' });
    const byName = new Map(outcome.hits.map((hit) => [hit.name, hit]));
    assert.equal(byName.get('Irvine lunch club')?.match, 'near');
    assert.equal(byName.get('Kilmarnock lunch club')?.match, 'near');
    assert.ok(byName.get('Kilmarnock lunch club')!.distanceMiles! > 5);
    assert.equal(byName.has('Glasgow lunch club'), false, 'outside the radius and covering nothing');
    assert.equal(byName.get('North Ayrshire befriending')?.match, 'covers_area');
    assert.equal(byName.get('North Ayrshire befriending')?.coveredArea, 'North Ayrshire');
    assert.equal(byName.get('Dementia helpline')?.match, 'national');
    assert.equal(byName.get('Dementia helpline')?.helpline, true);
    assert.equal(byName.get('UK online forum')?.nationalScope, 'uk');
    assert.deepEqual(names(outcome).slice(0, 2), ['Irvine lunch club', 'Kilmarnock lunch club']);
    assert.equal(outcome.hits.at(-1)?.match, 'national');
  });

  test('a distant office never makes a service near; its coverage still finds it', () => {
    const hit = index.search({ place: IRVINE, radiusMiles: 10, today: TODAY }).hits.find((h) => h.name === 'Dementia support across Ayrshire');
    assert.equal(hit?.match, 'covers_area');
    assert.equal(hit?.distanceMiles, undefined);
  });

  test('a place in England does not bring in Scotland-only services', () => {
    const carlisle: SearchPlace = { latitude: 54.8925, longitude: -2.9329, councilArea: null, partnership: null, healthBoard: null, country: 'ENG' };
    const outcome = index.search({ place: carlisle, radiusMiles: 10, today: TODAY });
    assert.deepEqual(names(outcome), ['UK online forum']);
  });

  test('nearer first at equal relevance', () => {
    const outcome = index.search({ text: 'lunch club', place: IRVINE, radiusMiles: 30, today: TODAY });
    assert.deepEqual(names(outcome), ['Irvine lunch club', 'Kilmarnock lunch club', 'Glasgow lunch club']);
  });
});

describe('text matching', () => {
  const index = indexOf(
    service({ name: "Carers' Centre", description: 'Support for unpaid carers.' }),
    service({ name: 'Careers advice', description: 'Find work and training in the care sector.' }),
    service({ name: 'Cancer support group', description: 'Peer support after a cancer diagnosis.' }),
    service({ name: 'Tea dancing', description: 'Dancing for older people every Tuesday.' }),
    service({ name: "Alzheimer's cafe", description: 'A friendly cafe for people living with dementia.' }),
    service({ name: 'Dementia post-diagnostic support', description: 'A year of support after a diagnosis.' }),
  );

  test('stemming finds other forms of a word', () => {
    assert.deepEqual(names(index.search({ text: 'dance', today: TODAY })), ['Tea dancing']);
    assert.deepEqual(names(index.search({ text: "carer's centre", today: TODAY })), ["Carers' Centre"]);
  });

  test('typos are forgiven, real words are not "corrected"', () => {
    assert.deepEqual(names(index.search({ text: 'alzhiemers', today: TODAY })), ["Alzheimer's cafe"]);
    const dementia = index.search({ text: 'demensia', today: TODAY });
    assert.deepEqual(new Set(names(dementia)), new Set(["Alzheimer's cafe", 'Dementia post-diagnostic support']));
    assert.deepEqual(dementia.corrections, [{ word: 'demensia', meant: ['dementia'] }]);
    assert.deepEqual(names(index.search({ text: 'dancing', today: TODAY })), ['Tea dancing']);
    assert.deepEqual(names(index.search({ text: 'careers', today: TODAY })), ['Careers advice']);
    assert.deepEqual(names(index.search({ text: 'carers', today: TODAY })), ["Carers' Centre"]);
  });

  test('a query that finds nothing as typed is corrected, and says so', () => {
    const health = indexOf(service({ name: 'Mental health peer support' }), service({ name: 'Heath walk', description: 'A walk across the heath.' }));
    const outcome = health.search({ text: 'mental heath', today: TODAY });
    assert.deepEqual(names(outcome), ['Mental health peer support']);
    assert.deepEqual(outcome.corrections, [{ word: 'heath', meant: ['health'] }]);
    const asTyped = health.search({ text: 'heath', today: TODAY });
    assert.deepEqual(names(asTyped), ['Heath walk'], 'a word with results of its own is never corrected');
    assert.deepEqual(asTyped.corrections, []);
  });

  test('American spellings find British ones', () => {
    assert.deepEqual(names(index.search({ text: 'carers center', today: TODAY })), ["Carers' Centre"]);
  });

  test('every word must match', () => {
    assert.deepEqual(names(index.search({ text: 'dementia cafe', today: TODAY })), ["Alzheimer's cafe"]);
    assert.deepEqual(names(index.search({ text: 'dementia swimming', today: TODAY })), []);
  });

  test('the exact name comes first', () => {
    const many = indexOf(
      service({ name: 'Support group for dementia carers', description: 'Dementia support. Dementia cafe. Dementia walks.' }),
      service({ name: 'Dementia support', description: 'Help.' }),
      service({ name: 'Dementia support services network', description: 'Dementia support, dementia support.' }),
    );
    assert.equal(names(many.search({ text: 'dementia support', today: TODAY }))[0], 'Dementia support');
  });
});

describe('filters, facets, ordering and paging', () => {
  const documents = [
    service({ name: 'A free walk', categories: ['physical-activity', 'walking-groups'], clientGroups: ['older-people'], free: true, days: ['MO'], minimumAge: 50 }),
    service({ name: 'B paid class', categories: ['physical-activity', 'exercise-classes'], clientGroups: ['adults'], free: false, days: ['TU'], deliveryModes: ['in_person', 'online'] }),
    service({ name: 'C free phone line', categories: ['mental-health'], clientGroups: ['adults'], free: true, accessRoutes: ['phone'], deliveryModes: ['phone'] }),
    service({ name: 'D paid walk', categories: ['physical-activity', 'walking-groups'], clientGroups: ['adults'], free: false, days: ['MO', 'WE'], maximumAge: 25 }),
  ];
  const index = indexOf(...documents);

  test("each facet's counts apply the other filters but not its own", () => {
    const outcome = index.search({ filters: { free: true, categories: ['physical-activity'] }, today: TODAY });
    assert.deepEqual(names(outcome), ['A free walk']);
    assert.deepEqual(outcome.facets.free, { true: 1, false: 2 }, 'cost counts ignore the cost filter');
    assert.equal(outcome.facets.category['physical-activity'], 1, 'category counts ignore the category filter but apply free');
    assert.equal(outcome.facets.category['mental-health'], 1);
    assert.equal(outcome.facets.client_group['older-people'], 1);
    assert.equal(outcome.facets.client_group.adults, undefined);
  });

  test('age, access, mode and day filters', () => {
    assert.deepEqual(names(index.search({ filters: { age: 30 }, today: TODAY, sort: 'name' })), ['B paid class', 'C free phone line']);
    assert.deepEqual(names(index.search({ filters: { access: ['phone'] }, today: TODAY })), ['C free phone line']);
    assert.deepEqual(names(index.search({ filters: { modes: ['online'] }, today: TODAY })), ['B paid class']);
    assert.deepEqual(names(index.search({ filters: { days: ['MO'] }, today: TODAY, sort: 'name' })), ['A free walk', 'D paid walk']);
    assert.equal(index.search({ filters: { days: ['MO'] }, today: TODAY }).facets.day.WE, 1);
  });

  test('sorts A–Z and by review date, and pages', () => {
    const reviewed = indexOf(
      service({ name: 'Old', lastReviewedAt: '2024-01-01', reviewDueAt: '2024-07-01' }),
      service({ name: 'New', lastReviewedAt: '2026-11-01', reviewDueAt: '2027-05-01' }),
      service({ name: 'Middle', lastReviewedAt: '2026-01-01', reviewDueAt: '2026-07-01' }),
    );
    assert.deepEqual(names(reviewed.search({ sort: 'reviewed', today: TODAY })), ['New', 'Middle', 'Old']);
    assert.deepEqual(names(reviewed.search({ sort: 'name', today: TODAY })), ['Middle', 'New', 'Old']);
    const page2 = reviewed.search({ sort: 'name', page: 2, perPage: 2, today: TODAY });
    assert.equal(page2.total, 3);
    assert.deepEqual(names(page2), ['Old']);
  });

  test('A–Z order stays right as services are added, renamed and removed a few at a time', () => {
    const words = ['apple', 'Bramble', 'cedar', 'Damson', 'elder', 'fig', 'Gean', 'hazel', 'ivy', 'juniper', 'Kale', 'larch'];
    const documents = Array.from({ length: 200 }, (_, i) => service({ name: `${words[(i * 7) % words.length]} ${String((i * 37) % 200).padStart(3, '0')}` }));
    const growing = indexOf(...documents.slice(0, 150));
    growing.search({ sort: 'name', today: TODAY, perPage: 100 });
    // Small changes after the order was made: each is placed into it rather than sorted afresh.
    for (let start = 150; start < 200; start += 10) {
      growing.upsert(documents.slice(start, start + 10));
      growing.upsert([{ ...documents[start - 100]!, name: `ash ${start}` }]);
      growing.remove([documents[start - 140]!.id]);
      growing.search({ sort: 'name', today: TODAY });
    }
    const names = (index: SearchIndex) => [1, 2].flatMap((page) => index.search({ sort: 'name', today: TODAY, page, perPage: 100 }).hits.map((hit) => hit.name));
    const expected = [...documents.slice(0, 200)];
    for (let start = 150; start < 200; start += 10) expected[start - 100] = { ...documents[start - 100]!, name: `ash ${start}` };
    const fresh = indexOf(...expected.filter((_, i) => !(i >= 10 && i < 60 && (i - 10) % 10 === 0)));
    assert.equal(names(growing).length, 195);
    assert.deepEqual(names(growing), names(fresh));
    const collator = new Intl.Collator('en-GB');
    assert.deepEqual(names(fresh), [...names(fresh)].sort((a, b) => collator.compare(a, b)), 'the fresh index is itself in A–Z order');
  });

  test('a reviewed listing ranks before an overdue one, and a closed one says so', () => {
    const freshness = indexOf(
      service({ name: 'Overdue lunch club', lastReviewedAt: '2025-01-01', reviewDueAt: '2025-07-01' }),
      service({ name: 'Current lunch club', lastReviewedAt: '2026-10-01', reviewDueAt: '2027-04-01' }),
      service({ name: 'Closed lunch club', status: 'temporarily closed' }),
    );
    const outcome = freshness.search({ text: 'lunch club', today: TODAY });
    assert.deepEqual(names(outcome), ['Current lunch club', 'Closed lunch club', 'Overdue lunch club']);
    assert.equal(outcome.hits[2]!.reviewOverdue, true);
    assert.equal(outcome.hits[1]!.status, 'temporarily closed');
  });

  test('a page of a large result is the same as the same slice of the full order', () => {
    const large = indexOf(...Array.from({ length: 500 }, (_, i) => service({ name: `Lunch club ${String(i).padStart(3, '0')}`, description: 'lunch '.repeat((i % 7) + 1) })));
    const all = names(large.search({ text: 'lunch', perPage: 500, today: TODAY }));
    const page = names(large.search({ text: 'lunch', page: 5, perPage: 20, today: TODAY }));
    assert.deepEqual(page, all.slice(80, 100));
  });
});

describe('keeping in step', () => {
  test('a replaced or removed service is found as it is now', () => {
    const original = service({ name: 'Walking football' });
    const index = indexOf(original);
    index.upsert([{ ...original, name: 'Walking netball' }]);
    assert.deepEqual(names(index.search({ text: 'football', today: TODAY })), []);
    assert.deepEqual(names(index.search({ text: 'netball', today: TODAY })), ['Walking netball']);
    assert.equal(index.size, 1);
    index.remove([original.id]);
    assert.equal(index.size, 0);
    assert.deepEqual(names(index.search({ text: 'netball', today: TODAY })), []);
  });
});

describe('the outcome cache', () => {
  const documents = Array.from({ length: 300 }, (_, i) =>
    service({
      name: `Lunch club ${String(i).padStart(3, '0')}`,
      description: 'lunch '.repeat((i % 7) + 1),
      free: i % 3 !== 0,
      locations: [{ latitude: 55.6 + (i % 10) * 0.01, longitude: -4.66 }],
    }),
  );
  const queries = [
    { text: 'lunch', today: TODAY },
    { text: 'Lunch!', filters: { free: true }, today: TODAY },
    { text: 'lunch', place: IRVINE, radiusMiles: 5, today: TODAY },
    { place: IRVINE, sort: 'distance' as const, today: TODAY },
    { text: 'club', sort: 'name' as const, today: TODAY },
  ];

  test('a cached index answers every page exactly as an uncached one', () => {
    const cached = new SearchIndex({ cacheEntries: 3 });
    cached.upsert(documents);
    const plain = indexOf(...documents);
    // Twice round, so that the second pass is answered from the cache where it can be.
    for (let pass = 0; pass < 2; pass += 1) {
      for (const query of queries) {
        for (const page of [1, 2, 5, 6, 15]) {
          assert.deepEqual(cached.search({ ...query, page }), plain.search({ ...query, page }), `${JSON.stringify(query)} page ${page}`);
        }
      }
    }
  });

  test('a change to the index is seen at once', () => {
    const cached = new SearchIndex({ cacheEntries: 10 });
    cached.upsert(documents.slice(0, 5));
    assert.equal(cached.search({ text: 'lunch', today: TODAY }).total, 5);
    cached.upsert([{ ...documents[0]!, name: 'Walking netball', description: '' }]);
    assert.equal(cached.search({ text: 'lunch', today: TODAY }).total, 4);
    cached.remove([documents[1]!.id]);
    assert.equal(cached.search({ text: 'lunch', today: TODAY }).total, 3);
    cached.upsert([documents[7]!]);
    assert.equal(cached.search({ text: 'lunch', today: TODAY }).total, 4, 'a new service is found');
    assert.equal(cached.search({ text: 'lunch', today: '2030-01-01' }).hits.every((hit) => hit.reviewOverdue), true, 'another day is another search');
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activeFilters, noResultSuggestions, pagination, readSearchState, searchHref, sortLinks, toSearchQuery, type FacetSet } from './search-page.ts';

const known = { categories: new Set(['dementia', 'walking-groups']), clientGroups: new Set(['carers']) };
const facets: FacetSet = {
  category: [{ value: 'dementia', label: 'Dementia', count: 0 }, { value: 'walking-groups', label: 'Walking groups', count: 3 }],
  client_group: [{ value: 'carers', label: 'Unpaid carers', count: 1 }],
  access: [],
  mode: [],
  free: [{ value: 'true', label: 'Free', count: 2 }, { value: 'false', label: 'Charges', count: 1 }],
  day: [],
};

test('a results page reads its query string forgivingly', () => {
  const { state, problems } = readSearchState(
    { q: ' walking ', near: 'KA12 8BD', radius: '7', category: ['dementia,unknown', 'walking-groups'], access: 'drop_in', day: 'funday', sort: 'distance', page: '-3', free: 'maybe' },
    known,
  );
  assert.deepEqual(problems, []);
  assert.equal(state.q, 'walking');
  assert.equal(state.radius, 10, 'a radius that is not offered falls back to the default');
  assert.deepEqual(state.category, ['dementia', 'walking-groups']);
  assert.deepEqual(state.access, ['drop_in']);
  assert.deepEqual(state.day, []);
  assert.equal(state.sort, 'distance');
  assert.equal(state.page, 1);
  assert.equal(state.free, '');
  assert.equal(readSearchState({ sort: 'distance' }, known).state.sort, 'relevance', 'no distance without a place');
});

test('only an age that is not a number is reported, and then left out of the search', () => {
  const { state, problems } = readSearchState({ age: 'forty' }, known);
  assert.deepEqual(problems, [{ field: 'age', message: 'Enter the age as a whole number, like 34' }]);
  assert.equal(toSearchQuery(state, problems).age, undefined);
  const ok = readSearchState({ age: '40' }, known);
  assert.equal(toSearchQuery(ok.state, ok.problems).age, 40);
});

test('links keep every choice but reset the page, and leave defaults out', () => {
  const { state } = readSearchState({ q: 'walking', near: 'Irvine', category: 'walking-groups', page: '3' }, known);
  assert.equal(searchHref(state), '/search?q=walking&near=Irvine&category=walking-groups');
  assert.equal(searchHref(state, { page: 2 }), '/search?q=walking&near=Irvine&category=walking-groups&page=2');
  assert.equal(searchHref(state, { sort: 'name' }), '/search?q=walking&near=Irvine&category=walking-groups&sort=name');
  assert.deepEqual(sortLinks(state).map((link) => link.text), ['Best match', 'Nearest first', 'Name (A to Z)', 'Most recently checked']);
});

test('filters in force can each be removed by a link', () => {
  const { state } = readSearchState({ category: ['dementia', 'walking-groups'], free: 'true', age: '70' }, known);
  assert.deepEqual(activeFilters(state, facets), [
    { text: 'Dementia', href: '/search?category=walking-groups&free=true&age=70' },
    { text: 'Walking groups', href: '/search?category=dementia&free=true&age=70' },
    { text: 'Free', href: '/search?category=dementia&category=walking-groups&age=70' },
    { text: 'Age 70', href: '/search?category=dementia&category=walking-groups&free=true' },
  ]);
});

test('no results: suggest a wider radius, removing filters, and dropping the words or the place', () => {
  const { state } = readSearchState({ q: 'walking', near: 'Irvine', radius: '3', category: 'dementia' }, known);
  const texts = noResultSuggestions(state, facets).map((suggestion) => suggestion.text);
  assert.deepEqual(texts, [
    'Search within 25 miles of Irvine',
    'Search within 50 miles of Irvine',
    'Remove the filter “Dementia”',
    'Show every service near Irvine',
    'Search for “walking” everywhere',
  ]);
});

test('pagination shows first, last and neighbours with ellipses', () => {
  const { state } = readSearchState({ q: 'x', page: '5' }, known);
  const model = pagination(state, 200)!;
  assert.deepEqual(model.items.map((item) => (item.ellipsis ? '…' : `${item.number}${item.current ? '*' : ''}`)), ['1', '…', '4', '5*', '6', '…', '10']);
  assert.equal(model.previous?.href, '/search?q=x&page=4');
  assert.equal(model.next?.href, '/search?q=x&page=6');
  assert.equal(pagination(state, 20), undefined, 'one page needs no pagination');
});

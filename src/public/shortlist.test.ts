import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addToShortlist,
  annotateShortlist,
  moveInShortlist,
  readShortlist,
  removeFromShortlist,
  ShortlistFullError,
  SHORTLIST_MAX_ENTRIES,
  SHORTLIST_NOTE_MAX_LENGTH,
} from './shortlist.ts';

const ids = (list: Array<{ serviceId: string }>) => list.map((entry) => entry.serviceId);

test('adding appends once; adding again changes nothing', () => {
  let list = addToShortlist([], 'a');
  list = addToShortlist(list, 'b');
  list = addToShortlist(list, 'a');
  assert.deepEqual(ids(list), ['a', 'b']);
  assert.equal(list[0]!.note, '');
});

test('a full shortlist refuses another service', () => {
  let list = Array.from({ length: SHORTLIST_MAX_ENTRIES }, (_, index) => ({ serviceId: `s${index}`, note: '' }));
  assert.throws(() => addToShortlist(list, 'one-more'), ShortlistFullError);
  list = addToShortlist(list, 's3');
  assert.equal(list.length, SHORTLIST_MAX_ENTRIES, 're-adding one already there is fine');
});

test('moving swaps with the neighbour and stops at either end', () => {
  const list = ['a', 'b', 'c'].map((serviceId) => ({ serviceId, note: '' }));
  assert.deepEqual(ids(moveInShortlist(list, 'b', 'up')), ['b', 'a', 'c']);
  assert.deepEqual(ids(moveInShortlist(list, 'b', 'down')), ['a', 'c', 'b']);
  assert.deepEqual(ids(moveInShortlist(list, 'a', 'up')), ['a', 'b', 'c']);
  assert.deepEqual(ids(moveInShortlist(list, 'c', 'down')), ['a', 'b', 'c']);
  assert.deepEqual(ids(moveInShortlist(list, 'missing', 'up')), ['a', 'b', 'c']);
  assert.deepEqual(ids(list), ['a', 'b', 'c'], 'the original is not changed');
});

test('notes are tidied and cut to length; removing drops the entry', () => {
  let list = ['a', 'b'].map((serviceId) => ({ serviceId, note: '' }));
  list = annotateShortlist(list, 'b', '  Ask for   Morag.\r\n\r\n\r\n\r\nDrop-in on Tuesdays.  ');
  assert.equal(list[1]!.note, 'Ask for Morag.\n\nDrop-in on Tuesdays.');
  list = annotateShortlist(list, 'a', 'x'.repeat(SHORTLIST_NOTE_MAX_LENGTH + 50));
  assert.equal(list[0]!.note.length, SHORTLIST_NOTE_MAX_LENGTH);
  assert.deepEqual(ids(removeFromShortlist(list, 'a')), ['b']);
});

test('what a session holds is checked: junk, duplicates and excess are dropped', () => {
  assert.deepEqual(readShortlist(undefined), []);
  assert.deepEqual(readShortlist('nonsense'), []);
  assert.deepEqual(
    readShortlist([{ serviceId: 'a', note: 'hi' }, { serviceId: 'a', note: 'again' }, null, { serviceId: 3 }, { serviceId: 'b', note: 7 }]),
    [{ serviceId: 'a', note: 'hi' }, { serviceId: 'b', note: '' }],
  );
  const many = Array.from({ length: SHORTLIST_MAX_ENTRIES + 5 }, (_, index) => ({ serviceId: `s${index}`, note: '' }));
  assert.equal(readShortlist(many).length, SHORTLIST_MAX_ENTRIES);
});

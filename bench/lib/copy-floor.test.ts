import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parentsFirst } from './copy-floor.ts';

test('the floor loads every table after the tables it refers to, whatever order they were listed in', () => {
  const references = new Map([
    ['phone', new Set(['contact', 'service'])],
    ['contact', new Set(['service'])],
    ['service', new Set(['organization'])],
    ['organization', new Set<string>()],
    ['import_record', new Set(['import_source'])],
    ['import_source', new Set(['organization'])],
  ]);
  const order = parentsFirst(['phone', 'import_record', 'contact', 'service', 'import_source', 'organization'], references);
  assert.equal(order.length, 6);
  assert.deepEqual(new Set(order), new Set(references.keys()));
  for (const [table, parents] of references) {
    for (const parent of parents) assert.ok(order.indexOf(parent) < order.indexOf(table), `${parent} before ${table} in ${order.join(', ')}`);
  }
});

test('tables that refer to each other in a circle are refused rather than loaded in an order that fails', () => {
  const references = new Map([
    ['a', new Set(['b'])],
    ['b', new Set(['a'])],
  ]);
  assert.throws(() => parentsFirst(['a', 'b'], references), /circle/);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isWithinUk, parsePostcode } from './postcode.ts';

test('reads a full postcode in any case and spacing', () => {
  for (const input of ['KA12 8AA', 'ka12 8aa', 'KA128AA', ' KA12  8AA ', 'Ka1 28aA']) {
    assert.deepEqual(parsePostcode(input), {
      kind: 'full',
      outcode: 'KA12',
      inward: '8AA',
      compact: 'KA128AA',
      formatted: 'KA12 8AA',
    });
  }
  assert.deepEqual(parsePostcode('g1 1aa'), { kind: 'full', outcode: 'G1', inward: '1AA', compact: 'G11AA', formatted: 'G1 1AA' });
  assert.equal(parsePostcode('EH1 2NG').kind, 'full');
  assert.equal(parsePostcode('SW1A 1AA').kind, 'full');
});

test('reads a district on its own', () => {
  assert.deepEqual(parsePostcode('ka12'), { kind: 'district', outcode: 'KA12' });
  assert.deepEqual(parsePostcode('G1'), { kind: 'district', outcode: 'G1' });
  assert.deepEqual(parsePostcode('SW1A'), { kind: 'district', outcode: 'SW1A' });
});

test('calls anything else with a digit malformed, and anything without one a place name', () => {
  for (const input of ['KA12 8A', 'KA12 8AAA', '12345', '1AA', 'KA12 8OA', 'KA12 8CA', 'Irvine 2']) {
    assert.equal(parsePostcode(input).kind, 'malformed', input);
  }
  for (const input of ['Irvine', 'KA', '<script>', 'Steòrnabhagh']) {
    assert.equal(parsePostcode(input).kind, 'not_a_postcode', input);
  }
});

test('knows the UK from the rest of the world', () => {
  assert.equal(isWithinUk(55.62, -4.66), true);
  assert.equal(isWithinUk(60.76, -0.85), true, 'Unst');
  assert.equal(isWithinUk(49.91, -6.31), true, 'Isles of Scilly');
  assert.equal(isWithinUk(99.999999, 0), false, "the ONS directory's no-location marker");
  assert.equal(isWithinUk(49.19, -2.11), false, 'Jersey');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSecretBox } from './secrets.ts';

test('sealed secrets open with the same key only, and differ every time', () => {
  const box = createSecretBox('k'.repeat(40));
  const sealed = box.seal('JBSWY3DPEHPK3PXP');
  assert.match(sealed, /^fd1\./);
  assert.doesNotMatch(sealed, /JBSWY3DPEHPK3PXP/);
  assert.notEqual(box.seal('JBSWY3DPEHPK3PXP'), sealed);
  assert.equal(box.open(sealed), 'JBSWY3DPEHPK3PXP');
  assert.throws(() => createSecretBox('x'.repeat(40)).open(sealed));
  assert.equal(box.open('legacy-plain'), 'legacy-plain');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvField } from './log.ts';

test('CSV fields are quoted when they need it, and cannot run as spreadsheet formulas', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField(null), '');
  assert.equal(csvField('a, "quoted" word'), '"a, ""quoted"" word"');
  assert.equal(csvField('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
  assert.equal(csvField('+44 1563 000000'), `"'+44 1563 000000"`);
});

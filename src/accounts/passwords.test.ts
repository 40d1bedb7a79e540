import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashPassword, isCommonPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { checkTotp, looksLikeRecoveryCode, newRecoveryCodes, recoveryCodeHash, totpCode } from './two-factor.ts';

test('passwords: at least 12 characters, not on the bundled common list (in any case), not the address', () => {
  assert.match(passwordProblem('short one')!, /at least 12/);
  assert.equal(isCommonPassword('PASSWORD1234'), true);
  assert.match(passwordProblem('Password1234')!, /too common/);
  assert.match(passwordProblem('flora.macdonald.1746', 'flora.macdonald@example.org')!, /email address/);
  assert.equal(passwordProblem('heather bothy kelpie lantern', 'flora@example.org'), undefined);
  assert.match(passwordProblem('x'.repeat(129))!, /at most 128/);
});

test('argon2id hashes verify, and a missing hash takes as long and fails', async () => {
  const hash = await hashPassword('heather bothy kelpie lantern');
  assert.match(hash, /^\$argon2id\$/);
  assert.equal(await verifyPassword(hash, 'heather bothy kelpie lantern'), true);
  assert.equal(await verifyPassword(hash, 'heather bothy kelpie lanterns'), false);
  assert.equal(await verifyPassword(null, 'anything'), false);
});

test('authenticator codes: accepted one step either side, never twice, and recovery codes are normalised', () => {
  const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
  const at = new Date('2026-11-24T09:00:10Z');
  const step = checkTotp(secret, totpCode(secret, at), at, null)!;
  assert.ok(step > 0);
  assert.equal(checkTotp(secret, totpCode(secret, new Date(at.getTime() - 30_000)), at, null), step - 1, 'a code from the last step still works');
  assert.equal(checkTotp(secret, totpCode(secret, new Date(at.getTime() - 90_000)), at, null), undefined, 'but not an older one');
  assert.equal(checkTotp(secret, totpCode(secret, at), at, step), undefined, 'nor the same code again');
  assert.equal(checkTotp(secret, 'abcdef', at, null), undefined);
  const [code] = newRecoveryCodes(1);
  assert.ok(looksLikeRecoveryCode(code!));
  assert.equal(recoveryCodeHash(code!.toUpperCase().replace(/-/g, ' ')), recoveryCodeHash(code!));
});

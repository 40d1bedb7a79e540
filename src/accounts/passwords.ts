import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hash, verify } from '@node-rs/argon2';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

const COMMON_PASSWORDS_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'passwords', 'common-passwords.txt');
let commonPasswords: Set<string> | undefined;

/** The bundled list of common passwords (data/passwords/), loaded once. */
export function isCommonPassword(password: string): boolean {
  commonPasswords ??= new Set(readFileSync(COMMON_PASSWORDS_FILE, 'utf8').split('\n').filter(Boolean));
  return commonPasswords.has(password.toLowerCase());
}

/** Why a new password is refused, as a sentence for the form, or undefined when it is acceptable. */
export function passwordProblem(password: string, email?: string): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) return `Enter a password of at least ${PASSWORD_MIN_LENGTH} characters. Three random words make a strong password that is easy to remember.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Enter a password of at most ${PASSWORD_MAX_LENGTH} characters.`;
  if (isCommonPassword(password)) return 'This password is too common and easy to guess. Choose another, such as three random words.';
  if (email && password.toLowerCase().includes(email.split('@')[0]!.toLowerCase()) && email.split('@')[0]!.length >= 4) {
    return 'Your password must not contain your email address.';
  }
  return undefined;
}

// argon2id with the library's defaults: 19 MiB, 2 passes, 1 lane (OWASP's recommended minimum).
export function hashPassword(password: string): Promise<string> {
  // The library's default algorithm is argon2id (its Algorithm enum is a const enum our compiler settings cannot import).
  return hash(password);
}

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) {
    // Spend the same time as a real check, so the answer does not reveal whether the account exists.
    await verify(DUMMY_HASH, password).catch(() => false);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$JEPmDETwWu61Y/MYAMK0Xw$MUdqLmaLimpuIpK5nSUxobVvIiw7twCWmrUzxBzXU1E';

/** A random token for a link (returned to send) and its hash (stored). */
export function newToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: sha256(token) };
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

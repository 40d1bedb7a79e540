import { randomInt } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import QRCode from 'qrcode';
import { sha256 } from './passwords.ts';

/** Time-based one-time passwords (RFC 6238): 6 digits, 30 seconds, SHA-1, as every authenticator app supports. */
const PERIOD_SECONDS = 30;

function totpFor(secret: string, label: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer: 'Frontdoor', label, algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS, secret: OTPAuth.Secret.fromBase32(secret) });
}

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

export function totpUri(secret: string, email: string): string {
  return totpFor(secret, email).toString();
}

/** An SVG QR code of the otpauth:// address, drawn on the server so the page needs no script. */
export function totpQrSvg(secret: string, email: string): Promise<string> {
  return QRCode.toString(totpUri(secret, email), { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
}

/** The current code, for tests and the browser test. */
export function totpCode(secret: string, at: Date): string {
  return totpFor(secret, 'x').generate({ timestamp: at.getTime() });
}

/**
 * Checks a code against the secret, allowing one step either side for clock drift. Returns the time
 * step that matched, which the caller stores so that the same code cannot be used again.
 */
export function checkTotp(secret: string, code: string, at: Date, lastStep: number | null): number | undefined {
  const cleaned = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(cleaned)) return undefined;
  const delta = totpFor(secret, 'x').validate({ token: cleaned, timestamp: at.getTime(), window: 1 });
  if (delta === null) return undefined;
  const step = Math.floor(at.getTime() / 1000 / PERIOD_SECONDS) + delta;
  if (lastStep !== null && step <= lastStep) return undefined;
  return step;
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Ten one-time recovery codes like "k7m2-x9pq-4tnb", shown once and stored only as hashes. */
export function newRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () => {
    const chars = Array.from({ length: 12 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
  });
}

export function recoveryCodeHash(code: string): string {
  return sha256(code.trim().toLowerCase().replace(/[^a-z0-9]/g, ''));
}

export function looksLikeRecoveryCode(code: string): boolean {
  return code.trim().toLowerCase().replace(/[^a-z0-9]/g, '').length === 12;
}

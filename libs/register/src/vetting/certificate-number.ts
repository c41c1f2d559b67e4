import { randomBytes } from 'node:crypto';

/** RFC 4648 base32: no 0, 1, 8 or 9 to mistake for O, I, B or g. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const DIGITS = 26;
const GROUP = 9;

/** Luhn mod 32 over `body` (rightmost character doubled): detects any one wrong character and most swaps. */
function checkCharacter(body: string): string {
  let sum = 0;
  let factor = 2;
  for (let i = body.length - 1; i >= 0; i -= 1) {
    const addend = factor * ALPHABET.indexOf(body[i]);
    sum += Math.floor(addend / 32) + (addend % 32);
    factor = factor === 2 ? 1 : 2;
  }
  return ALPHABET[(32 - (sum % 32)) % 32];
}

const grouped = (compact: string): string =>
  [compact.slice(0, GROUP), compact.slice(GROUP, 2 * GROUP), compact.slice(2 * GROUP)].join('-');

/**
 * A new certificate number: 128 random bits as 26 base32 characters, a
 * check character, in three groups of nine (`XXXXXXXXX-XXXXXXXXX-XXXXXXXXX`).
 * Unguessable, and an altered number fails its check (or names nothing)
 * instead of naming someone else's certificate.
 */
export function newCertificateNumber(random: Buffer = randomBytes(16)): string {
  let value = BigInt(`0x${random.toString('hex')}`);
  let body = '';
  for (let i = 0; i < DIGITS; i += 1) {
    body = ALPHABET[Number(value & 31n)] + body;
    value >>= 5n;
  }
  return grouped(body + checkCharacter(body));
}

/**
 * The number as stored, from what was typed or scanned (any case, with or
 * without the hyphens), or null when it cannot be a certificate number.
 */
export function canonicalCertificateNumber(text: string): string | null {
  const compact = text.toUpperCase().replace(/-/g, '');
  if (compact.length !== DIGITS + 1 || ![...compact].every((c) => ALPHABET.includes(c))) return null;
  // 26 characters carry 130 bits: a number made of 128 has its first character in A-H.
  if (ALPHABET.indexOf(compact[0]) > 7) return null;
  if (checkCharacter(compact.slice(0, DIGITS)) !== compact[DIGITS]) return null;
  return grouped(compact);
}

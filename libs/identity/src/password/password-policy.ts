import { dictionary } from '@zxcvbn-ts/language-common';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

/** About 49,000 passwords seen most often in breaches, bundled with the code (NIST 800-63B 3.1.1.2). */
const COMMON_PASSWORDS = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

/**
 * NIST 800-63B: length 12 to 128 (code points, any characters), not a known
 * breached or common password, not built on the username; no composition
 * rules. Returns the broken rule, or null.
 */
export function passwordProblem(password: string, username: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters long`;
  if (length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters long`;
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return 'is a commonly used password; choose another';
  if (username && lower.includes(username.toLowerCase())) return 'must not contain the username';
  if (/^(.)\1*$/u.test(password)) return 'must not repeat a single character';
  return null;
}

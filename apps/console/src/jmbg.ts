/** JMBG checks as the README states them ("The domain"), for feedback while typing (the server checks again). */

export type JmbgProblem = 'format' | 'date' | 'checksum' | 'dateOfBirth' | 'sex';

/** The check digit of the first twelve digits, or null when the remainder is 1 (no valid JMBG). */
export function jmbgCheckDigit(first12: string): number | null {
  const d = [...first12].map(Number);
  const weights = [7, 6, 5, 4, 3, 2];
  let sum = 0;
  for (let i = 0; i < 6; i++) sum += weights[i] * (d[i] + d[i + 6]);
  const r = sum % 11;
  if (r === 0) return 0;
  if (r === 1) return null;
  return 11 - r;
}

/** The date of birth a JMBG encodes (YYYY-MM-DD), or null when it is no real date. */
export function jmbgDate(jmbg: string): string | null {
  const day = Number(jmbg.slice(0, 2));
  const month = Number(jmbg.slice(2, 4));
  const yyy = jmbg.slice(4, 7);
  if (yyy[0] !== '9' && yyy[0] !== '0') return null;
  const fullYear = yyy.startsWith('9') ? 1000 + Number(yyy) : 2000 + Number(yyy);
  const date = new Date(Date.UTC(fullYear, month - 1, day));
  if (date.getUTCFullYear() !== fullYear || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${String(fullYear).padStart(4, '0')}-${jmbg.slice(2, 4)}-${jmbg.slice(0, 2)}`;
}

export function jmbgSex(jmbg: string): 'M' | 'F' {
  return Number(jmbg.slice(9, 12)) < 500 ? 'M' : 'F';
}

/** The first problem of a JMBG, alone and against the date of birth and sex typed beside it; null when valid. */
export function checkJmbg(jmbg: string, dateOfBirth?: string, sex?: string): JmbgProblem | null {
  if (!/^\d{13}$/.test(jmbg)) return 'format';
  const date = jmbgDate(jmbg);
  if (!date) return 'date';
  if (jmbgCheckDigit(jmbg.slice(0, 12)) !== Number(jmbg[12])) return 'checksum';
  if (dateOfBirth && dateOfBirth !== date) return 'dateOfBirth';
  if (sex && sex !== jmbgSex(jmbg)) return 'sex';
  return null;
}

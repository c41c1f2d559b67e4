/**
 * JMBG, the unique master citizen number: 13 digits `DD MM YYY RR BBB K`.
 * YYY 9xx is 1xxx and 0xx is 2xxx; the date must exist; BBB 000-499 is
 * male, 500-999 female; K is the mod-11 check digit. RR (region of
 * registration) is never a police region.
 */
export type JmbgProblem = 'format' | 'date' | 'check_digit' | 'sex' | 'date_of_birth';

/** How to treat a check remainder of 1, which some descriptions map to K = 0 (a setting; default invalid). */
export type RemainderOnePolicy = 'invalid' | 'zero';

export interface JmbgFacts {
  dateOfBirth: string;
  sex: 'M' | 'F';
  registrationRegion: string;
}

const WEIGHTS = [7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

export function expectedCheckDigit(first12: string, policy: RemainderOnePolicy = 'invalid'): number | null {
  const sum = WEIGHTS.reduce((total, weight, i) => total + weight * Number(first12[i]), 0);
  const r = sum % 11;
  if (r === 0) return 0;
  if (r === 1) return policy === 'zero' ? 0 : null;
  return 11 - r;
}

/** The facts a JMBG states, or the first problem with it. */
export function parseJmbg(
  jmbg: string,
  policy: RemainderOnePolicy = 'invalid',
): { facts: JmbgFacts } | { problem: JmbgProblem } {
  if (!/^\d{13}$/.test(jmbg)) return { problem: 'format' };
  const day = Number(jmbg.slice(0, 2));
  const month = Number(jmbg.slice(2, 4));
  const yyy = Number(jmbg.slice(4, 7));
  const year = yyy >= 900 ? 1000 + yyy : 2000 + yyy;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (
    month < 1 ||
    month > 12 ||
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    return { problem: 'date' };
  }
  const check = expectedCheckDigit(jmbg.slice(0, 12), policy);
  if (check === null || check !== Number(jmbg[12])) return { problem: 'check_digit' };
  const serial = Number(jmbg.slice(9, 12));
  return {
    facts: {
      dateOfBirth: `${String(year).padStart(4, '0')}-${jmbg.slice(2, 4)}-${jmbg.slice(0, 2)}`,
      sex: serial < 500 ? 'M' : 'F',
      registrationRegion: jmbg.slice(7, 9),
    },
  };
}

const MESSAGES: Record<JmbgProblem, string> = {
  format: 'must be 13 digits',
  date: 'does not contain a real date of birth',
  check_digit: 'has a wrong check digit',
  sex: 'does not agree with sex (000-499 male, 500-999 female)',
  date_of_birth: 'does not agree with dateOfBirth',
};

/** Field messages for a JMBG checked against the person's stated date of birth and sex. */
export function jmbgErrors(
  jmbg: string,
  person: { dateOfBirth?: string; sex?: string },
  policy: RemainderOnePolicy = 'invalid',
): string[] {
  const parsed = parseJmbg(jmbg, policy);
  if ('problem' in parsed) return [MESSAGES[parsed.problem]];
  const errors: string[] = [];
  if (person.dateOfBirth && person.dateOfBirth !== parsed.facts.dateOfBirth) errors.push(MESSAGES.date_of_birth);
  if (person.sex && person.sex !== parsed.facts.sex) errors.push(MESSAGES.sex);
  return errors;
}

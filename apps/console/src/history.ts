import { same } from './diff';
import type { Language } from './i18n';
import { type Words, words } from './problems';

/** The parts of a person the history names (`person_history.part`). */
const PARTS: Record<string, Words> = {
  person: ['Lični podaci', 'Personal data'],
  address: ['Adresa', 'Address'],
  address_check: ['Provera adrese', 'Address check'],
  workplace: ['Zaposlenje', 'Workplace'],
  physical_description: ['Opis', 'Description'],
  dna_reference: ['DNK oznaka', 'DNA reference'],
  photo: ['Fotografija', 'Photo'],
  conviction: ['Presuda', 'Conviction'],
  measure: ['Mera', 'Measure'],
  acknowledgement: ['Potvrda o upoznavanju', 'Acknowledgement'],
  check_in: ['Javljanje', 'Check-in'],
  counselling: ['Savetovanje', 'Counselling'],
  notification: ['Obaveštenje', 'Notification'],
  breach: ['Kršenje mere', 'Breach'],
  arrival: ['Dolazak u upravu', 'Arrival'],
  referral: ['Prijava tužilaštvu', 'Referral'],
  disclosure: ['Dostavljanje podataka', 'Disclosure'],
};

/** What happened to the part (`person_history.change`). */
const CHANGES: Record<string, Words> = {
  create: ['upis', 'recorded'],
  update: ['izmena', 'corrected'],
  void: ['poništenje', 'voided'],
  release: ['otpuštanje', 'release'],
  return: ['povratak', 'return'],
  transfer: ['premeštaj', 'transfer'],
  referral: ['prijava', 'referral'],
  outcome: ['ishod', 'outcome'],
};

const pick = (pair: Words | undefined, code: string, language: Language): string =>
  pair ? words(pair, language) : code;

/** A history entry's kind in words: "Adresa – izmena". */
export function historyWords(part: string, change: string, language: Language): string {
  return `${pick(PARTS[part], part, language)} – ${pick(CHANGES[change], change, language)}`;
}

export interface FieldChange {
  field: string;
  /** undefined: the field is new (a record). */
  before: unknown;
  after: unknown;
}

/** The fields an entry changed, nested objects by dotted paths (`sentence.months`); a record's every field. */
export function changedFields(before: unknown, after: unknown, prefix = ''): FieldChange[] {
  const old = isRecord(before) ? before : {};
  const now = isRecord(after) ? after : {};
  const fields = [...new Set([...Object.keys(old), ...Object.keys(now)])];
  return fields.flatMap((key): FieldChange[] => {
    const field = prefix ? `${prefix}.${key}` : key;
    const [a, b] = [old[key], now[key]];
    if (same(a, b)) return [];
    if (isRecord(a) || isRecord(b)) return changedFields(a, b, field);
    return [{ field, before: isRecord(before) ? a : undefined, after: b }];
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

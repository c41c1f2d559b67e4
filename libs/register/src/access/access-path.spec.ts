import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The architecture rule behind the one access path: a person's records are
 * reached only through libs/register/src/access (PersonAccess, the scope it
 * opens, and the read model, search and lookup built on its scope). Any
 * other file that names a person-owned table in SQL, or hands a
 * person-owned entity to TypeORM itself, fails this test.
 */
const ROOT = process.cwd();

/** The tables that hold a person's records (and their TypeORM entities). */
const TABLES = [
  'persons',
  'person_history',
  'person_name_words',
  'addresses',
  'workplaces',
  'physical_descriptions',
  'dna_references',
  'photos',
  'convictions',
  'measures',
  'measure_suspensions',
  'check_ins',
  'notifications',
  'breaches',
  'counselling_attendances',
  'transfers',
  'arrivals',
  'office_reporting_schedules',
  'acknowledgements',
  'address_checks',
  'location_place_pairs',
  'disclosures',
  'referrals',
  'referral_items',
];
const ENTITIES = [
  'Person',
  'PersonHistoryEntry',
  'Address',
  'Workplace',
  'PhysicalDescription',
  'DnaReference',
  'Photo',
  'Conviction',
  'Measure',
  'MeasureSuspension',
  'CheckIn',
  'Notification',
  'Breach',
  'CounsellingAttendance',
  'Transfer',
  'Arrival',
  'OfficeReportingSchedule',
  'Acknowledgement',
  'AddressCheck',
  'Disclosure',
  'Referral',
  'ReferralItem',
];

const ALLOWED = [
  /^libs\/register\/src\/access\//,
  // Where the tables and entities are defined.
  /^libs\/register\/src\/entities\//,
  /^migrations\//,
];

/** Files that may run one statement on a person-owned table, for the reason stated, and nothing else. */
const EXEMPT: Record<string, string> = {
  // The auditor's subject filter turns a JMBG into person ids to match events; no register data is returned.
  'libs/audit/src/audit-query.service.ts': 'SELECT id FROM persons WHERE jmbg',
};

const SQL = new RegExp(`\\b(?:from|join|into|update|table)\\s+(?:only\\s+)?(${TABLES.join('|')})\\b`, 'gi');
const TYPEORM = new RegExp(
  `(?:getRepository|InjectRepository|createQueryBuilder|withRepository|getMetadata|Repository<)\\(?\\s*(${ENTITIES.join('|')})\\b` +
    `|new\\s+PersonScope\\b` +
    `|\\b(?:manager|entityManager|dataSource)\\.(?:find\\w*|save|insert|update|upsert|delete|remove|exists\\w*|count\\w*|increment|decrement)\\(\\s*(${ENTITIES.join('|')})\\b`,
  'g',
);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'console' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Every place outside the access path that reaches a person's records. */
export function violations(files: { path: string; text: string }[]): string[] {
  const found: string[] = [];
  for (const { path, text } of files) {
    if (ALLOWED.some((pattern) => pattern.test(path))) continue;
    for (const pattern of [SQL, TYPEORM]) {
      for (const match of text.matchAll(pattern)) {
        const line = text.slice(0, match.index).split('\n').length;
        const exempt = EXEMPT[path];
        if (exempt && text.split('\n')[line - 1].includes(exempt)) continue;
        found.push(`${path}:${line}: ${match[0].trim()}`);
      }
    }
  }
  return found;
}

describe('the one access path', () => {
  const files = ['libs', 'apps'].flatMap((dir) =>
    sources(join(ROOT, dir)).map((file) => ({
      path: relative(ROOT, file).split('\\').join('/'),
      text: readFileSync(file, 'utf8'),
    })),
  );

  it('reads the sources', () => {
    expect(files.some((f) => f.path === 'libs/register/src/access/person-access.ts')).toBe(true);
    expect(files.length).toBeGreaterThan(100);
  });

  it('leaves no service reaching a person-owned table outside libs/register/src/access', () => {
    expect(violations(files)).toEqual([]);
  });

  it('catches SQL and TypeORM calls that go around it', () => {
    const service = (text: string) => [{ path: 'libs/compliance/src/example.service.ts', text }];
    expect(violations(service('await manager.query(`SELECT * FROM check_ins WHERE id = $1`)'))).toEqual([
      'libs/compliance/src/example.service.ts:1: FROM check_ins',
    ]);
    expect(violations(service('const r = manager.getRepository(Address);'))).toEqual([
      'libs/compliance/src/example.service.ts:1: getRepository(Address',
    ]);
    expect(violations(service('await this.manager.findOneBy(Person, { id })'))).toEqual([
      'libs/compliance/src/example.service.ts:1: manager.findOneBy(Person',
    ]);
    expect(violations(service("await manager.query('UPDATE persons SET regions = $2')"))).toEqual([
      'libs/compliance/src/example.service.ts:1: UPDATE persons',
    ]);
    // A scope made by hand skips the gate.
    expect(violations(service('const person = new PersonScope(manager, audit, row, "update", null);'))).toEqual([
      'libs/compliance/src/example.service.ts:1: new PersonScope',
    ]);
    // Through the scope the access path opened: allowed.
    expect(violations(service('await person.insert(Address, values); await person.all(Measure, {})'))).toEqual([]);
    expect(
      violations([{ path: 'libs/register/src/access/person-scope.ts', text: 'manager.getRepository(Address)' }]),
    ).toEqual([]);
  });
});

import { snakeCase, SnakeNamingStrategy } from './snake-naming.strategy';

describe('SnakeNamingStrategy', () => {
  it.each([
    ['policeAdministration', 'police_administration'],
    ['CheckIn', 'check_in'],
    ['dnaReference', 'dna_reference'],
    ['HTTPStatus', 'http_status'],
    ['subjectPersonIds', 'subject_person_ids'],
    ['already_snake', 'already_snake'],
  ])('turns %s into %s', (input, expected) => {
    expect(snakeCase(input)).toBe(expected);
  });

  it('keeps explicit names and prefixes embedded columns', () => {
    const strategy = new SnakeNamingStrategy();
    expect(strategy.tableName('AuditEvent', undefined)).toBe('audit_event');
    expect(strategy.tableName('AuditEvent', 'audit_events')).toBe('audit_events');
    expect(strategy.columnName('userId', undefined, ['actor'])).toBe('actor_user_id');
    expect(strategy.columnName('userId', 'uid', [])).toBe('uid');
    expect(strategy.joinColumnName('measure', 'id')).toBe('measure_id');
  });
});

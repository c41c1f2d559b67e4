import type { EntityManager } from 'typeorm';
import { RequestAudit } from '@app/audit';
import { Address } from '../entities/address.entity';
import type { Person } from '../entities/person.entity';
import { PersonScope } from './person-scope';

describe('PersonScope', () => {
  // No database: every write must be refused before it reaches the manager.
  const manager = {} as EntityManager;
  const person = { id: '3f2c1a9e-8b7d-4c6e-9f01-23456789abcd' } as Person;
  const opened = (action: 'read' | 'record') =>
    new PersonScope(manager, RequestAudit.system('test'), person, action, null);

  it('refuses every write when the caller was let through to read', async () => {
    const scope = opened('read');
    const refused = /a scope opened to read cannot write/;
    expect(() => scope.insert(Address, {})).toThrow(refused);
    expect(() => scope.save(Address, { personId: person.id } as Address)).toThrow(refused);
    expect(() => scope.savePerson()).toThrow(refused);
    expect(() => scope.suspensions({ id: 'm', personId: person.id })).toThrow(refused);
    await expect(scope.history({ part: 'x', partId: 'y', change: 'z', before: null, after: null })).rejects.toThrow(
      refused,
    );
    await expect(scope.refreshRegions()).rejects.toThrow(refused);
  });

  it('refuses a row of another person, whatever the action', () => {
    expect(() => opened('record').save(Address, { personId: 'another' } as Address)).toThrow('a row of another person');
  });
});

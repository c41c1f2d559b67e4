import { Injectable } from '@nestjs/common';
import type { EntityManager, FindOptionsWhere } from 'typeorm';
import { AppConfig, belgradeToday, DomainError, type FieldError, isRealDate, versionMismatch } from '@app/common';
import type { Principal } from '@app/authz';
import { AuditLog, type RequestAudit } from '@app/audit';
import { User } from '@app/identity';
import { PersonAccess } from './access/person-access';
import { PersonReadModel } from './access/person-read-model';
import type { CreatePersonDto, UpdatePersonDto } from './dto/person.dto';
import { Person } from './entities/person.entity';
import { jmbgErrors } from './jmbg';
import { searchKey } from './names';
import { personalData, type PersonView } from './person.views';
import { sentFields } from './sent-fields';

/** The names a person is searched by, folded into one key (and the surname's own, for ranking). */
function keysOf(person: Pick<Person, 'surname' | 'givenNames' | 'aliases'>): Pick<Person, 'searchKey' | 'surnameKey'> {
  return {
    surnameKey: searchKey(person.surname),
    searchKey: [person.surname, person.givenNames, ...person.aliases].map(searchKey).join(' | '),
  };
}

/** Records persons and corrects their personal data; the answers are the read model's view. */
@Injectable()
export class PersonsService {
  constructor(
    private readonly access: PersonAccess,
    private readonly view: PersonReadModel,
    private readonly log: AuditLog,
    private readonly config: AppConfig,
  ) {}

  create(audit: RequestAudit, principal: Principal, input: CreatePersonDto): Promise<PersonView> {
    audit.on('person');
    const state = {
      surname: input.surname,
      givenNames: input.givenNames,
      parentNames: input.parentNames ?? null,
      jmbg: input.jmbg ?? null,
      idDocumentType: input.identityDocument?.type ?? null,
      idDocumentNumber: input.identityDocument?.number ?? null,
      idDocumentCountry: input.identityDocument?.issuingCountry ?? null,
      dateOfBirth: input.dateOfBirth,
      placeOfBirth: input.placeOfBirth,
      sex: input.sex,
      citizenship: input.citizenship,
      aliases: input.aliases ?? [],
      managingOfficerId: input.managingOfficerId ?? null,
    };
    return this.log.transaction(audit, async (manager) => {
      await this.assertValid(manager, state);
      await this.assertUnique(manager, state, null);
      const person = await this.access.create(manager, audit, principal, { ...state, ...keysOf(state), regions: [] });
      audit.on('person', person.id).subject(person.id);
      await person.history({
        part: 'person',
        partId: person.id,
        change: 'create',
        before: null,
        after: personalData(person.person),
      });
      return this.view.current(person, principal);
    });
  }

  update(
    audit: RequestAudit,
    principal: Principal,
    id: string,
    version: number,
    changes: UpdatePersonDto,
  ): Promise<PersonView> {
    audit.on('person', id).subject(id);
    return this.access.within(
      audit,
      principal,
      { action: 'update', on: 'Person', personId: id, lock: true },
      async (scope) => {
        const person = scope.person;
        if (person.version !== version) throw versionMismatch();
        const before = personalData(person);
        const document =
          changes.identityDocument === undefined
            ? {}
            : {
                idDocumentType: changes.identityDocument?.type ?? null,
                idDocumentNumber: changes.identityDocument?.number ?? null,
                idDocumentCountry: changes.identityDocument?.issuingCountry ?? null,
              };
        // Only the fields sent: a DTO instance carries the others as undefined.
        const { identityDocument: _document, ...rest } = changes;
        Object.assign(person, sentFields(rest), document);
        await this.assertValid(scope.manager, person);
        await this.assertUnique(scope.manager, person, person.id);
        Object.assign(person, keysOf(person));
        const saved = await scope.savePerson();
        await scope.history({ part: 'person', partId: id, change: 'update', before, after: personalData(saved) });
        return this.view.current(scope, principal);
      },
    );
  }

  private async assertValid(
    manager: EntityManager,
    person: Pick<Person, 'jmbg' | 'idDocumentNumber' | 'citizenship' | 'dateOfBirth' | 'sex' | 'managingOfficerId'>,
  ): Promise<void> {
    const errors: FieldError[] = [];
    if (!isRealDate(person.dateOfBirth)) {
      errors.push({ field: 'dateOfBirth', message: 'is not a real date' });
    } else if (person.dateOfBirth > belgradeToday()) {
      errors.push({ field: 'dateOfBirth', message: 'must not be in the future' });
    }
    if (person.jmbg) {
      for (const message of jmbgErrors(person.jmbg, person, this.config.register.jmbgRemainderOne)) {
        errors.push({ field: 'jmbg', message });
      }
    } else if (person.citizenship === 'RS') {
      errors.push({ field: 'jmbg', message: 'is required for Serbian citizens' });
    } else if (!person.idDocumentNumber) {
      errors.push({ field: 'identityDocument', message: 'is required without a JMBG' });
    }
    if (person.managingOfficerId) {
      const officer = await manager
        .getRepository(User)
        .findOneBy({ id: person.managingOfficerId, role: 'police_officer', active: true });
      if (!officer) errors.push({ field: 'managingOfficerId', message: 'is not an active police officer' });
    }
    if (errors.length > 0) throw DomainError.validation(errors);
  }

  private async assertUnique(
    manager: EntityManager,
    person: Pick<Person, 'jmbg' | 'idDocumentType' | 'idDocumentNumber' | 'idDocumentCountry'>,
    exceptId: string | null,
  ): Promise<void> {
    const taken = (where: FindOptionsWhere<Person>) => this.access.taken(manager, where, exceptId);
    if (person.jmbg && (await taken({ jmbg: person.jmbg }))) {
      throw DomainError.conflict('A person with this JMBG is already registered.');
    }
    if (
      person.idDocumentNumber &&
      (await taken({
        idDocumentType: person.idDocumentType ?? undefined,
        idDocumentNumber: person.idDocumentNumber,
        idDocumentCountry: person.idDocumentCountry ?? undefined,
      }))
    ) {
      throw DomainError.conflict('A person with this identity document is already registered.');
    }
  }
}

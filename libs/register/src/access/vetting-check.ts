import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '@app/common';
import type { RequestAudit } from '@app/audit';
import { bansOn } from '../bans';
import { Person } from '../entities/person.entity';
import type { CandidateIdentifier } from '../vetting/vetting-keys';
import { PersonScope } from './person-scope';

/**
 * Whether a vetting candidate is barred on a day: the one read of the
 * register an employer's request makes. The route's permission (`create`
 * on `VettingRequest`, granted without conditions) is the whole rule, as for
 * the cross-region lookup: the vetting officer reads no person. The person
 * is found by the identifier the employer gave (a JMBG, or an identity
 * document), the bans are the workplace checks' (`bansOn`: the ban on work
 * with minors, and the ban on public office when the activity is one), and
 * only the barred person's id leaves, for the disclosure's audit event.
 */
@Injectable()
export class VettingCheck {
  constructor(private readonly config: AppConfig) {}

  /** The id of the person barred from the activity on `on`, or null (not in the register, or not barred). */
  async barredPerson(
    manager: EntityManager,
    audit: RequestAudit,
    candidate: CandidateIdentifier,
    activity: { publicOffice: boolean; on: string },
  ): Promise<string | null> {
    const person = await manager.getRepository(Person).findOneBy(
      candidate.kind === 'jmbg'
        ? { jmbg: candidate.jmbg }
        : {
            idDocumentType: candidate.type,
            idDocumentNumber: candidate.number,
            idDocumentCountry: candidate.country,
          },
    );
    if (!person) return null;
    const bans = await bansOn(
      new PersonScope(manager, audit, person, 'read', null),
      { involvesMinors: true, publicOffice: activity.publicOffice, validFrom: activity.on },
      this.config.register.employmentBanYears,
    );
    return bans.length > 0 ? person.id : null;
  }
}

import { Injectable } from '@nestjs/common';
import { DomainError, isRealDate, type Page } from '@app/common';
import type { Principal } from '@app/authz';
import type { RequestAudit } from '@app/audit';
import { PersonAccess, type PersonTarget } from './access/person-access';
import type { PersonScope } from './access/person-scope';
import type { CreateWorkplaceDto, UpdateWorkplaceDto } from './dto/workplace.dto';
import { Workplace } from './entities/workplace.entity';
import { sentFields } from './sent-fields';
import { assertPairedCoordinates, coordinatesOf } from './places/coordinates';

export interface WorkplaceView {
  id: string;
  employer: string;
  address: string;
  involvesMinors: boolean;
  validFrom: string;
  validTo: string | null;
  /** Present only when recorded (WGS 84). */
  latitude?: number;
  longitude?: number;
  version: number;
}

export const toWorkplaceView = (w: Workplace): WorkplaceView => ({
  id: w.id,
  employer: w.employer,
  address: w.address,
  involvesMinors: w.involvesMinors,
  validFrom: w.validFrom,
  validTo: w.validTo,
  ...coordinatesOf(w),
  version: w.version,
});

function assertRealDate(validFrom: string): void {
  if (!isRealDate(validFrom)) throw DomainError.validation([{ field: 'validFrom', message: 'is not a real date' }]);
}

/** Employment with history; officers record it for persons in their region. */
@Injectable()
export class WorkplacesService {
  constructor(private readonly access: PersonAccess) {}

  add(audit: RequestAudit, principal: Principal, personId: string, input: CreateWorkplaceDto): Promise<WorkplaceView> {
    audit.on('workplace').subject(personId);
    return this.access.within(audit, principal, this.target(personId), (person) => this.record(person, input));
  }

  /** What recording a workplace for the person needs. */
  target(personId: string): PersonTarget<'Workplace'> {
    return { action: 'record', on: 'Workplace', personId, lock: true };
  }

  /** Records a workplace on a person opened with `target` (also for a notified change of workplace). */
  async record(person: PersonScope, input: CreateWorkplaceDto): Promise<WorkplaceView> {
    assertRealDate(input.validFrom);
    assertPairedCoordinates(input);
    const { created: workplace } = await person.supersede({
      entity: Workplace,
      part: 'workplace',
      current: {},
      values: { ...input },
      view: toWorkplaceView,
      describe: 'A workplace',
    });
    person.audit.on('workplace', workplace.id);
    return toWorkplaceView(workplace);
  }

  list(audit: RequestAudit, principal: Principal, personId: string): Promise<Page<WorkplaceView>> {
    return this.access.list(audit, principal, 'workplace', { on: 'Workplace', personId }, async (person) =>
      (await person.all(Workplace, { validFrom: 'DESC', id: 'DESC' })).map(toWorkplaceView),
    );
  }

  correct(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    workplaceId: string,
    version: number,
    changes: UpdateWorkplaceDto,
  ): Promise<WorkplaceView> {
    audit.on('workplace', workplaceId).subject(personId);
    if (changes.validFrom) assertRealDate(changes.validFrom);
    const part = { entity: Workplace, id: workplaceId, absent: 'No such workplace.' };
    return this.access.within(
      audit,
      principal,
      { action: 'update', on: 'Workplace', personId, part, lock: true },
      (person) =>
        person.change({
          entity: Workplace,
          part: 'workplace',
          version,
          view: toWorkplaceView,
          apply: (workplace) => {
            Object.assign(workplace, sentFields(changes));
            assertPairedCoordinates(workplace);
            if (workplace.validTo !== null && workplace.validTo < workplace.validFrom) {
              throw DomainError.validation([
                { field: 'validFrom', message: `must not be after the workplace ended (${workplace.validTo})` },
              ]);
            }
          },
        }),
    );
  }
}

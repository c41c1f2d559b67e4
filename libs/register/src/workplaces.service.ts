import { subject } from '@casl/ability';
import { Injectable } from '@nestjs/common';
import { type EntityManager, IsNull } from 'typeorm';
import { DomainError, isRealDate, type Page } from '@app/common';
import { AbilityFactory, type Principal } from '@app/authz';
import { AuditLog, type RequestAudit } from '@app/audit';
import type { CreateWorkplaceDto, UpdateWorkplaceDto } from './dto/workplace.dto';
import { Workplace } from './entities/workplace.entity';
import { personNotFound, PersonRecords, sentFields } from './person-records';

export interface WorkplaceView {
  id: string;
  employer: string;
  address: string;
  involvesMinors: boolean;
  validFrom: string;
  validTo: string | null;
  version: number;
}

export const toWorkplaceView = (w: Workplace): WorkplaceView => ({
  id: w.id,
  employer: w.employer,
  address: w.address,
  involvesMinors: w.involvesMinors,
  validFrom: w.validFrom,
  validTo: w.validTo,
  version: w.version,
});

function assertRealDate(validFrom: string): void {
  if (!isRealDate(validFrom)) throw DomainError.validation([{ field: 'validFrom', message: 'is not a real date' }]);
}

/** Employment with history; officers record it for persons in their region. */
@Injectable()
export class WorkplacesService {
  constructor(
    private readonly log: AuditLog,
    private readonly abilities: AbilityFactory,
    private readonly records: PersonRecords,
  ) {}

  async add(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    input: CreateWorkplaceDto,
  ): Promise<WorkplaceView> {
    audit.on('workplace').subject(personId);
    return this.log.transaction(audit, (manager) => this.record(manager, audit, principal, personId, input));
  }

  /** Records a workplace in the caller's transaction (also for a notified change of workplace). */
  async record(
    manager: EntityManager,
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    input: CreateWorkplaceDto,
  ): Promise<WorkplaceView> {
    const person = await this.records.find(manager, personId, true);
    const target = { personRegions: person.regions } as Record<string, unknown>;
    if (!this.abilities.createForPrincipal(principal).can('record', subject('Workplace', target))) {
      audit.outcome = 'denied';
      throw personNotFound();
    }
    assertRealDate(input.validFrom);
    const { created: workplace } = await this.records.supersede(manager, audit, {
      entity: Workplace,
      personId,
      part: 'workplace',
      current: { personId },
      values: { personId, ...input },
      view: toWorkplaceView,
      describe: 'A workplace',
    });
    audit.on('workplace', workplace.id);
    return toWorkplaceView(workplace);
  }

  list(audit: RequestAudit, principal: Principal, personId: string): Promise<Page<WorkplaceView>> {
    return this.records.listParts(audit, principal, personId, 'workplace', async (manager) =>
      (
        await manager.getRepository(Workplace).find({ where: { personId }, order: { validFrom: 'DESC', id: 'DESC' } })
      ).map(toWorkplaceView),
    );
  }

  async correct(
    audit: RequestAudit,
    personId: string,
    workplaceId: string,
    version: number,
    changes: UpdateWorkplaceDto,
  ): Promise<WorkplaceView> {
    audit.on('workplace', workplaceId).subject(personId);
    if (changes.validFrom) assertRealDate(changes.validFrom);
    return this.log.transaction(audit, async (manager) => {
      await this.records.find(manager, personId, true);
      return this.records.correctPart(manager, audit, {
        entity: Workplace,
        personId,
        partId: workplaceId,
        part: 'workplace',
        version,
        view: toWorkplaceView,
        apply: (workplace) => {
          Object.assign(workplace, sentFields(changes));
          if (workplace.validTo !== null && workplace.validTo < workplace.validFrom) {
            throw DomainError.validation([
              { field: 'validFrom', message: `must not be after the workplace ended (${workplace.validTo})` },
            ]);
          }
        },
      });
    });
  }

  async current(manager: EntityManager, personId: string): Promise<WorkplaceView | null> {
    const row = await manager.getRepository(Workplace).findOneBy({ personId, validTo: IsNull() });
    return row ? toWorkplaceView(row) : null;
  }
}

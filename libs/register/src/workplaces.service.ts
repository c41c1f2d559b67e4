import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { AppConfig, DomainError, isRealDate, type Page } from '@app/common';
import type { Principal } from '@app/authz';
import type { RequestAudit } from '@app/audit';
import { AlertRaiser } from '@app/compliance';
import { PersonAccess, type PersonTarget } from './access/person-access';
import type { PersonScope } from './access/person-scope';
import type { CreateWorkplaceDto, UpdateWorkplaceDto } from './dto/workplace.dto';
import { Workplace } from './entities/workplace.entity';
import { sentFields } from './sent-fields';
import { BanWarning, bansOn } from './bans';

export type { BanWarning };
import { assertPairedCoordinates, coordinatesOf } from './places/coordinates';

export class WorkplaceView {
  @ApiProperty({ format: 'uuid', example: 'c2f1a7d4-5b3e-4f6a-8d9c-1e2f3a4b5c6d' })
  id!: string;

  @ApiProperty({ example: 'Gradsko zelenilo d.o.o.' })
  employer!: string;

  @ApiProperty({ example: 'Bulevar Nemanjića 30, Niš' })
  address!: string;

  @ApiProperty({ example: false })
  involvesMinors!: boolean;

  @ApiProperty({ example: false })
  publicOffice!: boolean;

  @ApiProperty({ format: 'date', example: '2026-02-01' })
  validFrom!: string;

  @ApiProperty({ type: String, format: 'date', nullable: true, example: null })
  validTo!: string | null;

  /** Present only when recorded (WGS 84). */
  @ApiProperty({ required: false, example: 43.3209 })
  latitude?: number;

  @ApiProperty({ required: false, example: 21.8958 })
  longitude?: number;

  @ApiProperty({ example: 1 })
  version!: number;
}

/** A workplace as a write answers it: with the bans it runs into (each raised a `prohibited_employment` alert). */
export class RecordedWorkplaceView extends WorkplaceView {
  @ApiProperty({ type: () => [BanWarning], example: [] })
  warnings!: BanWarning[];
}

export const toWorkplaceView = (w: Workplace): WorkplaceView => ({
  id: w.id,
  employer: w.employer,
  address: w.address,
  involvesMinors: w.involvesMinors,
  publicOffice: w.publicOffice,
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
  constructor(
    private readonly access: PersonAccess,
    private readonly config: AppConfig,
    private readonly raiser: AlertRaiser,
  ) {}

  add(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    input: CreateWorkplaceDto,
  ): Promise<RecordedWorkplaceView> {
    audit.on('workplace').subject(personId);
    return this.access.within(audit, principal, this.target(personId), (person) => this.record(person, input));
  }

  /** What recording a workplace for the person needs. */
  target(personId: string): PersonTarget<'Workplace'> {
    return { action: 'record', on: 'Workplace', personId, lock: true };
  }

  /** Records a workplace on a person opened with `target` (also for a notified change of workplace). */
  async record(person: PersonScope, input: CreateWorkplaceDto): Promise<RecordedWorkplaceView> {
    assertRealDate(input.validFrom);
    assertPairedCoordinates(input);
    const { created: workplace } = await person.supersede({
      entity: Workplace,
      part: 'workplace',
      current: {},
      values: { ...input, publicOffice: input.publicOffice ?? false },
      view: toWorkplaceView,
      describe: 'A workplace',
    });
    person.audit.on('workplace', workplace.id);
    return { ...toWorkplaceView(workplace), warnings: await this.enforceBans(person, workplace) };
  }

  /**
   * The bans the workplace runs into (bansOn): each time there is one, the
   * event is flagged and a `prohibited_employment` alert is raised (once per
   * workplace and validFrom) to the administration responsible for the
   * person and the clerks of the UIKS office serving it.
   */
  private async enforceBans(person: PersonScope, workplace: Workplace): Promise<BanWarning[]> {
    const warnings = await bansOn(person, workplace, this.config.register.employmentBanYears);
    if (warnings.length === 0) return warnings;
    person.audit.flagged = true;
    await this.raiser.raise(person.manager, [
      {
        kind: 'prohibited_employment',
        personId: person.id,
        measureId: null,
        sourceId: workplace.id,
        dueDate: workplace.validFrom,
        // The person's responsible administration, and the clerks of the office serving it.
        policeAdministration: null,
        office: await person.servingOffice(),
      },
    ]);
    return warnings;
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
  ): Promise<RecordedWorkplaceView> {
    audit.on('workplace', workplaceId).subject(personId);
    if (changes.validFrom) assertRealDate(changes.validFrom);
    const part = { entity: Workplace, id: workplaceId, absent: 'No such workplace.' };
    return this.access.within(
      audit,
      principal,
      { action: 'update', on: 'Workplace', personId, part, lock: true },
      async (person) => {
        let warnings: BanWarning[] = [];
        const view = await person.change({
          entity: Workplace,
          part: 'workplace',
          version,
          view: toWorkplaceView,
          apply: async (workplace) => {
            Object.assign(workplace, sentFields(changes));
            assertPairedCoordinates(workplace);
            if (workplace.validTo !== null && workplace.validTo < workplace.validFrom) {
              throw DomainError.validation([
                { field: 'validFrom', message: `must not be after the workplace ended (${workplace.validTo})` },
              ]);
            }
            warnings = await this.enforceBans(person, workplace);
          },
        });
        return { ...view, warnings };
      },
    );
  }
}

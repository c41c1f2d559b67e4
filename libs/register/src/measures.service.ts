import { Injectable } from '@nestjs/common';
import { type EntityManager, IsNull } from 'typeorm';
import { addYears, AppConfig, DomainError, type FieldError, isRealDate, type Page, versionMismatch } from '@app/common';
import type { Principal } from '@app/authz';
import { AuditLog, type RequestAudit } from '@app/audit';
import { PoliceAdministration } from '@app/identity';
import type { CreateMeasureDto, MeasureAction } from './dto/measure.dto';
import { Conviction } from './entities/conviction.entity';
import { Measure, type MeasureStatus } from './entities/measure.entity';
import { MeasureSuspension } from './entities/measure-suspension.entity';
import { PersonRecords } from './person-records';

export interface MeasureView {
  id: string;
  type: string;
  startsOn: string;
  endsOn: string;
  reportTo: string | null;
  everyDays: number | null;
  status: MeasureStatus;
  statusChangedOn: string | null;
  version: number;
}

export function toMeasureView(m: Measure): MeasureView {
  return {
    id: m.id,
    type: m.type,
    startsOn: m.startsOn,
    endsOn: m.endsOn,
    reportTo: m.reportTo,
    everyDays: m.everyDays,
    status: m.status,
    statusChangedOn: m.statusChangedOn,
    version: m.version,
  };
}

/** Which action leads from which state; anything else is a conflict. */
const TRANSITIONS: Record<MeasureAction, { from: MeasureStatus[]; to: MeasureStatus }> = {
  suspend: { from: ['active'], to: 'suspended' },
  resume: { from: ['suspended'], to: 'active' },
  end: { from: ['active', 'suspended'], to: 'ended' },
};

/** The special measures: imposed within the law's limit after release, suspended, resumed, ended. */
@Injectable()
export class MeasuresService {
  constructor(
    private readonly log: AuditLog,
    private readonly records: PersonRecords,
    private readonly config: AppConfig,
  ) {}

  async add(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    input: CreateMeasureDto,
  ): Promise<MeasureView> {
    audit.on('measure').subject(personId);
    return this.log.transaction(audit, async (manager) => {
      await this.records.within(manager, audit, principal, personId, 'read', true);
      const everyDays =
        input.type === 'periodic_reporting' ? (input.everyDays ?? this.config.register.reportingEveryDays) : null;
      await this.assertValid(manager, personId, input);
      const repository = manager.getRepository(Measure);
      const measure = await repository.save(
        repository.create({
          personId,
          type: input.type,
          startsOn: input.startsOn,
          endsOn: input.endsOn,
          reportTo: input.type === 'periodic_reporting' ? (input.reportTo ?? null) : null,
          everyDays,
          status: 'active',
          statusChangedOn: null,
        }),
      );
      audit.on('measure', measure.id);
      await this.records.recordHistory(manager, audit, {
        personId,
        part: 'measure',
        partId: measure.id,
        change: 'create',
        before: null,
        after: { ...toMeasureView(measure) },
      });
      await this.records.refreshRegions(manager, personId);
      return toMeasureView(measure);
    });
  }

  async act(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    measureId: string,
    version: number,
    action: MeasureAction,
    effectiveOn: string,
  ): Promise<MeasureView> {
    audit.on('measure', measureId).subject(personId);
    if (!isRealDate(effectiveOn))
      throw DomainError.validation([{ field: 'effectiveOn', message: 'is not a real date' }]);
    return this.log.transaction(audit, async (manager) => {
      await this.records.within(manager, audit, principal, personId, 'read', true);
      const repository = manager.getRepository(Measure);
      const measure = await repository.findOneBy({ id: measureId, personId });
      if (!measure) throw DomainError.notFound('No such measure.');
      if (measure.version !== version) throw versionMismatch();
      const transition = TRANSITIONS[action];
      if (!transition.from.includes(measure.status)) {
        throw DomainError.conflict(
          `A measure that is ${measure.status} cannot be ${action === 'end' ? 'ended' : `${action}ed`}.`,
        );
      }
      if (effectiveOn < measure.startsOn) {
        throw DomainError.validation([
          { field: 'effectiveOn', message: `must not be before the measure starts (${measure.startsOn})` },
        ]);
      }
      await this.recordSuspension(manager, measure, action, effectiveOn);
      const before = toMeasureView(measure);
      measure.status = transition.to;
      measure.statusChangedOn = effectiveOn;
      if (action === 'end' && effectiveOn < measure.endsOn)
        measure.endsOn = effectiveOn > measure.startsOn ? effectiveOn : measure.endsOn;
      const saved = await repository.save(measure);
      await this.records.recordHistory(manager, audit, {
        personId,
        part: 'measure',
        partId: measureId,
        change: action,
        before: { ...before },
        after: { ...toMeasureView(saved) },
      });
      await this.records.refreshRegions(manager, personId);
      return toMeasureView(saved);
    });
  }

  /** Suspensions are kept as periods: reporting periods that touch one need no check-in. */
  private async recordSuspension(
    manager: EntityManager,
    measure: Measure,
    action: MeasureAction,
    effectiveOn: string,
  ): Promise<void> {
    const suspensions = manager.getRepository(MeasureSuspension);
    if (action === 'suspend') {
      await suspensions.insert({ measureId: measure.id, fromOn: effectiveOn, toOn: null });
      return;
    }
    const open = await suspensions.findOneBy({ measureId: measure.id, toOn: IsNull() });
    if (!open) return;
    if (effectiveOn < open.fromOn) {
      throw DomainError.validation([
        { field: 'effectiveOn', message: `must not be before the suspension began (${open.fromOn})` },
      ]);
    }
    await suspensions.update({ id: open.id }, { toOn: effectiveOn });
  }

  list(audit: RequestAudit, principal: Principal, personId: string): Promise<Page<MeasureView>> {
    return this.records.listParts(audit, principal, personId, 'measure', (manager) => this.ofPerson(manager, personId));
  }

  async ofPerson(manager: EntityManager, personId: string): Promise<MeasureView[]> {
    const rows = await manager
      .getRepository(Measure)
      .find({ where: { personId }, order: { startsOn: 'ASC', id: 'ASC' } });
    return rows.map(toMeasureView);
  }

  private async assertValid(manager: EntityManager, personId: string, input: CreateMeasureDto): Promise<void> {
    const errors: FieldError[] = [];
    for (const field of ['startsOn', 'endsOn'] as const) {
      if (!isRealDate(input[field])) errors.push({ field, message: 'is not a real date' });
    }
    if (errors.length === 0 && input.endsOn <= input.startsOn)
      errors.push({ field: 'endsOn', message: 'must be after startsOn' });
    if (input.type === 'periodic_reporting') {
      if (!input.reportTo) errors.push({ field: 'reportTo', message: 'is required for periodic_reporting' });
      else if (!(await manager.getRepository(PoliceAdministration).existsBy({ code: input.reportTo }))) {
        errors.push({ field: 'reportTo', message: 'is not a known police administration code' });
      }
    } else {
      if (input.reportTo) errors.push({ field: 'reportTo', message: 'is only for periodic_reporting' });
      if (input.everyDays) errors.push({ field: 'everyDays', message: 'is only for periodic_reporting' });
    }
    // The law's limit: at most N years after the release date of one of the person's convictions.
    const releases = (await manager.getRepository(Conviction).findBy({ personId }))
      .map((c) => c.releaseDate)
      .filter((d): d is string => d !== null);
    if (releases.length === 0) {
      errors.push({ field: 'endsOn', message: 'needs a conviction of the person with a release date' });
    } else if (errors.length === 0) {
      const latest = releases.sort().at(-1) as string;
      const limit = addYears(latest, this.config.register.measureMaxYears);
      if (input.endsOn > limit) {
        errors.push({
          field: 'endsOn',
          message: `must be at most ${this.config.register.measureMaxYears} years after release (${limit})`,
        });
      }
    }
    if (errors.length > 0) throw DomainError.validation(errors);
  }
}

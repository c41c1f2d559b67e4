import { Injectable } from '@nestjs/common';
import { addYears, AppConfig, DomainError, type FieldError, isRealDate, type Page } from '@app/common';
import type { Principal } from '@app/authz';
import type { RequestAudit } from '@app/audit';
import { PersonAccess } from './access/person-access';
import { standingAcknowledgements } from './acknowledgements.service';
import type { PersonScope } from './access/person-scope';
import { PoliceAdministration, UiksOffice } from '@app/identity';
import type { CreateMeasureDto, MeasureAction, ScheduleDto } from './dto/measure.dto';
import { releaseOf } from './convictions.service';
import { Conviction } from './entities/conviction.entity';
import { CounsellingInstitution } from './entities/counselling-institution.entity';
import { Measure, type MeasureStatus, type ScheduleKind } from './entities/measure.entity';
import { OfficeReportingSchedule } from './entities/office-reporting-schedule.entity';
import { type MeasureView, type ScheduleColumns, type ShownMeasureView, toMeasureView } from './measure.views';

/** A schedule as stored: the columns of its kind set, the others null. */
function scheduleColumns(schedule: ScheduleDto): ScheduleColumns & { scheduleKind: ScheduleKind } {
  return {
    scheduleKind: schedule.kind,
    everyDays: schedule.kind === 'every_days' ? (schedule.everyDays as number) : null,
    weekdays: schedule.kind === 'weekdays' ? [...(schedule.weekdays as number[])].sort((a, b) => a - b) : null,
  };
}

/** What is wrong with a schedule, field by field under `field` (e.g. `schedule.weekdays`). */
function scheduleErrors(schedule: ScheduleDto, field: string): FieldError[] {
  const errors: FieldError[] = [];
  if (schedule.kind === 'every_days') {
    if (schedule.everyDays === undefined)
      errors.push({ field: `${field}.everyDays`, message: 'is required for every_days' });
  } else if (schedule.everyDays !== undefined) {
    errors.push({ field: `${field}.everyDays`, message: 'is only for every_days' });
  }
  if (schedule.kind === 'weekdays') {
    if (schedule.weekdays === undefined)
      errors.push({ field: `${field}.weekdays`, message: 'is required for weekdays' });
    else if (new Set(schedule.weekdays).size !== schedule.weekdays.length)
      errors.push({ field: `${field}.weekdays`, message: 'must not repeat a weekday' });
  } else if (schedule.weekdays !== undefined) {
    errors.push({ field: `${field}.weekdays`, message: 'is only for weekdays' });
  }
  return errors;
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
    private readonly access: PersonAccess,
    private readonly config: AppConfig,
  ) {}

  add(audit: RequestAudit, principal: Principal, personId: string, input: CreateMeasureDto): Promise<MeasureView> {
    audit.on('measure').subject(personId);
    return this.access.within(
      audit,
      principal,
      { action: 'create', on: 'Measure', personId, lock: true },
      async (person) => {
        await this.assertValid(person, input);
        await this.assertAfterCustody(person, input.startsOn);
        const reporting = input.type === 'periodic_reporting';
        const counselling = input.type === 'counselling' ? input.counselling : undefined;
        const schedule = reporting ? this.policeSchedule(input) : counselling?.schedule;
        const measure = await person.insert(Measure, {
          type: input.type,
          startsOn: input.startsOn,
          endsOn: input.endsOn,
          reportTo: reporting ? (input.reportTo ?? null) : null,
          counsellingInstitution: counselling?.institution ?? null,
          ...(schedule ? scheduleColumns(schedule) : { scheduleKind: null, everyDays: null, weekdays: null }),
          status: 'active',
          statusChangedOn: null,
        });
        const uiks =
          reporting && input.uiks
            ? await person.insert(OfficeReportingSchedule, {
                measureId: measure.id,
                office: input.uiks.office,
                ...scheduleColumns(input.uiks.schedule),
              })
            : null;
        const view = toMeasureView(measure, uiks);
        audit.on('measure', measure.id);
        await person.history({
          part: 'measure',
          partId: measure.id,
          change: 'create',
          before: null,
          after: { ...view },
        });
        await person.refreshRegions();
        return view;
      },
    );
  }

  /** The police schedule the body asks for (`schedule`, or `everyDays` alone), else the configured default. */
  private policeSchedule(input: CreateMeasureDto): ScheduleDto {
    if (input.schedule) return input.schedule;
    if (input.everyDays !== undefined) return { kind: 'every_days', everyDays: input.everyDays };
    return this.config.register.reportingDefaultSchedule === 'monthly'
      ? { kind: 'monthly' }
      : { kind: 'every_days', everyDays: this.config.register.reportingEveryDays };
  }

  act(
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
    const part = { entity: Measure, id: measureId, absent: 'No such measure.' };
    return this.access.within(
      audit,
      principal,
      { action: 'update', on: 'Measure', personId, part, lock: true },
      async (person) => {
        const uiks = await person.one(OfficeReportingSchedule, { measureId });
        const view = await person.change({
          entity: Measure,
          part: 'measure',
          version,
          change: action,
          view: (measure: Measure) => toMeasureView(measure, uiks),
          apply: async (measure) => {
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
            await this.recordSuspension(person, measure, action, effectiveOn);
            measure.status = transition.to;
            measure.statusChangedOn = effectiveOn;
            if (action === 'end' && effectiveOn < measure.endsOn)
              measure.endsOn = effectiveOn > measure.startsOn ? effectiveOn : measure.endsOn;
          },
        });
        await person.refreshRegions();
        return view;
      },
    );
  }

  /** Suspensions are kept as periods: reporting periods that touch one need no check-in. */
  private async recordSuspension(
    person: PersonScope,
    measure: Measure,
    action: MeasureAction,
    effectiveOn: string,
  ): Promise<void> {
    const suspensions = person.suspensions(measure);
    if (action === 'suspend') {
      await suspensions.start(effectiveOn);
      return;
    }
    const open = await suspensions.open();
    if (!open) return;
    if (effectiveOn < open.fromOn) {
      throw DomainError.validation([
        { field: 'effectiveOn', message: `must not be before the suspension began (${open.fromOn})` },
      ]);
    }
    await suspensions.end(open.id, effectiveOn);
  }

  list(audit: RequestAudit, principal: Principal, personId: string): Promise<Page<ShownMeasureView>> {
    return this.access.list(audit, principal, 'measure', { on: 'Measure', personId }, async (person) => {
      const acknowledged = await standingAcknowledgements(person);
      const uiks = new Map((await person.all(OfficeReportingSchedule, { id: 'ASC' })).map((o) => [o.measureId, o]));
      return (await person.all(Measure, { startsOn: 'ASC', id: 'ASC' })).map((m) => ({
        ...toMeasureView(m, uiks.get(m.id) ?? null),
        acknowledged: acknowledged.has(m.id),
      }));
    });
  }

  /**
   * The special measures bind after the sentence has been served: a measure
   * may not start while the person is in custody (from the start of an
   * imprisonment until its actual, else expected, release).
   */
  private async assertAfterCustody(person: PersonScope, startsOn: string): Promise<void> {
    const custody = (await person.all(Conviction, { id: 'ASC' }, { sentenceKind: 'imprisonment' })).find(
      (c) => (c.custodyFrom ?? c.finalityDate) <= startsOn && (releaseOf(c) === null || startsOn < releaseOf(c)!),
    );
    if (!custody) return;
    const release = releaseOf(custody);
    throw DomainError.validation([
      {
        field: 'startsOn',
        message: release
          ? `must not be before the release from custody (${release})`
          : 'must not be while the person is in custody with no release date',
      },
    ]);
  }

  private async assertValid(person: PersonScope, input: CreateMeasureDto): Promise<void> {
    const errors: FieldError[] = [];
    for (const field of ['startsOn', 'endsOn'] as const) {
      if (!isRealDate(input[field])) errors.push({ field, message: 'is not a real date' });
    }
    if (errors.length === 0 && input.endsOn <= input.startsOn)
      errors.push({ field: 'endsOn', message: 'must be after startsOn' });
    if (input.type === 'periodic_reporting') {
      if (!input.reportTo) errors.push({ field: 'reportTo', message: 'is required for periodic_reporting' });
      else if (!(await person.manager.getRepository(PoliceAdministration).existsBy({ code: input.reportTo }))) {
        errors.push({ field: 'reportTo', message: 'is not a known police administration code' });
      }
      if (input.everyDays !== undefined && input.schedule) {
        errors.push({ field: 'everyDays', message: 'must not be given with schedule (use schedule.everyDays)' });
      }
      if (input.schedule) errors.push(...scheduleErrors(input.schedule, 'schedule'));
      if (input.uiks) {
        errors.push(...scheduleErrors(input.uiks.schedule, 'uiks.schedule'));
        if (!(await person.manager.getRepository(UiksOffice).existsBy({ code: input.uiks.office, active: true }))) {
          errors.push({ field: 'uiks.office', message: 'is not an active UIKS office' });
        }
      }
    } else {
      if (input.reportTo) errors.push({ field: 'reportTo', message: 'is only for periodic_reporting' });
      if (input.type === 'counselling') {
        if (!input.counselling) errors.push({ field: 'counselling', message: 'is required for counselling' });
        else {
          errors.push(...scheduleErrors(input.counselling.schedule, 'counselling.schedule'));
          const institutions = person.manager.getRepository(CounsellingInstitution);
          if (!(await institutions.existsBy({ code: input.counselling.institution, active: true }))) {
            errors.push({ field: 'counselling.institution', message: 'is not an active counselling institution' });
          }
        }
      }
      if (input.everyDays !== undefined) errors.push({ field: 'everyDays', message: 'is only for periodic_reporting' });
      if (input.schedule) errors.push({ field: 'schedule', message: 'is only for periodic_reporting' });
      if (input.uiks) errors.push({ field: 'uiks', message: 'is only for periodic_reporting' });
    }
    if (input.counselling && input.type !== 'counselling') {
      errors.push({ field: 'counselling', message: 'is only for counselling' });
    }
    // The law's limit: at most N years after the release date of one of the person's convictions.
    const releases = (await person.all(Conviction, { id: 'ASC' }))
      .map(releaseOf)
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

import { Injectable } from '@nestjs/common';
import { addYears, AppConfig, DomainError, type FieldError, isRealDate, type Page } from '@app/common';
import type { Principal } from '@app/authz';
import type { RequestAudit } from '@app/audit';
import { PersonAccess } from './access/person-access';
import { standingAcknowledgements } from './acknowledgements.service';
import type { PersonScope } from './access/person-scope';
import { PoliceAdministration } from '@app/identity';
import type { CreateMeasureDto, MeasureAction } from './dto/measure.dto';
import { releaseOf } from './convictions.service';
import { Conviction } from './entities/conviction.entity';
import { Measure, type MeasureStatus } from './entities/measure.entity';

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

/** A measure as the person's view and list show it: with whether its duties were acknowledged. */
export interface ShownMeasureView extends MeasureView {
  /** An acknowledgement that stands (not voided) names the measure. */
  acknowledged: boolean;
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
        const everyDays =
          input.type === 'periodic_reporting' ? (input.everyDays ?? this.config.register.reportingEveryDays) : null;
        await this.assertValid(person, input);
        await this.assertAfterCustody(person, input.startsOn);
        const view = await person.create(
          Measure,
          'measure',
          {
            type: input.type,
            startsOn: input.startsOn,
            endsOn: input.endsOn,
            reportTo: input.type === 'periodic_reporting' ? (input.reportTo ?? null) : null,
            everyDays,
            status: 'active',
            statusChangedOn: null,
          },
          toMeasureView,
        );
        await person.refreshRegions();
        return view;
      },
    );
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
        const view = await person.change({
          entity: Measure,
          part: 'measure',
          version,
          change: action,
          view: toMeasureView,
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
      return (await person.all(Measure, { startsOn: 'ASC', id: 'ASC' })).map((m) => ({
        ...toMeasureView(m),
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
    } else {
      if (input.reportTo) errors.push({ field: 'reportTo', message: 'is only for periodic_reporting' });
      if (input.everyDays) errors.push({ field: 'everyDays', message: 'is only for periodic_reporting' });
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

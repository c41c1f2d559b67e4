import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsNull } from 'typeorm';
import { belgradeToday, DomainError, type Page, type PageQuery } from '@app/common';
import type { Principal } from '@app/authz';
import type { RequestAudit } from '@app/audit';
import { AlertRaiser, AlertsService } from '@app/compliance';
import { PersonAccess } from './access/person-access';
import type { PersonScope } from './access/person-scope';
import type { CreateBreachDto, UpdateBreachDto } from './dto/acts.dto';
import { Breach, BREACH_KINDS, type BreachKind } from './entities/breach.entity';
import { measureOf, newestBy, pastInstant } from './measure-acts.service';
import { assertKnownPlace } from './places.service';
import { itemsNaming } from './referrals.service';
import { VoidableView } from './voidable.view';

export class BreachView extends VoidableView {
  @ApiProperty({ format: 'uuid', example: 'c2f1a7d4-5b3e-4f6a-8d9c-1e2f3a4b5c6d' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: '0b9b7f0e-3c1d-4b8a-9f3e-6a1c2d3e4f50' })
  measureId!: string;

  @ApiProperty({ enum: BREACH_KINDS, example: 'other' })
  kind!: BreachKind;

  @ApiProperty({ example: '2026-02-18T16:00:00.000Z' })
  occurredAt!: Date;

  @ApiProperty({ example: 'Zatečen ispred škole.' })
  description!: string;

  @ApiProperty({ format: 'uuid', example: '5d6e7f80-1a2b-4c3d-8e4f-9a0b1c2d3e4f' })
  recordedBy!: string;

  @ApiProperty({ example: '2026-02-18T17:00:00.000Z' })
  createdAt!: Date;

  /** Where it happened (a place where minors gather); present only when recorded. */
  @ApiProperty({ required: false, format: 'uuid', example: '7a4e2c1b-9d8f-4e3a-b2c1-0f9e8d7c6b5a' })
  placeId?: string;
}

const toBreachView = (b: Breach): BreachView => ({
  id: b.id,
  measureId: b.measureId,
  kind: b.kind,
  occurredAt: b.occurredAt,
  description: b.description,
  ...(b.placeId ? { placeId: b.placeId } : {}),
  recordedBy: b.recordedBy,
  createdAt: b.createdAt,
  voidedAt: b.voidedAt,
  voidedBy: b.voidedBy,
  voidReason: b.voidReason,
  version: b.version,
});

/**
 * Breaches of a measure, recorded against it (each raises an alert): voided,
 * never deleted, when recorded by mistake, and corrected at the version read.
 */
@Injectable()
export class BreachesService {
  constructor(
    private readonly access: PersonAccess,
    private readonly raiser: AlertRaiser,
    private readonly alerts: AlertsService,
  ) {}

  breach(audit: RequestAudit, principal: Principal, personId: string, input: CreateBreachDto): Promise<BreachView> {
    audit.on('breach').subject(personId);
    return this.access.within(
      audit,
      principal,
      { action: 'record', on: 'Breach', personId, lock: true },
      async (person) => {
        const occurredAt = pastInstant(input.occurredAt, 'occurredAt');
        const kind = input.kind ?? 'other';
        const measure = await measureOf(person, input.measureId, (m) =>
          kind === 'travel_without_notice' && m.type !== 'notify_travel_abroad'
            ? 'is not a notify_travel_abroad measure (travel_without_notice)'
            : null,
        );
        await assertKnownPlace(person.manager, input.placeId);
        const view = await person.create(
          Breach,
          'breach',
          {
            measureId: input.measureId,
            kind,
            occurredAt,
            description: input.description,
            placeId: input.placeId ?? null,
            recordedBy: principal.userId,
          },
          toBreachView,
        );
        await this.raiser.raise(person.manager, [
          {
            kind: 'breach',
            personId,
            measureId: measure.id,
            sourceId: view.id,
            dueDate: belgradeToday(occurredAt),
            // The measure's administration, else the person's responsible one.
            policeAdministration: measure.reportTo ?? null,
          },
        ]);
        return view;
      },
    );
  }

  /**
   * A clerk voids a breach recorded by mistake; the reason is the request's
   * access reason. The alert it raised is resolved (if not yet) saying so.
   * A breach that a referral not void names, itself or its alert, stands:
   * 409 `breach_referred` (void the referral first).
   */
  voidBreach(audit: RequestAudit, principal: Principal, personId: string, id: string): Promise<BreachView> {
    return this.access.voidPart(
      audit,
      principal,
      { on: 'Breach', entity: Breach, part: 'breach', absent: 'No such breach.', personId, id },
      toBreachView,
      {
        before: async (person) => {
          const alertIds = await this.alerts.raisedBy(person.manager, personId, 'breach', id);
          const referralIds = await standingReferralsOf(person, id, alertIds);
          if (referralIds.length) throw breachReferred(referralIds);
        },
        after: async (person, breach) => {
          const alertIds = await this.alerts.raisedBy(person.manager, personId, 'breach', id);
          const resolution = `Breach ${id} voided: ${breach.voidReason}`;
          await this.alerts.resolveOpen(person.manager, personId, alertIds, principal.userId, resolution);
        },
      },
    );
  }

  /** A clerk's correction of a breach (If-Match: its version); the alert it raised stays. A void one: 409. */
  correctBreach(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    breachId: string,
    version: number,
    changes: UpdateBreachDto,
  ): Promise<BreachView> {
    audit.on('breach', breachId).subject(personId);
    const part = { entity: Breach, id: breachId, absent: 'No such breach.' };
    return this.access.within(
      audit,
      principal,
      { action: 'update', on: 'Breach', personId, part, lock: true },
      (person) =>
        person.change({
          entity: Breach,
          part: 'breach',
          version,
          view: toBreachView,
          apply: async (breach) => {
            if (changes.occurredAt !== undefined) breach.occurredAt = pastInstant(changes.occurredAt, 'occurredAt');
            if (changes.description !== undefined) breach.description = changes.description;
            if (changes.placeId !== undefined) {
              await assertKnownPlace(person.manager, changes.placeId);
              breach.placeId = changes.placeId;
            }
          },
        }),
    );
  }

  breaches(audit: RequestAudit, principal: Principal, personId: string, page: PageQuery): Promise<Page<BreachView>> {
    return this.access.list(audit, principal, 'breach', { on: 'Breach', personId }, (person) =>
      person.page(Breach, newestBy('occurred_at', 'time'), page, toBreachView),
    );
  }
}

/** The referrals, not void, that name the breach or one of the alerts it raised. */
async function standingReferralsOf(person: PersonScope, breachId: string, alertIds: string[]): Promise<string[]> {
  const items = await itemsNaming(person, alertIds, [breachId], { voidedAt: IsNull() });
  return [...new Set(items.map((item) => item.referralId))].sort();
}

/** 409 (conflict) with `code` breach_referred and the referrals that name the breach. */
function breachReferred(referralIds: string[]): DomainError {
  return new DomainError(
    'conflict',
    `The breach is named by referral ${referralIds.join(', ')}; void the referral first.`,
    undefined,
    undefined,
    { code: 'breach_referred', referralIds },
  );
}

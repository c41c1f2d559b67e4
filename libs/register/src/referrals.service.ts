import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { type FindOptionsWhere, In, IsNull } from 'typeorm';
import { belgradeToday, DomainError, type FieldError, type Page, type PageQuery } from '@app/common';
import type { Principal } from '@app/authz';
import type { RequestAudit } from '@app/audit';
import { AlertsService } from '@app/compliance';
import { PersonAccess } from './access/person-access';
import type { PersonScope } from './access/person-scope';
import type { CreateReferralDto, RecordReferralOutcomeDto } from './dto/referral.dto';
import { Breach } from './entities/breach.entity';
import { Referral, REFERRAL_OUTCOMES, type ReferralOutcome } from './entities/referral.entity';
import { VoidableView } from './voidable.view';
import { ReferralItem } from './entities/referral-item.entity';

export class ReferralView extends VoidableView {
  @ApiProperty({ format: 'uuid', example: 'c2f1a7d4-5b3e-4f6a-8d9c-1e2f3a4b5c6d' })
  id!: string;

  @ApiProperty({ type: [String], example: ['9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b'] })
  alertIds!: string[];

  @ApiProperty({ type: [String], example: [] })
  breachIds!: string[];

  @ApiProperty({ example: 'Više javno tužilaštvo u Nišu' })
  prosecutorOffice!: string;

  @ApiProperty({ format: 'date', example: '2026-02-25' })
  referredOn!: string;

  @ApiProperty({ format: 'uuid', example: '5d6e7f80-1a2b-4c3d-8e4f-9a0b1c2d3e4f' })
  referredBy!: string;

  /** null until the outcome is recorded: the person is non_compliant meanwhile. */
  @ApiProperty({ enum: REFERRAL_OUTCOMES, nullable: true, example: null })
  outcome!: ReferralOutcome | null;

  @ApiProperty({ type: String, format: 'date', nullable: true, example: null })
  outcomeOn!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  caseNumber!: string | null;

  @ApiProperty({ example: '2026-02-25T10:00:00.000Z' })
  createdAt!: Date;
}

export const toReferralView = (r: Referral): ReferralView => ({
  id: r.id,
  alertIds: itemsOf(r, 'alertId'),
  breachIds: itemsOf(r, 'breachId'),
  prosecutorOffice: r.prosecutorOffice,
  referredOn: r.referredOn,
  referredBy: r.referredBy,
  outcome: r.outcome,
  outcomeOn: r.outcomeOn,
  caseNumber: r.caseNumber,
  createdAt: r.createdAt,
  voidedAt: r.voidedAt,
  voidedBy: r.voidedBy,
  voidReason: r.voidReason,
  version: r.version,
});

function itemsOf(referral: Referral, key: 'alertId' | 'breachId'): string[] {
  return (referral.items ?? [])
    .map((item) => item[key])
    .filter((id): id is string => id !== null)
    .sort();
}

/**
 * Referrals of a person's breaches and unresolved alerts to the public
 * prosecutor (a disclosure: flagged, the office its recipient). While a
 * referral has no outcome the person's compliance is `non_compliant`
 * (person_compliance, over `register_referrals`); recording the outcome
 * resolves the referred alerts still open, through compliance's own
 * resolution of alerts.
 */
@Injectable()
export class ReferralsService {
  constructor(
    private readonly access: PersonAccess,
    private readonly alerts: AlertsService,
  ) {}

  record(audit: RequestAudit, principal: Principal, personId: string, input: CreateReferralDto): Promise<ReferralView> {
    audit.on('referral').subject(personId);
    return this.access.within(
      audit,
      principal,
      { action: 'record', on: 'Referral', personId, lock: true },
      async (person) => {
        const alertIds = input.alertIds ?? [];
        const breachIds = input.breachIds ?? [];
        if (alertIds.length + breachIds.length === 0) {
          throw DomainError.validation([
            { field: 'alertIds', message: 'alertIds or breachIds must name at least one alert or breach' },
          ]);
        }
        const alerts = await this.alerts.ofPerson(person.manager, personId, alertIds);
        const breaches = breachIds.length ? await person.all(Breach, { id: 'ASC' }, { id: In(breachIds) }) : [];
        const errors: FieldError[] = [
          ...unknownIds('alertIds', alertIds, alerts, 'alerts'),
          ...unknownIds('breachIds', breachIds, breaches, 'breaches'),
        ];
        // The referral cannot precede what it refers: the day each alert was raised, each breach happened.
        const latest = [
          ...alerts.map((a) => belgradeToday(a.raisedAt)),
          ...breaches.map((b) => belgradeToday(b.occurredAt)),
        ].reduce<string | null>((max, day) => (max === null || day > max ? day : max), null);
        if (input.referredOn > belgradeToday())
          errors.push({ field: 'referredOn', message: 'must not be in the future' });
        else if (latest && input.referredOn < latest) {
          errors.push({ field: 'referredOn', message: `must not be before the referred items (${latest})` });
        }
        if (errors.length) throw DomainError.validation(errors);

        const resolved = alerts.filter((a) => a.status === 'resolved');
        if (resolved.length) {
          throw DomainError.conflict(`Resolved alerts are not referred: ${resolved.map((a) => a.id).join(', ')}.`);
        }
        const voided = breaches.filter((b) => b.voidedAt);
        if (voided.length) {
          throw DomainError.conflict(`Void breaches are not referred: ${voided.map((b) => b.id).join(', ')}.`);
        }
        const pending = await openItems(person, alertIds, breachIds);
        if (pending.length) {
          throw DomainError.conflict(
            `Already referred, awaiting the outcome: ${pending.map((i) => i.alertId ?? i.breachId).join(', ')}.`,
          );
        }
        // A disclosure: the event names who received the person's data, once the referral is made.
        audit.recipient = input.prosecutorOffice;
        return person.create(
          Referral,
          'referral',
          {
            prosecutorOffice: input.prosecutorOffice,
            referredOn: input.referredOn,
            referredBy: principal.userId,
            outcome: null,
            outcomeOn: null,
            outcomeRecordedAt: null,
            caseNumber: null,
            items: [
              ...alertIds.map((alertId) => ({ personId, alertId, breachId: null })),
              ...breachIds.map((breachId) => ({ personId, alertId: null, breachId })),
            ],
          },
          toReferralView,
        );
      },
    );
  }

  /**
   * The outcome of a referral (If-Match: its version), which resolves its
   * alerts still open. A recorded outcome changes only by a correction
   * (`correction: true`, registry clerks: `update` on Referral).
   */
  recordOutcome(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    referralId: string,
    version: number,
    input: RecordReferralOutcomeDto,
  ): Promise<ReferralView> {
    audit.on('referral', referralId).subject(personId);
    const part = { entity: Referral, id: referralId, absent: 'No such referral.' };
    return this.access.within(
      audit,
      principal,
      { action: 'record', on: 'Referral', personId, part, lock: true },
      async (person) => {
        const referral = await person.part(Referral);
        const errors = outcomeErrors(referral, input);
        if (errors.length) throw DomainError.validation(errors);
        if (referral.voidedAt) throw DomainError.conflict('The referral is void.');
        let scope = person;
        if (referral.outcome) {
          if (!input.correction) {
            throw DomainError.conflict(
              `The outcome (${referral.outcome}) is recorded; a registry clerk corrects it with correction: true.`,
            );
          }
          scope = await this.access.open(person.manager, audit, principal, {
            action: 'update',
            on: 'Referral',
            personId,
            part,
          });
        }
        const view = await scope.change({
          entity: Referral,
          part: 'referral',
          version,
          change: referral.outcome ? 'correct_outcome' : 'outcome',
          view: toReferralView,
          apply: (row) => {
            row.outcome = input.outcome;
            row.outcomeOn = input.outcomeOn;
            row.outcomeRecordedAt ??= new Date();
            row.caseNumber = input.caseNumber ?? null;
          },
        });
        const resolution =
          `Referral ${view.id} to ${view.prosecutorOffice}: ${view.outcome} on ${view.outcomeOn}` +
          (view.caseNumber ? `, case ${view.caseNumber}` : '');
        await this.alerts.resolveOpen(person.manager, personId, view.alertIds, principal.userId, resolution);
        return view;
      },
    );
  }

  list(audit: RequestAudit, principal: Principal, personId: string, page: PageQuery): Promise<Page<ReferralView>> {
    return this.access.list(audit, principal, 'referral', { on: 'Referral', personId }, async (person) => {
      const found = await person.page(
        Referral,
        [
          { sql: 'x.referred_on', kind: 'date', desc: true },
          { sql: 'x.id', kind: 'uuid', desc: true },
        ],
        page,
        (row) => row,
      );
      // The page's query does not load the items; one read of them for the page.
      const ids = found.items.map((r) => r.id);
      const items = ids.length ? await person.all(ReferralItem, { id: 'ASC' }, { referralId: In(ids) }) : [];
      return {
        items: found.items.map((r) => toReferralView({ ...r, items: items.filter((i) => i.referralId === r.id) })),
        nextCursor: found.nextCursor,
      };
    });
  }

  /** A clerk voids a referral recorded by mistake; the reason is the request's access reason. */
  void(audit: RequestAudit, principal: Principal, personId: string, id: string): Promise<ReferralView> {
    return this.access.voidPart(
      audit,
      principal,
      { on: 'Referral', entity: Referral, part: 'referral', absent: 'No such referral.', personId, id },
      toReferralView,
    );
  }
}

function unknownIds(field: string, asked: string[], found: { id: string }[], what: string): FieldError[] {
  const known = new Set(found.map((f) => f.id));
  const unknown = asked.filter((id) => !known.has(id));
  return unknown.length ? [{ field, message: `are not ${what} of this person: ${unknown.join(', ')}` }] : [];
}

/** The person's referral items among these alerts and breaches whose referral awaits its outcome. */
function openItems(person: PersonScope, alertIds: string[], breachIds: string[]): Promise<ReferralItem[]> {
  return itemsNaming(person, alertIds, breachIds, { outcome: IsNull(), voidedAt: IsNull() });
}

/** The person's referral items among these alerts and breaches, of the referrals matching `referral`. */
export async function itemsNaming(
  person: PersonScope,
  alertIds: string[],
  breachIds: string[],
  referral: FindOptionsWhere<Referral>,
): Promise<ReferralItem[]> {
  const alerts = alertIds.length
    ? await person.all(ReferralItem, { id: 'ASC' }, { alertId: In(alertIds), referral })
    : [];
  const breaches = breachIds.length
    ? await person.all(ReferralItem, { id: 'ASC' }, { breachId: In(breachIds), referral })
    : [];
  return [...alerts, ...breaches];
}

/** What is wrong with an outcome for this referral: the day, and the case number the outcome needs. */
function outcomeErrors(referral: Referral, input: RecordReferralOutcomeDto): FieldError[] {
  const errors: FieldError[] = [];
  if (input.outcomeOn > belgradeToday()) errors.push({ field: 'outcomeOn', message: 'must not be in the future' });
  else if (input.outcomeOn < referral.referredOn) {
    errors.push({ field: 'outcomeOn', message: `must not be before the referral (${referral.referredOn})` });
  }
  const needsCase = input.outcome === 'charged' || input.outcome === 'convicted';
  if (needsCase && !input.caseNumber) {
    errors.push({ field: 'caseNumber', message: `is required when the outcome is ${input.outcome}` });
  }
  if (!needsCase && input.caseNumber !== undefined) {
    errors.push({ field: 'caseNumber', message: 'is not recorded when the referral is dismissed' });
  }
  return errors;
}

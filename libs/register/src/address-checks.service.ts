import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { MoreThanOrEqual, IsNull } from 'typeorm';
import { DomainError, type Page, type PageQuery } from '@app/common';
import type { Principal } from '@app/authz';
import type { RequestAudit } from '@app/audit';
import { AlertRaiser } from '@app/compliance';
import { PersonAccess } from './access/person-access';
import type { PersonScope } from './access/person-scope';
import type { CreateAddressCheckDto } from './dto/address-check.dto';
import { Address } from './entities/address.entity';
import { AddressCheck, ADDRESS_CHECK_OUTCOMES, type AddressCheckOutcome } from './entities/address-check.entity';
import { VoidableView } from './voidable.view';
import { Notification } from './entities/notification.entity';
import { pastInstant } from './measure-acts.service';

export class AddressCheckView extends VoidableView {
  @ApiProperty({ format: 'uuid', example: 'c2f1a7d4-5b3e-4f6a-8d9c-1e2f3a4b5c6d' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: '0b9b7f0e-3c1d-4b8a-9f3e-6a1c2d3e4f50' })
  addressId!: string;

  /** The address's police administration. */
  @ApiProperty({ example: 'PU-NIS' })
  policeAdministration!: string;

  @ApiProperty({ example: '2026-02-20T18:30:00.000Z' })
  checkedAt!: Date;

  @ApiProperty({ enum: ADDRESS_CHECK_OUTCOMES, example: 'confirmed' })
  outcome!: AddressCheckOutcome;

  @ApiProperty({ example: 'Zatečen na adresi.' })
  note!: string;

  @ApiProperty({ format: 'uuid', example: '5d6e7f80-1a2b-4c3d-8e4f-9a0b1c2d3e4f' })
  recordedBy!: string;

  @ApiProperty({ example: '2026-02-20T18:45:00.000Z' })
  createdAt!: Date;
}

const toAddressCheckView = (c: AddressCheck): AddressCheckView => ({
  id: c.id,
  addressId: c.addressId,
  policeAdministration: c.policeAdministration,
  checkedAt: c.checkedAt,
  outcome: c.outcome,
  note: c.note,
  recordedBy: c.recordedBy,
  createdAt: c.createdAt,
  voidedAt: c.voidedAt,
  voidedBy: c.voidedBy,
  voidReason: c.voidReason,
  version: c.version,
});

/** Why a check leaves the person's whereabouts unknown (null: it does not). */
export type WhereaboutsReason = 'two_unconfirmed_checks' | 'moved_without_notice';

/** A check as recording it answers: whether the person's whereabouts are now unknown, and the alert raised. */
export class RecordedAddressCheckView extends AddressCheckView {
  @ApiProperty({ enum: ['two_unconfirmed_checks', 'moved_without_notice'], nullable: true, example: null })
  whereaboutsUnknown!: WhereaboutsReason | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: null })
  alertId!: string | null;
}

/**
 * Police checks of whether the person lives at one of their addresses. An
 * address is checked by the police of the administration it lies in (or a
 * clerk); a check that leaves the person's whereabouts unknown raises a
 * `whereabouts_unknown` alert in the same transaction (see `whereabouts`).
 */
@Injectable()
export class AddressChecksService {
  constructor(
    private readonly access: PersonAccess,
    private readonly raiser: AlertRaiser,
  ) {}

  /** A check of one of the person's addresses; answers with it and whether it raised the alert. */
  record(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    input: CreateAddressCheckDto,
  ): Promise<RecordedAddressCheckView> {
    audit.on('address_check').subject(personId);
    // First the person, as one whose addresses the caller reads (404 otherwise) and the address as theirs
    // (400); then the check itself, allowed by the address's administration (404 outside it).
    return this.access.within(
      audit,
      principal,
      { action: 'read', on: 'Address', personId, lock: true },
      async (reader) => {
        const checkedAt = pastInstant(input.checkedAt, 'checkedAt');
        const address = await reader.one(Address, { id: input.addressId });
        if (!address)
          throw DomainError.validation([{ field: 'addressId', message: 'is not an address of this person' }]);
        const person = await this.access.open(reader.manager, audit, principal, {
          action: 'record',
          on: 'AddressCheck',
          personId,
          values: { policeAdministration: address.policeAdministration },
        });
        const view = await person.create(
          AddressCheck,
          'address_check',
          {
            addressId: address.id,
            policeAdministration: address.policeAdministration,
            checkedAt,
            outcome: input.outcome,
            note: input.note,
            recordedBy: principal.userId,
          },
          toAddressCheckView,
        );
        const reason = await whereabouts(person, address, input.outcome);
        let alertId: string | null = null;
        if (reason) {
          const [office]: { office: string | null }[] = await person.manager.query(
            'SELECT (offices_serving(ARRAY[$1]::text[]))[1] AS office',
            [address.policeAdministration],
          );
          const [raised] = await this.raiser.raise(person.manager, [
            {
              kind: 'whereabouts_unknown',
              personId,
              measureId: null,
              sourceId: address.id,
              // Once per address: the alerts' key is (kind, source, due date), and this date does not move.
              dueDate: address.validFrom,
              policeAdministration: address.policeAdministration,
              office: office.office,
            },
          ]);
          alertId = raised?.id ?? null;
        }
        return { ...view, whereaboutsUnknown: reason, alertId };
      },
    );
  }

  list(audit: RequestAudit, principal: Principal, personId: string, page: PageQuery): Promise<Page<AddressCheckView>> {
    return this.access.list(audit, principal, 'address_check', { on: 'AddressCheck', personId }, (person) =>
      person.page(
        AddressCheck,
        [
          { sql: 'x.checked_at', kind: 'time', desc: true },
          { sql: 'x.id', kind: 'uuid', desc: true },
        ],
        page,
        toAddressCheckView,
      ),
    );
  }

  /** A clerk voids a check recorded by mistake; the reason is the request's access reason. */
  void(audit: RequestAudit, principal: Principal, personId: string, id: string): Promise<AddressCheckView> {
    return this.access.voidPart(
      audit,
      principal,
      {
        on: 'AddressCheck',
        entity: AddressCheck,
        part: 'address_check',
        absent: 'No such address check.',
        personId,
        id,
      },
      toAddressCheckView,
    );
  }
}

/**
 * Whether the person's whereabouts are unknown after a check of `address`:
 * - the address's two latest checks (by `checkedAt`, voided ones left out)
 *   are both other than `confirmed`; or
 * - this check found the person `moved` and no residence-change notice (not
 *   voided) is on file effective on or after the day the address became
 *   theirs (`validFrom`): the person left it without telling.
 */
async function whereabouts(
  person: PersonScope,
  address: Address,
  outcome: AddressCheckOutcome,
): Promise<WhereaboutsReason | null> {
  if (outcome === 'confirmed') return null;
  if (outcome === 'moved') {
    const notice = await person.one(Notification, {
      kind: 'residence_change',
      voidedAt: IsNull(),
      effectiveOn: MoreThanOrEqual(address.validFrom),
    });
    if (!notice) return 'moved_without_notice';
  }
  const latest = await person.all(
    AddressCheck,
    { checkedAt: 'DESC', createdAt: 'DESC' },
    { addressId: address.id, voidedAt: IsNull() },
  );
  const [last, before] = latest;
  if (last && before && last.outcome !== 'confirmed' && before.outcome !== 'confirmed') return 'two_unconfirmed_checks';
  return null;
}

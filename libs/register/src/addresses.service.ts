import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import type { EntityManager } from 'typeorm';
import { DomainError, isRealDate, type KeysetColumn, type Page, type PageQuery } from '@app/common';
import type { Principal } from '@app/authz';
import type { RequestAudit } from '@app/audit';
import { AlertRaiser } from '@app/compliance';
import { PoliceAdministration } from '@app/identity';
import { PersonAccess, type PersonTarget } from './access/person-access';
import type { PersonScope } from './access/person-scope';
import type { CreateAddressDto, UpdateAddressDto } from './dto/address.dto';
import { Address } from './entities/address.entity';
import { Measure } from './entities/measure.entity';
import { Transfer } from './entities/transfer.entity';
import { toMeasureView } from './measure.views';
import { OfficeReportingSchedule } from './entities/office-reporting-schedule.entity';
import { sentFields } from './sent-fields';
import { assertPairedCoordinates, coordinatesOf } from './places/coordinates';

export class AddressView {
  @ApiProperty({ format: 'uuid', example: 'c2f1a7d4-5b3e-4f6a-8d9c-1e2f3a4b5c6d' })
  id!: string;

  @ApiProperty({ enum: ['permanent', 'temporary'], example: 'permanent' })
  kind!: 'permanent' | 'temporary';

  @ApiProperty({ example: 'Obrenovićeva 12' })
  street!: string;

  @ApiProperty({ example: 'Niš' })
  city!: string;

  @ApiProperty({ example: '18000' })
  postalCode!: string;

  @ApiProperty({ example: 'PU-NIS' })
  policeAdministration!: string;

  @ApiProperty({ format: 'date', example: '2026-01-15' })
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

export function toAddressView(address: Address): AddressView {
  return {
    id: address.id,
    kind: address.kind,
    street: address.street,
    city: address.city,
    postalCode: address.postalCode,
    policeAdministration: address.policeAdministration,
    validFrom: address.validFrom,
    validTo: address.validTo,
    ...coordinatesOf(address),
    version: address.version,
  };
}

/** Permanent and temporary addresses; a new permanent one in another administration is a transfer. */
@Injectable()
export class AddressesService {
  constructor(
    private readonly access: PersonAccess,
    private readonly raiser: AlertRaiser,
  ) {}

  add(audit: RequestAudit, principal: Principal, personId: string, input: CreateAddressDto): Promise<AddressView> {
    audit.on('address').subject(personId);
    return this.access.within(audit, principal, this.target(personId, input), (person) =>
      this.record(person, principal, input),
    );
  }

  /**
   * What recording `input` for the person needs: `record` on an address in
   * its administration (officers: a person in their region, or one announced
   * as arriving there).
   */
  target(personId: string, input: CreateAddressDto): PersonTarget<'Address'> {
    return {
      action: 'record',
      on: 'Address',
      personId,
      values: { policeAdministration: input.policeAdministration },
      arrivingAt: input.policeAdministration,
      // The person's row lock serialises changes to its addresses.
      lock: true,
    };
  }

  /** Records an address on a person opened with `target` (also for a notified change of residence). */
  async record(person: PersonScope, principal: Principal, input: CreateAddressDto): Promise<AddressView> {
    assertPairedCoordinates(input);
    await this.assertValid(person.manager, input.policeAdministration, input.validFrom);
    const responsible = await person.responsibleAdministration();
    const { created: address, previous } = await person.supersede({
      entity: Address,
      part: 'address',
      current: { kind: input.kind },
      values: { ...input },
      view: toAddressView,
      describe: `A ${input.kind} address`,
    });
    person.audit.on('address', address.id);
    if (input.kind === 'permanent' && previous && previous.policeAdministration !== input.policeAdministration) {
      await this.transfer(person, principal, address, previous.policeAdministration);
    }
    await this.arrived(person, address, responsible);
    await person.refreshRegions();
    return toAddressView(address);
  }

  /**
   * An address recorded where the person was announced as arriving spends
   * the announcement. The administration responsible for the person is
   * always told of an address recorded in another one: an `arrival` alert
   * (a new permanent address there is a transfer, which tells both).
   */
  private async arrived(person: PersonScope, address: Address, responsible: string | null): Promise<void> {
    const arrival = await person.closeArrival(address.policeAdministration, address.id);
    if (!responsible || responsible === address.policeAdministration) return;
    if (!arrival && address.kind === 'permanent') return;
    await this.raiser.raise(person.manager, [
      {
        kind: 'arrival',
        personId: person.id,
        measureId: null,
        sourceId: arrival?.id ?? address.id,
        dueDate: address.validFrom,
        policeAdministration: responsible,
      },
    ]);
  }

  list(audit: RequestAudit, principal: Principal, personId: string, query: PageQuery): Promise<Page<AddressView>> {
    return this.access.list(audit, principal, 'address', { on: 'Address', personId }, (person) =>
      person.page(Address, BY_VALID_FROM, query, toAddressView),
    );
  }

  /** A clerk's correction of an address (If-Match on the address's own version). */
  correct(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    addressId: string,
    version: number,
    changes: UpdateAddressDto,
  ): Promise<AddressView> {
    audit.on('address', addressId).subject(personId);
    const part = { entity: Address, id: addressId, absent: 'No such address.' };
    return this.access.within(
      audit,
      principal,
      { action: 'update', on: 'Address', personId, part, lock: true },
      async (person) => {
        const view = await person.change({
          entity: Address,
          part: 'address',
          version,
          view: toAddressView,
          apply: async (address) => {
            Object.assign(address, sentFields(changes));
            assertPairedCoordinates(address);
            await this.assertValid(person.manager, address.policeAdministration, address.validFrom);
            if (address.validTo !== null && address.validTo < address.validFrom) {
              throw DomainError.validation([
                { field: 'validFrom', message: `must not be after the address ended (${address.validTo})` },
              ]);
            }
          },
        });
        await person.refreshRegions();
        return view;
      },
    );
  }

  /**
   * Responsibility moves with the permanent residence: active periodic
   * reporting is re-pointed to the new administration (new versions, reason
   * "transfer"), the transfer is recorded, and both administrations get an
   * alert (`transfer_out`, `transfer_in`).
   */
  private async transfer(person: PersonScope, principal: Principal, address: Address, from: string): Promise<void> {
    const { id: addressId, policeAdministration: to } = address;
    const transfer = await person.insert(Transfer, {
      addressId,
      fromAdministration: from,
      toAdministration: to,
      effectiveOn: address.validFrom,
      recordedBy: principal.userId,
    });
    await this.raiser.raise(person.manager, [
      {
        kind: 'transfer_out',
        personId: person.id,
        measureId: null,
        sourceId: transfer.id,
        dueDate: transfer.effectiveOn,
        policeAdministration: from,
      },
      {
        kind: 'transfer_in',
        personId: person.id,
        measureId: null,
        sourceId: transfer.id,
        dueDate: transfer.effectiveOn,
        policeAdministration: to,
      },
    ]);
    await person.history({
      part: 'address',
      partId: addressId,
      change: 'transfer',
      before: { policeAdministration: from },
      after: { policeAdministration: to },
    });
    for (const measure of await person.all(Measure, { id: 'ASC' }, { type: 'periodic_reporting', status: 'active' })) {
      const uiks = await person.one(OfficeReportingSchedule, { measureId: measure.id });
      const before = toMeasureView(measure, uiks);
      measure.reportTo = to;
      const saved = await person.save(Measure, measure);
      await person.history({
        part: 'measure',
        partId: measure.id,
        change: 'transfer',
        reason: 'transfer',
        before: { ...before },
        after: { ...toMeasureView(saved, uiks) },
      });
    }
  }

  private async assertValid(manager: EntityManager, administration: string, validFrom: string): Promise<void> {
    const errors = [];
    if (!(await manager.getRepository(PoliceAdministration).existsBy({ code: administration }))) {
      errors.push({ field: 'policeAdministration', message: 'is not a known police administration code' });
    }
    if (!isRealDate(validFrom)) errors.push({ field: 'validFrom', message: 'is not a real date' });
    if (errors.length > 0) throw DomainError.validation(errors);
  }
}

const BY_VALID_FROM: KeysetColumn[] = [
  { sql: 'x.valid_from', kind: 'date', desc: true },
  { sql: 'x.id', kind: 'uuid', desc: true },
];

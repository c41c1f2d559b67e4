import { subject } from '@casl/ability';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { decodeCursor, DEFAULT_PAGE_SIZE, DomainError, isRealDate, type Page, toPage } from '@app/common';
import { AbilityFactory, type Principal } from '@app/authz';
import { AuditLog, type RequestAudit } from '@app/audit';
import { AlertRaiser } from '@app/compliance';
import { PoliceAdministration } from '@app/identity';
import type { CreateAddressDto, UpdateAddressDto } from './dto/address.dto';
import { Address } from './entities/address.entity';
import { Measure } from './entities/measure.entity';
import { Transfer } from './entities/transfer.entity';
import { toMeasureView } from './measures.service';
import { personNotFound, PersonRecords, sentFields } from './person-records';

export interface AddressView {
  id: string;
  kind: 'permanent' | 'temporary';
  street: string;
  city: string;
  postalCode: string;
  policeAdministration: string;
  validFrom: string;
  validTo: string | null;
  version: number;
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
    version: address.version,
  };
}

/** Permanent and temporary addresses; a new permanent one in another administration is a transfer. */
@Injectable()
export class AddressesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: AuditLog,
    private readonly abilities: AbilityFactory,
    private readonly records: PersonRecords,
    private readonly raiser: AlertRaiser,
  ) {}

  async add(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    input: CreateAddressDto,
  ): Promise<AddressView> {
    audit.on('address').subject(personId);
    return this.log.transaction(audit, (manager) => this.record(manager, audit, principal, personId, input));
  }

  /** Records an address in the caller's transaction (also for a notified change of residence). */
  async record(
    manager: EntityManager,
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    input: CreateAddressDto,
  ): Promise<AddressView> {
    // The person's row lock serialises changes to its addresses.
    const person = await this.records.find(manager, personId, true);
    const ability = this.abilities.createForPrincipal(principal);
    const target = { personRegions: person.regions, policeAdministration: input.policeAdministration };
    if (!ability.can('record', subject('Address', target as Record<string, unknown>))) {
      audit.outcome = 'denied';
      throw personNotFound();
    }
    await this.assertValid(manager, input.policeAdministration, input.validFrom);
    const { created: address, previous } = await this.records.supersede(manager, audit, {
      entity: Address,
      personId,
      part: 'address',
      current: { personId, kind: input.kind },
      values: { personId, ...input },
      view: toAddressView,
      describe: `A ${input.kind} address`,
    });
    audit.on('address', address.id);
    if (input.kind === 'permanent' && previous && previous.policeAdministration !== input.policeAdministration) {
      await this.transfer(manager, audit, principal, address, previous.policeAdministration);
    }
    await this.records.refreshRegions(manager, personId);
    return toAddressView(address);
  }

  async list(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    limit = DEFAULT_PAGE_SIZE,
    cursor?: string,
  ): Promise<Page<AddressView>> {
    audit.on('address').subject(personId);
    return this.log.transaction(audit, async (manager) => {
      await this.records.within(manager, audit, principal, personId);
      const q = manager
        .getRepository(Address)
        .createQueryBuilder('a')
        .where('a.person_id = :personId', { personId })
        .orderBy('a.valid_from', 'DESC')
        .addOrderBy('a.id', 'DESC')
        .limit(limit + 1);
      if (cursor) {
        const [from, id] = decodeCursor(cursor, ['date', 'uuid']);
        q.andWhere('(a.valid_from, a.id) < (:from, :id)', { from, id });
      }
      const page = toPage(await q.getMany(), limit, toAddressView, (a) => [a.validFrom, a.id]);
      audit.resultCount = page.items.length;
      return page;
    });
  }

  /** A clerk's correction of an address (If-Match on the address's own version). */
  async correct(
    audit: RequestAudit,
    personId: string,
    addressId: string,
    version: number,
    changes: UpdateAddressDto,
  ): Promise<AddressView> {
    audit.on('address', addressId).subject(personId);
    return this.log.transaction(audit, async (manager) => {
      await this.records.find(manager, personId, true);
      const view = await this.records.correctPart(manager, audit, {
        entity: Address,
        personId,
        partId: addressId,
        part: 'address',
        version,
        view: toAddressView,
        apply: async (address) => {
          Object.assign(address, sentFields(changes));
          await this.assertValid(manager, address.policeAdministration, address.validFrom);
          if (address.validTo !== null && address.validTo < address.validFrom) {
            throw DomainError.validation([
              { field: 'validFrom', message: `must not be after the address ended (${address.validTo})` },
            ]);
          }
        },
      });
      await this.records.refreshRegions(manager, personId);
      return view;
    });
  }

  /**
   * Responsibility moves with the permanent residence: active periodic
   * reporting is re-pointed to the new administration (new versions, reason
   * "transfer"), the transfer is recorded, and both administrations get an
   * alert (`transfer_out`, `transfer_in`).
   */
  private async transfer(
    manager: EntityManager,
    audit: RequestAudit,
    principal: Principal,
    address: Address,
    from: string,
  ): Promise<void> {
    const { personId, id: addressId, policeAdministration: to } = address;
    const transfer = await manager.getRepository(Transfer).save({
      personId,
      addressId,
      fromAdministration: from,
      toAdministration: to,
      effectiveOn: address.validFrom,
      recordedBy: principal.userId,
    });
    await this.raiser.raise(manager, {
      sql: `SELECT kind, $1::uuid AS person_id, NULL::uuid AS measure_id, $2::uuid AS source_id,
                   $3::date AS due_date, administration AS police_administration
              FROM (VALUES ('transfer_out', $4::text), ('transfer_in', $5::text)) AS t (kind, administration)`,
      params: [personId, transfer.id, transfer.effectiveOn, from, to],
    });
    await this.records.recordHistory(manager, audit, {
      personId,
      part: 'address',
      partId: addressId,
      change: 'transfer',
      before: { policeAdministration: from },
      after: { policeAdministration: to },
    });
    const measures = manager.getRepository(Measure);
    for (const measure of await measures.findBy({ personId, type: 'periodic_reporting', status: 'active' })) {
      const before = toMeasureView(measure);
      measure.reportTo = to;
      const saved = await measures.save(measure);
      await this.records.recordHistory(manager, audit, {
        personId,
        part: 'measure',
        partId: measure.id,
        change: 'transfer',
        reason: 'transfer',
        before: { ...before },
        after: { ...toMeasureView(saved) },
      });
    }
  }

  /** The current permanent and temporary addresses, for the person's view. */
  async current(
    manager: EntityManager,
    personId: string,
  ): Promise<{ permanent: AddressView | null; temporary: AddressView | null }> {
    const open = await manager.getRepository(Address).findBy({ personId, validTo: IsNull() });
    const of = (kind: 'permanent' | 'temporary') => {
      const found = open.find((a) => a.kind === kind);
      return found ? toAddressView(found) : null;
    };
    return { permanent: of('permanent'), temporary: of('temporary') };
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

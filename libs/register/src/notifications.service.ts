import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  addDays,
  AppConfig,
  belgradeToday,
  DomainError,
  isRealDate,
  type Page,
  type PageQuery,
  validateNested,
} from '@app/common';
import type { Principal } from '@app/authz';
import { AuditLog, type RequestAudit } from '@app/audit';
import { AlertRaiser } from '@app/compliance';
import { AddressesService } from './addresses.service';
import { type CreateNotificationDto, TravelDetailsDto } from './dto/acts.dto';
import { CreateAddressDto } from './dto/address.dto';
import { CreateWorkplaceDto } from './dto/workplace.dto';
import { Notification, type NotificationKind } from './entities/notification.entity';
import { pastInstant } from './measure-acts.service';
import { PersonRecords } from './person-records';
import { WorkplacesService } from './workplaces.service';

export interface NotificationView {
  id: string;
  kind: NotificationKind;
  notifiedAt: Date;
  effectiveOn: string;
  details: Record<string, unknown>;
  /** The last day the notice was on time. */
  deadline: string;
  onTime: boolean;
  /** The address or workplace the notice recorded. */
  recordedPartId: string | null;
  recordedBy: string;
  createdAt: Date;
  voidedAt: Date | null;
  voidedBy: string | null;
  voidReason: string | null;
  version: number;
}

const toNotificationView = (n: Notification): NotificationView => ({
  id: n.id,
  kind: n.kind,
  notifiedAt: n.notifiedAt,
  effectiveOn: n.effectiveOn,
  details: n.details,
  deadline: n.deadline,
  onTime: n.onTime,
  recordedPartId: n.recordedPartId,
  recordedBy: n.recordedBy,
  createdAt: n.createdAt,
  voidedAt: n.voidedAt,
  voidedBy: n.voidedBy,
  voidReason: n.voidReason,
  version: n.version,
});

/**
 * Notices given by the person: a change of residence (which records the
 * address, and a transfer when the administration changes) or workplace
 * (which records the workplace), within NOTIFY_CHANGE_DAYS of taking effect,
 * and travel abroad at least TRAVEL_NOTICE_DAYS before departure. A late
 * notice raises a `late_notification` alert.
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly log: AuditLog,
    private readonly config: AppConfig,
    private readonly records: PersonRecords,
    private readonly addresses: AddressesService,
    private readonly workplaces: WorkplacesService,
    private readonly raiser: AlertRaiser,
  ) {}

  async add(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    input: CreateNotificationDto,
  ): Promise<NotificationView> {
    audit.on('notification').subject(personId);
    return this.log.transaction(audit, async (manager) => {
      await this.records.within(manager, audit, principal, personId, 'record', true, 'Notification');
      const notifiedAt = pastInstant(input.notifiedAt, 'notifiedAt');
      if (!isRealDate(input.effectiveOn)) {
        throw DomainError.validation([{ field: 'effectiveOn', message: 'is not a real date' }]);
      }
      const { details, deadline, recordedPartId } = await this.apply(manager, audit, principal, personId, input);
      const onTime = belgradeToday(notifiedAt) <= deadline;
      const repository = manager.getRepository(Notification);
      const saved = await repository.save(
        repository.create({
          personId,
          kind: input.kind,
          notifiedAt,
          effectiveOn: input.effectiveOn,
          details,
          deadline,
          onTime,
          recordedPartId,
          recordedBy: principal.userId,
        }),
      );
      audit.on('notification', saved.id);
      await this.records.recordHistory(manager, audit, {
        personId,
        part: 'notification',
        partId: saved.id,
        change: 'create',
        before: null,
        after: { ...toNotificationView(saved) },
      });
      if (!onTime) {
        await this.raiser.raise(manager, {
          sql: `SELECT 'late_notification' AS kind, $1::uuid AS person_id, NULL::uuid AS measure_id,
                       $2::uuid AS source_id, $3::date AS due_date,
                       responsible_administration($1) AS police_administration`,
          params: [personId, saved.id, deadline],
        });
      }
      return toNotificationView(saved);
    });
  }

  list(audit: RequestAudit, principal: Principal, personId: string, page: PageQuery): Promise<Page<NotificationView>> {
    return this.records.pageParts(audit, principal, personId, 'notification', 'Notification', {
      entity: Notification,
      column: 'notified_at',
      positionKind: 'time',
      view: toNotificationView,
      ...page,
    });
  }

  /** A clerk voids a notification recorded by mistake (what it recorded stays, to be corrected on its own). */
  void(audit: RequestAudit, principal: Principal, personId: string, id: string): Promise<NotificationView> {
    return this.records.voidPart(audit, principal, {
      entity: Notification,
      personId,
      partId: id,
      part: 'notification',
      view: toNotificationView,
    });
  }

  /** Validates the details of the notice's kind, records what it changes, and works out its deadline. */
  private async apply(
    manager: EntityManager,
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    input: CreateNotificationDto,
  ): Promise<{ details: Record<string, unknown>; deadline: string; recordedPartId: string | null }> {
    const changeDeadline = addDays(input.effectiveOn, this.config.compliance.notifyChangeDays);
    const only = (key: string): unknown => {
      const unknown = Object.keys(input.details).filter((k) => k !== key);
      if (unknown.length) {
        throw DomainError.validation(
          unknown.map((k) => ({ field: `details.${k}`, message: 'is not a known property' })),
        );
      }
      return input.details[key];
    };
    switch (input.kind) {
      case 'residence_change': {
        const address = validateNested(CreateAddressDto, only('address'), 'details.address');
        const recorded = await this.addresses.record(manager, audit, principal, personId, address);
        audit.on('notification');
        return { details: { address: { ...address } }, deadline: changeDeadline, recordedPartId: recorded.id };
      }
      case 'workplace_change': {
        const workplace = validateNested(CreateWorkplaceDto, only('workplace'), 'details.workplace');
        const recorded = await this.workplaces.record(manager, audit, principal, personId, workplace);
        audit.on('notification');
        return { details: { workplace: { ...workplace } }, deadline: changeDeadline, recordedPartId: recorded.id };
      }
      case 'travel_abroad': {
        const travel = validateNested(TravelDetailsDto, input.details, 'details');
        const errors = [];
        if (!isRealDate(travel.departOn)) errors.push({ field: 'details.departOn', message: 'is not a real date' });
        if (!isRealDate(travel.returnOn)) errors.push({ field: 'details.returnOn', message: 'is not a real date' });
        else if (travel.returnOn < travel.departOn) {
          errors.push({ field: 'details.returnOn', message: 'must not be before departOn' });
        }
        if (errors.length) throw DomainError.validation(errors);
        return {
          details: { ...travel },
          deadline: addDays(travel.departOn, -this.config.compliance.travelNoticeDays),
          recordedPartId: null,
        };
      }
    }
  }
}

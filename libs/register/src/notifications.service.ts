import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import {
  addDays,
  AppConfig,
  belgradeToday,
  DomainError,
  isRealDate,
  type KeysetColumn,
  type Page,
  type PageQuery,
  validateNested,
} from '@app/common';
import type { Principal } from '@app/authz';
import type { RequestAudit } from '@app/audit';
import { PersonAccess, type PersonTarget } from './access/person-access';
import type { PersonScope } from './access/person-scope';
import { AlertRaiser } from '@app/compliance';
import { AddressesService } from './addresses.service';
import { type CreateNotificationDto, type RecordReturnDto, TravelDetailsDto } from './dto/acts.dto';
import { CreateAddressDto } from './dto/address.dto';
import { CreateWorkplaceDto } from './dto/workplace.dto';
import { Notification, NOTIFICATION_KINDS, type NotificationKind } from './entities/notification.entity';
import { VoidableView } from './voidable.view';
import { pastInstant } from './measure-acts.service';
import { WorkplacesService } from './workplaces.service';

export class NotificationView extends VoidableView {
  @ApiProperty({ format: 'uuid', example: 'c2f1a7d4-5b3e-4f6a-8d9c-1e2f3a4b5c6d' })
  id!: string;

  @ApiProperty({ enum: NOTIFICATION_KINDS, example: 'travel_abroad' })
  kind!: NotificationKind;

  @ApiProperty({ example: '2026-02-20T10:00:00.000Z' })
  notifiedAt!: Date;

  @ApiProperty({ format: 'date', example: '2026-03-01' })
  effectiveOn!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    properties: {
      destinationCountry: { type: 'string', example: 'HU', description: 'A journey abroad: where to' },
      departOn: { type: 'string', format: 'date', example: '2026-03-02' },
      returnOn: { type: 'string', format: 'date', example: '2026-03-10' },
    },
    description: 'What the notice says: the new address or workplace, or the journey',
    example: { destinationCountry: 'HU', departOn: '2026-03-02', returnOn: '2026-03-10' },
  })
  details!: Record<string, unknown>;

  /** The last day the notice was on time. */
  @ApiProperty({ format: 'date', example: '2026-02-28' })
  deadline!: string;

  @ApiProperty({ example: true })
  onTime!: boolean;

  /** The address or workplace the notice recorded. */
  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: null })
  recordedPartId!: string | null;

  @ApiProperty({ format: 'uuid', example: '5d6e7f80-1a2b-4c3d-8e4f-9a0b1c2d3e4f' })
  recordedBy!: string;

  /** Travel abroad: the day the person came back, once recorded (POST .../return). */
  @ApiProperty({ type: String, format: 'date', nullable: true, example: null })
  returnedOn!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: null })
  returnRecordedBy!: string | null;

  @ApiProperty({ type: Date, nullable: true, example: null })
  returnRecordedAt!: Date | null;

  @ApiProperty({ example: '2026-02-20T10:05:00.000Z' })
  createdAt!: Date;
}

export const toNotificationView = (n: Notification): NotificationView => ({
  id: n.id,
  kind: n.kind,
  notifiedAt: n.notifiedAt,
  effectiveOn: n.effectiveOn,
  details: n.details,
  deadline: n.deadline,
  onTime: n.onTime,
  recordedPartId: n.recordedPartId,
  recordedBy: n.recordedBy,
  returnedOn: n.returnedOn,
  returnRecordedBy: n.returnRecordedBy,
  returnRecordedAt: n.returnRecordedAt,
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
 * notice raises a `late_notification` alert. The return from travel abroad
 * is recorded on its notice; the compliance scan raises
 * `travel_return_overdue` when none is recorded TRAVEL_RETURN_GRACE_DAYS
 * after the planned return.
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly access: PersonAccess,
    private readonly config: AppConfig,
    private readonly addresses: AddressesService,
    private readonly workplaces: WorkplacesService,
    private readonly raiser: AlertRaiser,
  ) {}

  add(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    input: CreateNotificationDto,
  ): Promise<NotificationView> {
    audit.on('notification').subject(personId);
    const target = { action: 'record', on: 'Notification', personId, lock: true } as const;
    return this.access.within(audit, principal, target, async (person) => {
      const notifiedAt = pastInstant(input.notifiedAt, 'notifiedAt');
      if (!isRealDate(input.effectiveOn)) {
        throw DomainError.validation([{ field: 'effectiveOn', message: 'is not a real date' }]);
      }
      const { details, deadline, recordedPartId } = await this.apply(person, principal, input);
      const onTime = belgradeToday(notifiedAt) <= deadline;
      const view = await person.create(
        Notification,
        'notification',
        {
          kind: input.kind,
          notifiedAt,
          effectiveOn: input.effectiveOn,
          details,
          deadline,
          onTime,
          recordedPartId,
          recordedBy: principal.userId,
        },
        toNotificationView,
      );
      if (!onTime) {
        await this.raiser.raise(person.manager, [
          {
            kind: 'late_notification',
            personId,
            measureId: null,
            sourceId: view.id,
            dueDate: deadline,
            // The person's responsible administration.
            policeAdministration: null,
          },
        ]);
      }
      return view;
    });
  }

  list(audit: RequestAudit, principal: Principal, personId: string, page: PageQuery): Promise<Page<NotificationView>> {
    return this.access.list(audit, principal, 'notification', { on: 'Notification', personId }, (person) =>
      person.page(Notification, NEWEST_FIRST, page, toNotificationView),
    );
  }

  /** A clerk voids a notification recorded by mistake (what it recorded stays, to be corrected on its own). */
  void(audit: RequestAudit, principal: Principal, personId: string, id: string): Promise<NotificationView> {
    const target = {
      on: 'Notification',
      entity: Notification,
      part: 'notification',
      absent: 'No such notification.',
    } as const;
    return this.access.voidPart(audit, principal, { ...target, personId, id }, toNotificationView);
  }

  /**
   * Records the return from travel abroad on its notice (officers of the
   * region, clerks): 400 for a notice that is not travel, a day before the
   * departure or in the future; 409 when a return is already recorded or
   * the notice is void. Kept in the person's history.
   */
  recordReturn(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    id: string,
    input: RecordReturnDto,
  ): Promise<NotificationView> {
    audit.on('notification', id).subject(personId);
    const part = { entity: Notification, id, absent: 'No such notification.' };
    return this.access.within(
      audit,
      principal,
      { action: 'record', on: 'Notification', personId, part, lock: true },
      (person) =>
        person.change({
          entity: Notification,
          part: 'notification',
          version: null,
          change: 'return',
          view: toNotificationView,
          apply: (notice) => {
            if (notice.kind !== 'travel_abroad') {
              throw DomainError.validation([{ field: 'returnedOn', message: 'is only for a notice of travel abroad' }]);
            }
            if (notice.returnedOn) {
              throw DomainError.conflict(`The return is already recorded (${notice.returnedOn}).`);
            }
            const { departOn } = notice.details as { departOn?: string };
            if (!isRealDate(input.returnedOn)) {
              throw DomainError.validation([{ field: 'returnedOn', message: 'is not a real date' }]);
            }
            if (departOn && input.returnedOn < departOn) {
              throw DomainError.validation([
                { field: 'returnedOn', message: `must not be before departOn (${departOn})` },
              ]);
            }
            if (input.returnedOn > belgradeToday()) {
              throw DomainError.validation([{ field: 'returnedOn', message: 'must not be in the future' }]);
            }
            Object.assign(notice, {
              returnedOn: input.returnedOn,
              returnRecordedBy: principal.userId,
              returnRecordedAt: new Date(),
            });
          },
        }),
    );
  }

  /** Validates the details of the notice's kind, records what it changes, and works out its deadline. */
  private async apply(
    person: PersonScope,
    principal: Principal,
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
    // What the notice records is checked as what it is: recording an address, a workplace.
    const open = (target: PersonTarget) => this.access.open(person.manager, person.audit, principal, target);
    switch (input.kind) {
      case 'residence_change': {
        const address = validateNested(CreateAddressDto, only('address'), 'details.address');
        const scope = await open(this.addresses.target(person.id, address));
        const recorded = await this.addresses.record(scope, principal, address);
        person.audit.on('notification');
        return { details: { address: { ...address } }, deadline: changeDeadline, recordedPartId: recorded.id };
      }
      case 'workplace_change': {
        const workplace = validateNested(CreateWorkplaceDto, only('workplace'), 'details.workplace');
        const scope = await open(this.workplaces.target(person.id));
        const recorded = await this.workplaces.record(scope, workplace);
        person.audit.on('notification');
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

const NEWEST_FIRST: KeysetColumn[] = [
  { sql: 'x.notified_at', kind: 'time', desc: true },
  { sql: 'x.id', kind: 'uuid', desc: true },
];

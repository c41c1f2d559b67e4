import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiAnswer,
  ApiIfMatch,
  ApiPageAnswer,
  IfMatchVersion,
  type Page,
  PageQuery,
  UUID_PARAM,
  VersionedETag,
} from '@app/common';
import { CurrentPrincipal, Permission, type Principal, RequiresReason } from '@app/authz';
import { Audited, AuditContext, type RequestAudit } from '@app/audit';
import {
  CreateBreachDto,
  CreateCheckInDto,
  CreateCounsellingDto,
  CreateNotificationDto,
  RecordReturnDto,
  UpdateBreachDto,
  UpdateCounsellingDto,
} from '../dto/acts.dto';
import { CounsellingService, CounsellingView } from '../counselling.service';
import { BreachesService, BreachView } from '../breaches.service';
import { CheckInView, MeasureActsService, RecordedCheckInView } from '../measure-acts.service';
import { NotificationsService, NotificationView } from '../notifications.service';

@ApiTags('register')
@Controller('persons/:id')
@RequiresReason()
export class MeasureActsController {
  constructor(
    private readonly acts: MeasureActsService,
    private readonly breachActs: BreachesService,
    private readonly counsellingAttendance: CounsellingService,
    private readonly notifications: NotificationsService,
  ) {}

  @Post('check-ins')
  @Permission('record', 'CheckIn')
  @Audited('check_in.create', { resource: 'check_in' })
  @ApiOperation({ summary: 'Record an in-person check-in; answers with the person’s compliance after it' })
  @ApiAnswer(RecordedCheckInView)
  checkIn(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Body() body: CreateCheckInDto,
  ): Promise<RecordedCheckInView> {
    return this.acts.checkIn(audit, principal, id, body);
  }

  @Get('check-ins')
  @Permission('read', 'CheckIn')
  @Audited('check_in.list', { resource: 'check_in' })
  @ApiOperation({ summary: 'The person’s check-ins, newest first (voided ones included, marked)' })
  @ApiPageAnswer(CheckInView)
  checkIns(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Query() query: PageQuery,
  ): Promise<Page<CheckInView>> {
    return this.acts.checkIns(audit, principal, id, query);
  }

  @Post('check-ins/:checkInId/void')
  @HttpCode(200)
  @Permission('void', 'CheckIn')
  @Audited('check_in.void', { resource: 'check_in' })
  @ApiOperation({ summary: 'Void a check-in recorded by mistake (the access reason is kept as the reason)' })
  @ApiAnswer(CheckInView)
  voidCheckIn(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Param('checkInId', UUID_PARAM) checkInId: string,
  ): Promise<CheckInView> {
    return this.acts.voidCheckIn(audit, principal, id, checkInId);
  }

  @Post('notifications')
  @Permission('record', 'Notification')
  @Audited('notification.create', { resource: 'notification' })
  @ApiOperation({ summary: 'Record a notice of a residence or workplace change or of travel abroad' })
  @ApiAnswer(NotificationView)
  notify(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Body() body: CreateNotificationDto,
  ): Promise<NotificationView> {
    return this.notifications.add(audit, principal, id, body);
  }

  @Get('notifications')
  @Permission('read', 'Notification')
  @Audited('notification.list', { resource: 'notification' })
  @ApiOperation({ summary: 'The person’s notifications, newest first (voided ones included, marked)' })
  @ApiPageAnswer(NotificationView)
  notificationList(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Query() query: PageQuery,
  ): Promise<Page<NotificationView>> {
    return this.notifications.list(audit, principal, id, query);
  }

  @Post('notifications/:notificationId/void')
  @HttpCode(200)
  @Permission('void', 'Notification')
  @Audited('notification.void', { resource: 'notification' })
  @ApiOperation({ summary: 'Void a notification recorded by mistake (the access reason is kept as the reason)' })
  @ApiAnswer(NotificationView)
  voidNotification(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Param('notificationId', UUID_PARAM) notificationId: string,
  ): Promise<NotificationView> {
    return this.notifications.void(audit, principal, id, notificationId);
  }

  @Post('notifications/:notificationId/return')
  @HttpCode(200)
  @Permission('record', 'Notification')
  @Audited('notification.return', { resource: 'notification' })
  @ApiOperation({
    summary: 'Record the return from travel abroad on its notice (officers of the region, clerks)',
    description:
      '200 with the notification (returnedOn set); 400 when the notice is not travel abroad, or returnedOn is ' +
      'before departOn or in the future; 409 when a return is already recorded or the notice is void. Without a ' +
      'return TRAVEL_RETURN_GRACE_DAYS after the planned return, the compliance scan raises travel_return_overdue.',
  })
  @ApiAnswer(NotificationView)
  recordReturn(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Param('notificationId', UUID_PARAM) notificationId: string,
    @Body() body: RecordReturnDto,
  ): Promise<NotificationView> {
    return this.notifications.recordReturn(audit, principal, id, notificationId, body);
  }

  @Post('breaches')
  @Permission('record', 'Breach')
  @Audited('breach.create', { resource: 'breach' })
  @ApiOperation({
    summary: 'Record a breach of one of the person’s measures; it raises an alert',
    description:
      'kind travel_without_notice (travel abroad discovered later) must name a notify_travel_abroad measure.',
  })
  @ApiAnswer(BreachView)
  breach(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Body() body: CreateBreachDto,
  ): Promise<BreachView> {
    return this.breachActs.breach(audit, principal, id, body);
  }

  @Patch('breaches/:breachId')
  @Permission('update', 'Breach')
  @Audited('breach.update', { resource: 'breach' })
  @ApiIfMatch()
  @ApiOperation({ summary: 'Correct a breach (If-Match: the breach’s version); a void one: 409' })
  @VersionedETag()
  @ApiAnswer(BreachView)
  async correctBreach(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Param('breachId', UUID_PARAM) breachId: string,
    @IfMatchVersion() version: number,
    @Body() body: UpdateBreachDto,
  ): Promise<BreachView> {
    const breach = await this.breachActs.correctBreach(audit, principal, id, breachId, version, body);
    return breach;
  }

  @Post('breaches/:breachId/void')
  @HttpCode(200)
  @Permission('void', 'Breach')
  @Audited('breach.void', { resource: 'breach' })
  @ApiOperation({
    summary: 'Void a breach recorded by mistake (the access reason is kept as the reason)',
    description:
      'The alert the breach raised is resolved if still open or acknowledged (its resolution names the void). ' +
      '409 when the breach is already void, and 409 with code breach_referred (and referralIds) while a referral ' +
      'that is not void names the breach or its alert: void the referral first.',
  })
  @ApiAnswer(BreachView)
  voidBreach(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Param('breachId', UUID_PARAM) breachId: string,
  ): Promise<BreachView> {
    return this.breachActs.voidBreach(audit, principal, id, breachId);
  }

  @Get('breaches')
  @Permission('read', 'Breach')
  @Audited('breach.list', { resource: 'breach' })
  @ApiOperation({ summary: 'The person’s recorded breaches, newest first (voided ones included, marked)' })
  @ApiPageAnswer(BreachView)
  breaches(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Query() query: PageQuery,
  ): Promise<Page<BreachView>> {
    return this.breachActs.breaches(audit, principal, id, query);
  }

  @Post('counselling')
  @Permission('record', 'Counselling')
  @Audited('counselling.create', { resource: 'counselling' })
  @ApiOperation({ summary: 'Record attendance at counselling under a counselling measure' })
  @ApiAnswer(CounsellingView)
  counselling(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Body() body: CreateCounsellingDto,
  ): Promise<CounsellingView> {
    return this.counsellingAttendance.counselling(audit, principal, id, body);
  }

  @Patch('counselling/:counsellingId')
  @Permission('update', 'Counselling')
  @Audited('counselling.update', { resource: 'counselling' })
  @ApiIfMatch()
  @ApiOperation({ summary: 'Correct a counselling attendance (If-Match: its version); a void one: 409' })
  @VersionedETag()
  @ApiAnswer(CounsellingView)
  async correctCounselling(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Param('counsellingId', UUID_PARAM) counsellingId: string,
    @IfMatchVersion() version: number,
    @Body() body: UpdateCounsellingDto,
  ): Promise<CounsellingView> {
    const attendance = await this.counsellingAttendance.correctCounselling(
      audit,
      principal,
      id,
      counsellingId,
      version,
      body,
    );
    return attendance;
  }

  @Post('counselling/:counsellingId/void')
  @HttpCode(200)
  @Permission('void', 'Counselling')
  @Audited('counselling.void', { resource: 'counselling' })
  @ApiOperation({
    summary: 'Void a counselling attendance recorded by mistake (the access reason is kept as the reason)',
    description: 'A voided attendance no longer counts for the counselling schedule. 409 when already void.',
  })
  @ApiAnswer(CounsellingView)
  voidCounselling(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Param('counsellingId', UUID_PARAM) counsellingId: string,
  ): Promise<CounsellingView> {
    return this.counsellingAttendance.void(audit, principal, id, counsellingId);
  }

  @Get('counselling')
  @Permission('read', 'Counselling')
  @Audited('counselling.list', { resource: 'counselling' })
  @ApiOperation({ summary: 'The person’s counselling attendance, newest first (voided ones included, marked)' })
  @ApiPageAnswer(CounsellingView)
  counsellingList(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Query() query: PageQuery,
  ): Promise<Page<CounsellingView>> {
    return this.counsellingAttendance.counsellingAttendances(audit, principal, id, query);
  }
}

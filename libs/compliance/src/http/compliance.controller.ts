import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiPageAnswer, OptionalIfMatchVersion, type Page, UUID_PARAM } from '@app/common';
import { CurrentPrincipal, Permission, type Principal, RequiresReason } from '@app/authz';
import { Audited, AuditContext, type RequestAudit } from '@app/audit';
import { AlertsService, AlertView } from '../alerts.service';
import {
  AddressChecksDueQuery,
  AlertQuery,
  DueQuery,
  InboxQuery,
  OverdueQuery,
  ProximityQuery,
  ReleaseQuery,
  ResolveAlertDto,
} from '../compliance.dto';
import { ComplianceService, DueItem, OverdueItem } from '../compliance.service';
import { InboxItemView, InboxService } from '../inbox.service';
import { AddressCheckDueItem, LocationLists, ProximityItem, ReleaseItem } from '../location-lists';

@ApiTags('compliance')
@Controller('compliance')
@RequiresReason()
export class ComplianceController {
  constructor(
    private readonly compliance: ComplianceService,
    private readonly locations: LocationLists,
  ) {}

  @Get('overdue')
  @Permission('read', 'Compliance')
  @Audited('compliance.overdue', { resource: 'compliance' })
  @ApiOperation({ summary: 'One item per overdue reporting measure, oldest first' })
  @ApiPageAnswer(OverdueItem)
  overdue(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Query() query: OverdueQuery,
  ): Promise<Page<OverdueItem>> {
    return this.compliance.overdue(audit, principal, query);
  }

  @Get('due')
  @Permission('read', 'Compliance')
  @Audited('compliance.due', { resource: 'compliance' })
  @ApiOperation({ summary: 'The reporting periods ending between from and to, with whether each is checked in' })
  @ApiPageAnswer(DueItem)
  due(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Query() query: DueQuery,
  ): Promise<Page<DueItem>> {
    return this.compliance.due(audit, principal, query);
  }

  @Get('releases')
  // It shows where each person is to live: for those who read addresses (clerks; officers in their region).
  @Permission('read', 'Address')
  @Audited('compliance.releases', { resource: 'compliance' })
  @ApiOperation({
    summary:
      'Persons due for release between from and to, soonest first: the planned address, the measures that will bind and whether their duties were acknowledged',
  })
  @ApiPageAnswer(ReleaseItem)
  releases(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Query() query: ReleaseQuery,
  ): Promise<Page<ReleaseItem>> {
    return this.locations.releases(audit, principal, query);
  }

  @Get('address-checks/due')
  // Scoped as recording a check: officers see the addresses in their administration, clerks those they serve.
  @Permission('read', 'AddressCheck')
  @Audited('compliance.address_checks_due', { resource: 'compliance' })
  @ApiOperation({
    summary:
      'Addresses in force not confirmed by a check for olderThanDays (default 90; never checked: since validFrom), ' +
      'the oldest first, with the person and the latest check',
  })
  @ApiPageAnswer(AddressCheckDueItem)
  addressChecksDue(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Query() query: AddressChecksDueQuery,
  ): Promise<Page<AddressCheckDueItem>> {
    return this.locations.addressChecksDue(audit, principal, query);
  }

  @Get('proximity')
  // It shows where each person lives or works: for those who read addresses (clerks; officers in their region).
  @Permission('read', 'Address')
  @Audited('compliance.proximity', { resource: 'compliance' })
  @ApiOperation({
    summary:
      'Persons under the ban on places where minors gather whose current address or workplace lies within `metres` (1 to PROXIMITY_MAX_METRES, 1000 unless configured; default 300) of an active place, nearest first: the distance, the location and the nearest place',
  })
  @ApiPageAnswer(ProximityItem)
  proximity(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Query() query: ProximityQuery,
  ): Promise<Page<ProximityItem>> {
    return this.locations.proximity(audit, principal, query);
  }
}

@ApiTags('compliance')
@Controller('alerts')
@RequiresReason()
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @Permission('read', 'Alert')
  @Audited('alert.list', { resource: 'alert' })
  @ApiOperation({ summary: 'Alerts in the caller’s scope, oldest first' })
  @ApiPageAnswer(AlertView)
  list(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Query() query: AlertQuery,
  ): Promise<Page<AlertView>> {
    return this.alerts.list(audit, principal, query);
  }

  @Get(':id')
  @Permission('read', 'Alert')
  @Audited('alert.read', { resource: 'alert' })
  @ApiOperation({ summary: 'One alert in the caller’s scope (an extension: the reminders link to it)' })
  @ApiAnswer(AlertView)
  get(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
  ): Promise<AlertView> {
    return this.alerts.get(audit, principal, id);
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @Permission('work', 'Alert')
  @Audited('alert.acknowledge', { resource: 'alert' })
  @ApiOperation({ summary: 'Acknowledge an open alert (If-Match optional)' })
  @ApiAnswer(AlertView)
  acknowledge(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @OptionalIfMatchVersion() version: number | null,
  ): Promise<AlertView> {
    return this.alerts.acknowledge(audit, principal, id, version);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @Permission('work', 'Alert')
  @Audited('alert.resolve', { resource: 'alert' })
  @ApiOperation({ summary: 'Resolve an alert with what was done (If-Match optional)' })
  @ApiAnswer(AlertView)
  resolve(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @OptionalIfMatchVersion() version: number | null,
    @Body() body: ResolveAlertDto,
  ): Promise<AlertView> {
    return this.alerts.resolve(audit, principal, id, body.resolution, version);
  }
}

@ApiTags('compliance')
@Controller('inbox')
@RequiresReason()
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

  @Get()
  @Permission('read', 'Inbox')
  @Audited('inbox.list', { resource: 'inbox' })
  @ApiOperation({ summary: 'The caller’s own reminders, newest first' })
  @ApiPageAnswer(InboxItemView)
  list(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Query() query: InboxQuery,
  ): Promise<Page<InboxItemView>> {
    return this.inbox.list(audit, principal, query);
  }

  @Post(':id/read')
  @HttpCode(204)
  @Permission('read', 'Inbox')
  @Audited('inbox.read', { resource: 'inbox' })
  @ApiOperation({ summary: 'Mark one of the caller’s reminders read' })
  markRead(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
  ): Promise<void> {
    return this.inbox.markRead(audit, principal, id);
  }
}

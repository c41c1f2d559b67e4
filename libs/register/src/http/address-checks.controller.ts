import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiPageAnswer, type Page, PageQuery, UUID_PARAM } from '@app/common';
import { CurrentPrincipal, Permission, type Principal, RequiresReason } from '@app/authz';
import { Audited, AuditContext, type RequestAudit } from '@app/audit';
import { AddressCheckView, AddressChecksService, RecordedAddressCheckView } from '../address-checks.service';
import { CreateAddressCheckDto } from '../dto/address-check.dto';

@ApiTags('register')
@Controller('persons/:id/address-checks')
@RequiresReason()
export class AddressChecksController {
  constructor(private readonly checks: AddressChecksService) {}

  @Post()
  @Permission('record', 'AddressCheck')
  @Audited('address_check.create', { resource: 'address_check' })
  @ApiOperation({
    summary:
      'Record a check of one of the person’s addresses (police of the address’s administration, or a clerk); ' +
      'answers with whereaboutsUnknown (why the check leaves them unknown, or null) and the whereabouts_unknown ' +
      'alert it raised (alertId; null when none, or when one was already raised for the address)',
  })
  @ApiAnswer(RecordedAddressCheckView)
  record(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Body() body: CreateAddressCheckDto,
  ): Promise<RecordedAddressCheckView> {
    return this.checks.record(audit, principal, id, body);
  }

  @Get()
  @Permission('read', 'AddressCheck')
  @Audited('address_check.list', { resource: 'address_check' })
  @ApiOperation({ summary: 'The person’s address checks, newest first (voided ones included, marked)' })
  @ApiPageAnswer(AddressCheckView)
  list(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Query() query: PageQuery,
  ): Promise<Page<AddressCheckView>> {
    return this.checks.list(audit, principal, id, query);
  }

  @Post(':checkId/void')
  @HttpCode(200)
  @Permission('void', 'AddressCheck')
  @Audited('address_check.void', { resource: 'address_check' })
  @ApiOperation({
    summary: 'Void an address check recorded by mistake (clerks; the access reason is kept as the reason)',
  })
  @ApiAnswer(AddressCheckView)
  void(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Param('checkId', UUID_PARAM) checkId: string,
  ): Promise<AddressCheckView> {
    return this.checks.void(audit, principal, id, checkId);
  }
}

import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
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
import { AddressesService, AddressView } from '../addresses.service';
import { CreateAddressDto, UpdateAddressDto } from '../dto/address.dto';

@ApiTags('register')
@Controller('persons/:id/addresses')
@RequiresReason()
export class AddressesController {
  constructor(private readonly addresses: AddressesService) {}

  @Post()
  @Permission('record', 'Address')
  @Audited('address.create', { resource: 'address' })
  @ApiOperation({
    summary: 'Record a new address; it closes the current one of its kind (another administration: a transfer)',
  })
  @ApiAnswer(AddressView)
  add(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Body() body: CreateAddressDto,
  ): Promise<AddressView> {
    return this.addresses.add(audit, principal, id, body);
  }

  @Get()
  @Permission('read', 'Address')
  @Audited('address.list', { resource: 'address' })
  @ApiOperation({ summary: 'The person’s addresses, current and past, newest first' })
  @ApiPageAnswer(AddressView)
  list(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Query() query: PageQuery,
  ): Promise<Page<AddressView>> {
    return this.addresses.list(audit, principal, id, query);
  }

  @Patch(':addressId')
  @Permission('update', 'Address')
  @Audited('address.update', { resource: 'address' })
  @ApiIfMatch()
  @ApiOperation({ summary: 'Correct an address (If-Match: the address’s version)' })
  @VersionedETag()
  @ApiAnswer(AddressView)
  async correct(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Param('addressId', UUID_PARAM) addressId: string,
    @IfMatchVersion() version: number,
    @Body() body: UpdateAddressDto,
  ): Promise<AddressView> {
    const address = await this.addresses.correct(audit, principal, id, addressId, version, body);
    return address;
  }
}

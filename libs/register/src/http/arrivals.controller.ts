import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiPageAnswer, type Page, UUID_PARAM } from '@app/common';
import { CurrentPrincipal, Permission, type Principal, RequiresReason } from '@app/authz';
import { Audited, AuditContext, type RequestAudit } from '@app/audit';
import { ArrivalView } from '../arrival.views';
import { ArrivalsService } from '../arrivals.service';
import { CreateArrivalDto } from '../dto/arrival.dto';

@ApiTags('register')
@Controller('persons/:id/arrivals')
@RequiresReason()
export class ArrivalsController {
  constructor(private readonly arrivals: ArrivalsService) {}

  @Post()
  @Permission('create', 'Arrival')
  @Audited('arrival.create', { resource: 'arrival' })
  @ApiOperation({
    summary:
      'Announce that the person is arriving in another police administration (an extension: only then may its officers record the new address there)',
  })
  @ApiAnswer(ArrivalView)
  announce(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Body() body: CreateArrivalDto,
  ): Promise<ArrivalView> {
    return this.arrivals.announce(audit, principal, id, body);
  }

  @Get()
  @Permission('read', 'Arrival')
  @Audited('arrival.list', { resource: 'arrival' })
  @ApiOperation({ summary: 'The person’s arrival announcements, newest first' })
  @ApiPageAnswer(ArrivalView)
  list(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
  ): Promise<Page<ArrivalView>> {
    return this.arrivals.list(audit, principal, id);
  }
}

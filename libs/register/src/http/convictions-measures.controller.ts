import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiAnswer,
  ApiIfMatch,
  ApiPageAnswer,
  IfMatchVersion,
  type Page,
  UUID_PARAM,
  VersionedETag,
} from '@app/common';
import { CurrentPrincipal, Permission, type Principal, RequiresReason } from '@app/authz';
import { Audited, AuditContext, type RequestAudit } from '@app/audit';
import { ConvictionsService, ConvictionView } from '../convictions.service';
import { CreateConvictionDto, UpdateConvictionDto } from '../dto/conviction.dto';
import { CreateMeasureDto, MeasureActionDto } from '../dto/measure.dto';
import { MeasureView, ShownMeasureView } from '../measure.views';
import { MeasuresService } from '../measures.service';

@ApiTags('register')
@Controller('persons/:id')
@RequiresReason()
export class ConvictionsMeasuresController {
  constructor(
    private readonly convictions: ConvictionsService,
    private readonly measures: MeasuresService,
  ) {}

  @Post('convictions')
  @Permission('create', 'Conviction')
  @Audited('conviction.create', { resource: 'conviction' })
  @ApiOperation({ summary: 'Record a conviction (articles from the offences reference list)' })
  @ApiAnswer(ConvictionView)
  addConviction(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Body() body: CreateConvictionDto,
  ): Promise<ConvictionView> {
    return this.convictions.add(audit, principal, id, body);
  }

  @Get('convictions')
  @Permission('read', 'Conviction')
  @Audited('conviction.list', { resource: 'conviction' })
  @ApiOperation({ summary: 'The person’s convictions with their legal consequences' })
  @ApiPageAnswer(ConvictionView)
  listConvictions(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
  ): Promise<Page<ConvictionView>> {
    return this.convictions.list(audit, principal, id);
  }

  @Patch('convictions/:convictionId')
  @Permission('update', 'Conviction')
  @Audited('conviction.update', { resource: 'conviction' })
  @ApiIfMatch()
  @ApiOperation({ summary: 'Correct a conviction (If-Match: the conviction’s version)' })
  @VersionedETag()
  @ApiAnswer(ConvictionView)
  async correctConviction(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Param('convictionId', UUID_PARAM) convictionId: string,
    @IfMatchVersion() version: number,
    @Body() body: UpdateConvictionDto,
  ): Promise<ConvictionView> {
    const view = await this.convictions.correct(audit, principal, id, convictionId, version, body);
    return view;
  }

  @Post('measures')
  @Permission('create', 'Measure')
  @Audited('measure.create', { resource: 'measure' })
  @ApiOperation({ summary: 'Impose a special measure (at most 20 years after a release date)' })
  @ApiAnswer(MeasureView)
  addMeasure(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Body() body: CreateMeasureDto,
  ): Promise<MeasureView> {
    return this.measures.add(audit, principal, id, body);
  }

  @Get('measures')
  @Permission('read', 'Measure')
  @Audited('measure.list', { resource: 'measure' })
  @ApiOperation({ summary: 'The person’s measures' })
  @ApiPageAnswer(ShownMeasureView)
  listMeasures(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
  ): Promise<Page<ShownMeasureView>> {
    return this.measures.list(audit, principal, id);
  }

  @Patch('measures/:measureId')
  @Permission('update', 'Measure')
  @Audited('measure.update', { resource: 'measure' })
  @ApiIfMatch()
  @ApiOperation({ summary: 'Suspend, resume or end a measure (an impossible transition is 409)' })
  @VersionedETag()
  @ApiAnswer(MeasureView)
  async actOnMeasure(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Param('measureId', UUID_PARAM) measureId: string,
    @IfMatchVersion() version: number,
    @Body() body: MeasureActionDto,
  ): Promise<MeasureView> {
    const view = await this.measures.act(audit, principal, id, measureId, version, body.action, body.effectiveOn);
    return view;
  }
}

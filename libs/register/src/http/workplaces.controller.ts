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
import { CreateWorkplaceDto, UpdateWorkplaceDto } from '../dto/workplace.dto';
import { RecordedWorkplaceView, WorkplaceView, WorkplacesService } from '../workplaces.service';

@ApiTags('register')
@Controller('persons/:id/workplaces')
@RequiresReason()
export class WorkplacesController {
  constructor(private readonly workplaces: WorkplacesService) {}

  @Post()
  @Permission('record', 'Workplace')
  @Audited('workplace.create', { resource: 'workplace' })
  @ApiOperation({
    summary: 'Record a workplace; it closes the current one',
    description:
      'Work with minors during the ban on employment with minors, or a public office during the ban on public ' +
      'office (on validFrom or today, whichever is later), raises a prohibited_employment alert (flagged event) ' +
      'to the responsible administration and the clerks of the UIKS office serving it; `warnings` names each ban ' +
      '({kind, ban, on, until}).',
  })
  @ApiAnswer(RecordedWorkplaceView)
  add(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Body() body: CreateWorkplaceDto,
  ): Promise<RecordedWorkplaceView> {
    return this.workplaces.add(audit, principal, id, body);
  }

  @Get()
  @Permission('read', 'Workplace')
  @Audited('workplace.list', { resource: 'workplace' })
  @ApiOperation({ summary: 'The person’s workplaces, newest first' })
  @ApiPageAnswer(WorkplaceView)
  list(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
  ): Promise<Page<WorkplaceView>> {
    return this.workplaces.list(audit, principal, id);
  }

  @Patch(':workplaceId')
  @Permission('update', 'Workplace')
  @Audited('workplace.update', { resource: 'workplace' })
  @ApiIfMatch()
  @ApiOperation({
    summary: 'Correct a workplace (If-Match: its version)',
    description:
      'Checks the bans as recording does (`warnings`); the alert is raised once per workplace and validFrom.',
  })
  @VersionedETag()
  @ApiAnswer(RecordedWorkplaceView)
  async correct(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Param('workplaceId', UUID_PARAM) workplaceId: string,
    @IfMatchVersion() version: number,
    @Body() body: UpdateWorkplaceDto,
  ): Promise<RecordedWorkplaceView> {
    const view = await this.workplaces.correct(audit, principal, id, workplaceId, version, body);
    return view;
  }
}

import { Controller, Get, Header, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { UUID_PARAM } from '@app/common';
import { CurrentPrincipal, Permission, type Principal, RequiresReason } from '@app/authz';
import { Audited, AuditContext, type RequestAudit } from '@app/audit';
import type { CaseFileView } from '../access/case-file-read-model';
import { CaseFileService } from '../case-file.service';
import { CaseFileQuery } from '../dto/case-file.dto';

@ApiTags('register')
@Controller('persons/:id/case-file')
@RequiresReason()
export class CaseFileController {
  constructor(private readonly caseFiles: CaseFileService) {}

  @Get()
  @Permission('export', 'CaseFile')
  @Audited('case_file.issue', { resource: 'case_file', flagged: true })
  @Header('Cache-Control', 'no-store')
  @Header('X-Content-Type-Options', 'nosniff')
  @ApiProduces('application/json', 'application/pdf')
  @ApiOkResponse({
    description:
      'The case file as JSON (`format=json`, the default), or the same file as a PDF signed with the audit key ' +
      '(`format=pdf`, an attachment)',
    content: {
      'application/json': { schema: { type: 'object' } },
      'application/pdf': { schema: { type: 'string', format: 'binary' } },
    },
  })
  @ApiOperation({
    summary:
      'The evidence about the person for a prosecutor: identity, convictions, measures with acknowledgements, every ' +
      'reporting period with its check-in or its miss, notices, address checks, breaches, alerts, each with the ids ' +
      'of its audit events (a flagged disclosure naming the recipient)',
  })
  async issue(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Query() query: CaseFileQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CaseFileView | Buffer> {
    const file = await this.caseFiles.issue(audit, principal, id, query);
    if (file.format === 'json') return file.view;
    reply.header('content-type', 'application/pdf');
    reply.header('content-disposition', `attachment; filename="${file.fileName}"`);
    return file.pdf;
  }
}

import { Body, Controller, Get, Header, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ApiAnswer,
  ApiIfMatch,
  ApiPageAnswer,
  IfMatchVersion,
  type Page,
  PageQuery,
  readForm,
  ReadsOwnBody,
  UUID_PARAM,
  VersionedETag,
} from '@app/common';
import { CurrentPrincipal, Permission, type Principal, RequiresReason } from '@app/authz';
import { Audited, AuditContext, type RequestAudit } from '@app/audit';
import { ACKNOWLEDGEMENT_FORM, AcknowledgementView, AcknowledgementsService } from '../acknowledgements.service';
import { ACKNOWLEDGEMENT_FORM_BODY, UpdateAcknowledgementDto } from '../dto/acknowledgement.dto';

@ApiTags('register')
@Controller('persons/:id/acknowledgements')
@RequiresReason()
export class AcknowledgementsController {
  constructor(private readonly acknowledgements: AcknowledgementsService) {}

  @Post()
  @Permission('create', 'Acknowledgement')
  @Audited('acknowledgement.create', { resource: 'acknowledgement' })
  @ReadsOwnBody()
  @ApiConsumes('multipart/form-data')
  @ApiBody(ACKNOWLEDGEMENT_FORM_BODY)
  @ApiOperation({
    summary:
      'Record that the duties of some of the person’s measures were explained, with the scanned signed form ' +
      '(PDF, JPEG or PNG by content, else 415; at most 10 MiB, else 413)',
  })
  @ApiAnswer(AcknowledgementView)
  async create(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Req() request: FastifyRequest,
  ): Promise<AcknowledgementView> {
    return this.acknowledgements.create(audit, principal, id, await readForm(request, ACKNOWLEDGEMENT_FORM));
  }

  @Get()
  @Permission('read', 'Acknowledgement')
  @Audited('acknowledgement.list', { resource: 'acknowledgement' })
  @ApiOperation({ summary: 'The person’s acknowledgements, newest first (voided ones included, marked)' })
  @ApiPageAnswer(AcknowledgementView)
  list(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Query() query: PageQuery,
  ): Promise<Page<AcknowledgementView>> {
    return this.acknowledgements.list(audit, principal, id, query);
  }

  @Get(':acknowledgementId/form')
  @Permission('read', 'Acknowledgement')
  @Audited('acknowledgement.read', { resource: 'acknowledgement' })
  @Header('Cache-Control', 'no-store')
  @Header('X-Content-Type-Options', 'nosniff')
  @ApiProduces('application/pdf', 'image/jpeg', 'image/png')
  @ApiOkResponse({
    description: 'The scan as it was uploaded (its SHA-256 is `form.sha256` of the acknowledgement)',
    content: Object.fromEntries(
      ['application/pdf', 'image/jpeg', 'image/png'].map((type) => [
        type,
        { schema: { type: 'string', format: 'binary' } },
      ]),
    ),
  })
  @ApiOperation({ summary: 'The scanned signed form, with its content type, as a download; never cached' })
  async form(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Param('acknowledgementId', UUID_PARAM) acknowledgementId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const { contentType, fileName, data } = await this.acknowledgements.form(audit, principal, id, acknowledgementId);
    reply.header('content-type', contentType);
    reply.header('content-disposition', `attachment; filename="${fileName}"`);
    return data;
  }

  @Patch(':acknowledgementId')
  @Permission('update', 'Acknowledgement')
  @Audited('acknowledgement.update', { resource: 'acknowledgement' })
  @ApiIfMatch()
  @ApiOperation({
    summary: 'Correct the measures, the day or who explained them (If-Match: its version); the form stays',
  })
  @VersionedETag()
  @ApiAnswer(AcknowledgementView)
  async correct(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Param('acknowledgementId', UUID_PARAM) acknowledgementId: string,
    @IfMatchVersion() version: number,
    @Body() body: UpdateAcknowledgementDto,
  ): Promise<AcknowledgementView> {
    const view = await this.acknowledgements.correct(audit, principal, id, acknowledgementId, version, body);
    return view;
  }

  @Post(':acknowledgementId/void')
  @HttpCode(200)
  @Permission('void', 'Acknowledgement')
  @Audited('acknowledgement.void', { resource: 'acknowledgement' })
  @ApiOperation({ summary: 'Void an acknowledgement recorded by mistake (the access reason is kept as the reason)' })
  @ApiAnswer(AcknowledgementView)
  void(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Param('acknowledgementId', UUID_PARAM) acknowledgementId: string,
  ): Promise<AcknowledgementView> {
    return this.acknowledgements.void(audit, principal, id, acknowledgementId);
  }
}

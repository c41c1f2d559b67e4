import { Body, Controller, Get, Header, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiAnswer, ApiPageAnswer, type Page, UUID_PARAM } from '@app/common';
import { CurrentPrincipal, Permission, type Principal, RequiresReason } from '@app/authz';
import { Audited, AuditContext, type RequestAudit } from '@app/audit';
import { DisclosureListItem } from '../access/disclosure-records';
import { DisclosureAnswer, type DisclosurePackage, DisclosuresService } from '../disclosures.service';
import { CreateDisclosureDto, DisclosureQuery, PackageQuery } from '../dto/disclosure.dto';

@ApiTags('register')
@Controller('persons/:id/disclosures')
@RequiresReason()
export class PersonDisclosuresController {
  constructor(private readonly disclosures: DisclosuresService) {}

  @Post()
  @Permission('create', 'Disclosure')
  @Audited('disclosure.create', { resource: 'disclosure', flagged: true })
  @ApiOperation({
    summary: 'Send chosen parts of the person to an authority abroad (Interpol, Europol or bilateral)',
    description:
      'Builds the package of the chosen fields (identity, photos, description, dna_reference, convictions, ' +
      'measures, travel_notices) from the person’s view, keeps it with the SHA-256 of its canonical JSON ' +
      '(sorted keys, no spaces) and answers it. A flagged event names the recipient as `authority (country)`. ' +
      '`travelNoticeId`: an outbound notice prepared from the person’s travel-abroad notice (else 400).',
  })
  @ApiAnswer(DisclosureAnswer)
  create(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Body() body: CreateDisclosureDto,
  ): Promise<DisclosureAnswer> {
    return this.disclosures.create(audit, principal, id, body);
  }
}

@ApiTags('register')
@Controller('disclosures')
@RequiresReason()
export class DisclosuresController {
  constructor(private readonly disclosures: DisclosuresService) {}

  @Get()
  @Permission('read', 'Disclosure')
  @Audited('disclosure.list', { resource: 'disclosure' })
  @ApiOperation({
    summary: 'Disclosures abroad, newest first (records only; clerks also see the person’s name)',
    description: '`from`/`to`: days (Belgrade) the disclosures were made; `personId`, `country`: the recipient’s.',
  })
  @ApiPageAnswer(DisclosureListItem)
  list(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Query() query: DisclosureQuery,
  ): Promise<Page<DisclosureListItem>> {
    return this.disclosures.list(audit, principal, query);
  }

  @Get(':id/package')
  @Permission('export', 'Disclosure')
  @Audited('disclosure.package', { resource: 'disclosure', flagged: true })
  @Header('Cache-Control', 'no-store')
  @Header('X-Content-Type-Options', 'nosniff')
  @ApiProduces('application/json', 'application/pdf')
  @ApiOkResponse({
    description: 'The package as it was sent: its JSON, or a PDF of it carrying its SHA-256',
    content: {
      'application/json': { schema: { type: 'object' } },
      'application/pdf': { schema: { type: 'string', format: 'binary' } },
    },
  })
  @ApiOperation({ summary: 'The package of a disclosure again (`format` json or pdf); not a new disclosure' })
  async package(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID_PARAM) id: string,
    @Query() query: PackageQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DisclosurePackage | Buffer> {
    const found = await this.disclosures.package(audit, principal, id, query.format ?? 'json');
    if (found.format === 'json') return found.package;
    reply.header('content-type', 'application/pdf');
    reply.header('content-disposition', `attachment; filename="${found.fileName}"`);
    return found.data;
  }
}

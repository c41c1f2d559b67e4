import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  ApiAnswer,
  ApiFileAnswer,
  ApiPageAnswer,
  DomainError,
  JsonWebKeySet,
  lowerBound,
  type Page,
  upperBound,
  UUID_PARAM,
} from '@app/common';
import { Permission } from '@app/authz';
import { Audited, AuditContext } from './audited';
import { AuditKeys } from './audit-keys';
import { AuditLog } from './audit-log';
import { AuditEventView, AuditQueryService, ReviewView } from './audit-query.service';
import { AuditSealer } from './audit-sealer';
import { AuditVerifier, VerifyResult } from './audit-verifier';
import { AuditEventQuery, ExportQuery, ReviewDto, VerifyDto } from './audit.dto';
import type { RequestAudit } from './request-audit';
import { Checkpoint } from './seals';

function interval(from: string | undefined, to: string | undefined): { from?: Date; to?: Date } {
  const start = from ? lowerBound(from) : undefined;
  const end = to ? upperBound(to) : undefined;
  const errors = [
    ...(start && Number.isNaN(start.getTime()) ? [{ field: 'from', message: 'is not a real date' }] : []),
    ...(end && Number.isNaN(end.getTime()) ? [{ field: 'to', message: 'is not a real date' }] : []),
  ];
  if (errors.length === 0 && start && end && start >= end) errors.push({ field: 'to', message: 'must be after from' });
  if (errors.length > 0) throw DomainError.validation(errors);
  return { from: start, to: end };
}

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(
    private readonly query: AuditQueryService,
    private readonly verifier: AuditVerifier,
    private readonly sealer: AuditSealer,
    private readonly keys: AuditKeys,
    private readonly log: AuditLog,
  ) {}

  @Get('events')
  @Permission('read', 'AuditEvent')
  @Audited('audit.search', { resource: 'audit_event' })
  @ApiOperation({ summary: 'Search the audit log, newest first' })
  @ApiPageAnswer(AuditEventView)
  search(@AuditContext() audit: RequestAudit, @Query() query: AuditEventQuery): Promise<Page<AuditEventView>> {
    const { from, to, ...filter } = query;
    return this.query.search(audit, { ...filter, ...interval(from, to) });
  }

  @Post('events/:id/review')
  @Permission('review', 'AuditEvent')
  @Audited('audit.review', { resource: 'audit_event' })
  @HttpCode(201)
  @ApiOperation({ summary: 'Record a review of an event (append-only)' })
  @ApiAnswer(ReviewView)
  review(
    @AuditContext() audit: RequestAudit,
    @Param('id', UUID_PARAM) id: string,
    @Body() body: ReviewDto,
  ): Promise<ReviewView> {
    return this.query.review(audit, id, body.note);
  }

  @Get('verify')
  @Permission('verify', 'AuditEvent')
  @Audited('audit.verify', { resource: 'audit_log' })
  @ApiOperation({ summary: 'Recompute every seal and review signature; name every damage and forgery' })
  @ApiAnswer(VerifyResult)
  verify(@AuditContext() audit: RequestAudit): Promise<VerifyResult> {
    return this.verifier.verifyRecorded(audit);
  }

  @Post('verify')
  @Permission('verify', 'AuditEvent')
  @Audited('audit.verify', { resource: 'audit_log' })
  @HttpCode(200)
  @ApiOperation({ summary: 'Verify, also against a checkpoint kept outside' })
  @ApiAnswer(VerifyResult)
  verifyCheckpoint(@AuditContext() audit: RequestAudit, @Body() body: VerifyDto): Promise<VerifyResult> {
    return this.verifier.verifyRecorded(audit, body.checkpoint);
  }

  @Get('checkpoints/latest')
  @Permission('read', 'AuditEvent')
  @Audited('audit.checkpoint', { resource: 'audit_log' })
  @ApiOperation({ summary: 'A signed statement of the sealed log’s head' })
  @ApiAnswer(Checkpoint)
  async checkpoint(@AuditContext() audit: RequestAudit): Promise<Checkpoint> {
    const checkpoint = await this.log.transaction(audit, (manager) => this.sealer.latestCheckpoint(manager));
    if (!checkpoint) throw DomainError.notFound('Nothing has been sealed yet.');
    return checkpoint;
  }

  @Get('keys')
  @Permission('read', 'AuditEvent')
  @Audited('audit.keys', { resource: 'audit_log' })
  @ApiOperation({ summary: 'The public keys that verify seals and checkpoints (Ed25519)' })
  @ApiAnswer(JsonWebKeySet)
  async sealingKeys(@AuditContext() audit: RequestAudit): Promise<{ keys: Record<string, unknown>[] }> {
    return this.log.transaction(audit, async () => ({ keys: this.keys.publicKeys() }));
  }

  @Get('export')
  @Permission('export', 'AuditEvent')
  @Audited('audit.export', { resource: 'audit_log', flagged: true })
  @Header('Cache-Control', 'no-store')
  @ApiProduces('application/x-ndjson')
  @ApiOperation({ summary: 'Events in a period as JSON Lines, for the supervisory authority (a disclosure)' })
  @ApiFileAnswer(['application/x-ndjson'], 'The events, one JSON object a line')
  async export(
    @AuditContext() audit: RequestAudit,
    @Query() query: ExportQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    const { from, to } = interval(query.from, query.to) as { from: Date; to: Date };
    const stream = await this.query.export(audit, from, to, query.recipient ?? audit.actor?.organisation ?? 'unknown');
    reply.header('content-type', 'application/x-ndjson; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="audit-${query.from}-${query.to}.jsonl"`);
    return stream;
  }
}

import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiAnswer } from '@app/common';
import { CurrentPrincipal, Permission, type Principal } from '@app/authz';
import { Audited, AuditContext, type RequestAudit } from '@app/audit';
import { StatisticsQueryDto, StatisticsReportQueryDto } from '../dto/statistics.dto';
import { StatisticsService } from '../statistics.service';
import { StatisticsAnswer, StatisticsReport } from '../statistics.views';

const FIGURES_DESCRIPTION =
  'Stocks at the end of `asOf` (persons registered; with a measure in force that day; in custody; compliant ' +
  '(`compliant` or `due`), overdue, non-compliant as `person_compliance` answers at the last instant of the day) ' +
  'and flows recorded from `from` to `asOf` inclusive (Belgrade days, by the day they were recorded: check-ins ' +
  'not voided by the end of asOf, missed periods (the `missed_check_in` alerts raised), late notices, breaches, ' +
  'referrals to the prosecutor, convictions for failing the measures (referral outcomes `convicted` recorded), ' +
  'transfers between administrations, employers’ vetting requests, disclosures abroad). Everything is as the ' +
  'register had recorded it by the end of `asOf`, so a past day gives the same figures later. ' +
  '`total` counts each person once; a person may fall in several groups (two offences, two regions, several ' +
  'measures), so the groups need not add up to it. A person’s figures count in the groups the person is in at ' +
  'the end of `asOf` (regions: the administrations of the current addresses and of active reporting). ' +
  'Transfers by region count into the administration moved to and out of the one left; in other groups each ' +
  'transfer of the group’s persons counts once in and once out. Vetting requests keep no person: they are ' +
  'counted in `total` and in months only (0 in regions, offences and measures), and only for national callers ' +
  '(0 for police officers). Police officers see the persons in their region only (`regions`), their disclosures ' +
  'included. `groupBy=month`: one group per calendar month from..asOf (key `2026-03`), stocks at the month’s end ' +
  '(or asOf), flows within the month. Not suppressed (for the competent authorities).';

@ApiTags('statistics')
@Controller('statistics')
export class StatisticsController {
  constructor(private readonly statistics: StatisticsService) {}

  @Get()
  @Permission('read', 'Statistics')
  @Audited('statistics.read', { resource: 'statistics' })
  @ApiOperation({
    summary: 'The register’s figures as of a day, in all and by group',
    description: FIGURES_DESCRIPTION,
  })
  @ApiAnswer(StatisticsAnswer, { description: 'The figures' })
  figures(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Query() query: StatisticsQueryDto,
  ): Promise<StatisticsAnswer> {
    return this.statistics.figures(audit, principal, query);
  }

  @Get('report')
  @Permission('export', 'Statistics')
  @Audited('statistics.report', { resource: 'statistics' })
  @Header('Cache-Control', 'no-store')
  @Header('X-Content-Type-Options', 'nosniff')
  @ApiProduces('application/json', 'text/csv', 'application/pdf')
  @ApiOperation({
    summary: 'The yearly report (Lanzarote Committee, management): by region, by offence and in all',
    description:
      'The figures of `GET /statistics` from 1 January to 31 December (or today while the year runs), national ' +
      '(clerks, judicial officers, auditors). Every format is external: a figure from 1 to `STATISTICS_MIN_CELL` ' +
      '- 1 (default 5) is suppressed, so that no person can be singled out: `null` in JSON, its name listed in ' +
      'the row’s `suppressed`; `<5` in CSV and PDF. 0 stays 0. CSV: a header row, RFC 4180 quoting, CRLF.',
  })
  @ApiAnswer(StatisticsReport, { description: 'The report as JSON, CSV or PDF (an attachment)' })
  @ApiOkResponse({
    description: 'The report as JSON, CSV or PDF (an attachment)',
    content: {
      'text/csv': { schema: { type: 'string' } },
      'application/pdf': { schema: { type: 'string', format: 'binary' } },
    },
  })
  async report(
    @AuditContext() audit: RequestAudit,
    @CurrentPrincipal() principal: Principal,
    @Query() query: StatisticsReportQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StatisticsReport | Buffer> {
    const found = await this.statistics.report(audit, principal, query);
    if (found.format === 'json') return found.report;
    reply.header('content-type', found.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/pdf');
    reply.header('content-disposition', `attachment; filename="${found.fileName}"`);
    return found.data;
  }
}

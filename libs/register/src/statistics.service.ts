import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AppConfig, belgradeToday, DomainError, isRealDate, renderPdf } from '@app/common';
import { type Principal, RecordAccess } from '@app/authz';
import { AuditLog, type RequestAudit } from '@app/audit';
import {
  FIGURE_NAMES,
  type PersonGrouping,
  type StatisticsFigures,
  StatisticsReadModel,
} from './access/statistics-read-model';
import type {
  ReportFormat,
  StatisticsGrouping,
  StatisticsQueryDto,
  StatisticsReportQueryDto,
} from './dto/statistics.dto';
import { MEASURE_TYPES } from './measure-types';
import type {
  ReportFigures,
  ReportGroup,
  StatisticsAnswer,
  StatisticsGroup,
  StatisticsReport,
} from './statistics.views';

export type { StatisticsFigures };

export type ReportDownload =
  { format: 'json'; report: StatisticsReport } | { format: 'csv' | 'pdf'; fileName: string; data: Buffer };

/** The words of the figures in the report's CSV header and PDF tables. */
const FIGURE_TITLES: Record<keyof StatisticsFigures, string> = {
  personsRegistered: 'Registered',
  withActiveMeasures: 'Active measures',
  inCustody: 'In custody',
  compliant: 'Compliant',
  overdue: 'Overdue',
  nonCompliant: 'Non-compliant',
  checkIns: 'Check-ins',
  missedPeriods: 'Missed periods',
  lateNotices: 'Late notices',
  breaches: 'Breaches',
  referrals: 'Referrals',
  failureConvictions: 'Convictions for failing',
  transfersIn: 'Transfers in',
  transfersOut: 'Transfers out',
  vettingRequests: 'Vetting requests',
  disclosures: 'Disclosures',
};

/**
 * The register's statistics (README "Statistics"): figures computed from
 * what the register had recorded by the end of a day, for the competent
 * authorities (not suppressed), and the yearly report for the Lanzarote
 * Committee and management (small cells suppressed). Each call is one
 * audited, unflagged event with the query in its details.
 */
@Injectable()
export class StatisticsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: AuditLog,
    private readonly records: RecordAccess,
    private readonly readModel: StatisticsReadModel,
    private readonly config: AppConfig,
  ) {}

  figures(audit: RequestAudit, principal: Principal, query: StatisticsQueryDto): Promise<StatisticsAnswer> {
    audit.on('statistics');
    const today = belgradeToday();
    const asOf = query.asOf ?? today;
    const errors: { field: string; message: string }[] = [];
    if (!isRealDate(asOf)) errors.push({ field: 'asOf', message: 'is not a real date' });
    else if (asOf > today) errors.push({ field: 'asOf', message: `must not be in the future (today is ${today})` });
    const from = query.from ?? `${asOf.slice(0, 4)}-01-01`;
    if (!isRealDate(from)) errors.push({ field: 'from', message: 'is not a real date' });
    else if (errors.length === 0 && from > asOf) errors.push({ field: 'from', message: 'must be on or before asOf' });
    if (errors.length) throw DomainError.validation(errors);
    const groupBy = query.groupBy ?? null;
    audit.details = { asOf, from, groupBy };
    return this.log.transaction(audit, async (manager) => {
      const answer = await this.compute(manager, principal, from, asOf, groupBy);
      audit.resultCount = answer.groups.length;
      return answer;
    });
  }

  async report(audit: RequestAudit, principal: Principal, query: StatisticsReportQueryDto): Promise<ReportDownload> {
    audit.on('statistics_report');
    const today = belgradeToday();
    const thisYear = Number(today.slice(0, 4));
    const year = query.year ?? thisYear;
    if (year > thisYear) {
      throw DomainError.validation([{ field: 'year', message: `must be from 2000 up to ${thisYear}` }]);
    }
    const format: ReportFormat = query.format ?? 'json';
    const from = `${year}-01-01`;
    const asOf = year === thisYear ? today : `${year}-12-31`;
    const minCell = this.config.statistics.minCell;
    audit.details = { year, format, asOf, from, minCell };
    const report = await this.log.transaction(audit, async (manager) => {
      const byRegion = await this.compute(manager, principal, from, asOf, 'region');
      const byOffence = await this.compute(manager, principal, from, asOf, 'offence');
      audit.resultCount = byRegion.groups.length + byOffence.groups.length;
      const suppress = (group: StatisticsGroup): ReportGroup => suppressed(group, minCell);
      return {
        year,
        from,
        asOf,
        minCell,
        byRegion: byRegion.groups.map(suppress),
        byOffence: byOffence.groups.map(suppress),
        total: suppress({ key: 'total', label: 'Total', figures: byRegion.total }),
      } satisfies StatisticsReport;
    });
    if (format === 'json') return { format, report };
    const fileName = `statistics-${year}.${format}`;
    if (format === 'csv') return { format, fileName, data: Buffer.from(reportCsv(report), 'utf8') };
    return { format, fileName, data: await reportPdf(report) };
  }

  /** The figures of [from, asOf] by `groupBy`, labelled, within the caller's reach. */
  private async compute(
    manager: EntityManager,
    principal: Principal,
    from: string,
    asOf: string,
    groupBy: StatisticsGrouping | null,
  ): Promise<StatisticsAnswer> {
    const reach = this.reach(principal);
    const rules = this.config.compliance;
    const run = (f: string, d: string, g: PersonGrouping, since?: string) =>
      this.readModel.figures(manager, principal, {
        from: f,
        asOf: d,
        since,
        groupBy: g,
        national: reach === null,
        graceHours: rules.graceHours,
        dueSoonDays: rules.dueSoonDays,
      });
    const answer = (groups: StatisticsGroup[], total: StatisticsFigures): StatisticsAnswer => ({
      asOf,
      from,
      groupBy,
      regions: reach,
      groups,
      total,
    });
    if (groupBy === 'month') {
      const month = (first: string, figures: StatisticsFigures) => ({
        key: first.slice(0, 7),
        label: first.slice(0, 7),
        figures,
      });
      // The last month ends on asOf, as the whole does: one statement answers both.
      const spans = months(from, asOf);
      const [lastFirst] = spans.at(-1)!;
      const whole = await run(from, asOf, null, lastFirst);
      const groups: StatisticsGroup[] = [];
      for (const [first, last] of spans.slice(0, -1)) groups.push(month(first, (await run(first, last, null)).total));
      groups.push(month(lastFirst, whole.since!));
      return answer(groups, whole.total);
    }
    const whole = await run(from, asOf, groupBy);
    if (!groupBy) return answer([], whole.total);
    const labels = await this.labels(manager, groupBy, reach);
    // An article or type no longer listed still has its group; regions are those within reach only.
    if (groupBy !== 'region') for (const key of whole.groups.keys()) if (!labels.has(key)) labels.set(key, key);
    return answer(
      [...labels].map(([key, label]) => ({ key, label, figures: whole.groups.get(key) ?? zero() })),
      whole.total,
    );
  }

  /**
   * The administrations the caller's `read` rules on Statistics name (an
   * officer's region); null when a rule has no condition (national).
   */
  private reach(principal: Principal): string[] | null {
    const rules = this.records.ability(principal).rulesFor('read', 'Statistics');
    if (rules.some((rule) => !rule.inverted && !rule.conditions)) return null;
    const regions = rules.flatMap((rule) => {
      const value = (rule.conditions as { regions?: unknown } | undefined)?.regions;
      return typeof value === 'string' ? [value] : [];
    });
    return [...new Set(regions)].sort();
  }

  /** Every key of a grouping, in order, with its label (the groups are listed even when empty). */
  private async labels(
    manager: EntityManager,
    groupBy: Exclude<StatisticsGrouping, 'month'>,
    reach: string[] | null,
  ): Promise<Map<string, string>> {
    if (groupBy === 'measure') return new Map(MEASURE_TYPES.map((m) => [m.type, m.description]));
    const rows: { key: string; label: string }[] =
      groupBy === 'region'
        ? await manager.query(
            `SELECT code AS key, name AS label FROM police_administrations
              WHERE $1::text[] IS NULL OR code = ANY($1::text[]) ORDER BY code`,
            [reach],
          )
        : await manager.query(
            `SELECT article AS key, title AS label FROM offences
              ORDER BY (substring(article FROM '^[0-9]+'))::integer, article`,
          );
    return new Map(rows.map((r) => [r.key, r.label]));
  }
}

/** The calendar months from `from` to `asOf`: each month's first and last day within them. */
export function months(from: string, asOf: string): [string, string][] {
  const result: [string, string][] = [];
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7));
  let first = from;
  for (;;) {
    const nextYear = month === 12 ? year + 1 : year;
    const nextMonth = month === 12 ? 1 : month + 1;
    const next = `${nextYear}-${String(nextMonth).padStart(2, '0')}-01`;
    const lastDay = new Date(Date.UTC(nextYear, nextMonth - 1, 1) - 86_400_000).toISOString().slice(0, 10);
    result.push([first, lastDay < asOf ? lastDay : asOf]);
    if (next > asOf) return result;
    [year, month, first] = [nextYear, nextMonth, next];
  }
}

function zero(): StatisticsFigures {
  return Object.fromEntries(FIGURE_NAMES.map((f) => [f, 0])) as unknown as StatisticsFigures;
}

/** A group as published: each figure from 1 to minCell - 1 becomes null and is named in `suppressed`. */
function suppressed(group: StatisticsGroup, minCell: number): ReportGroup {
  const names = FIGURE_NAMES.filter((f) => group.figures[f] > 0 && group.figures[f] < minCell);
  const figures = { ...group.figures } as ReportFigures;
  for (const name of names) figures[name] = null;
  return { key: group.key, label: group.label, figures, suppressed: names };
}

/** A suppressed figure as text: `<minCell`. */
function cell(value: number | null, minCell: number): string {
  return value === null ? `<${minCell}` : String(value);
}

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The report as CSV: a header row, then the regions, the offences and the total (CRLF line ends). */
export function reportCsv(report: StatisticsReport): string {
  const header = ['table', 'key', 'label', ...FIGURE_NAMES];
  const row = (table: string, group: ReportGroup) => [
    table,
    group.key,
    group.label,
    ...FIGURE_NAMES.map((f) => cell(group.figures[f], report.minCell)),
  ];
  const rows = [
    header,
    ...report.byRegion.map((g) => row('region', g)),
    ...report.byOffence.map((g) => row('offence', g)),
    row('total', report.total),
  ];
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** The figures in three tables of a few columns each (an A4 page is too narrow for all sixteen). */
const PDF_TABLES: { heading: string; figures: (keyof StatisticsFigures)[] }[] = [
  {
    heading: 'persons',
    figures: ['personsRegistered', 'withActiveMeasures', 'inCustody', 'compliant', 'overdue', 'nonCompliant'],
  },
  {
    heading: 'enforcement',
    figures: ['checkIns', 'missedPeriods', 'lateNotices', 'breaches', 'referrals', 'failureConvictions'],
  },
  { heading: 'movements and disclosures', figures: ['transfersIn', 'transfersOut', 'vettingRequests', 'disclosures'] },
];

async function reportPdf(report: StatisticsReport): Promise<Buffer> {
  const tables = (title: string, groups: ReportGroup[]) =>
    PDF_TABLES.map((t) => ({
      heading: `${title}: ${t.heading}`,
      table: {
        columns: ['', ...t.figures.map((f) => FIGURE_TITLES[f])],
        rows: [...groups, report.total].map((g) => [
          g === report.total ? 'Total' : g.key,
          ...t.figures.map((f) => cell(g.figures[f], report.minCell)),
        ]),
      },
    }));
  return renderPdf({
    title: `Special register: statistics ${report.year}`,
    subtitle:
      `From ${report.from} to ${report.asOf}. Figures from 1 to ${report.minCell - 1} are shown as ` +
      `<${report.minCell} so that no person can be singled out.`,
    info: { subject: `Statistics ${report.year}` },
    sections: [
      {
        heading: 'Total',
        rows: FIGURE_NAMES.map((f) => [FIGURE_TITLES[f], cell(report.total.figures[f], report.minCell)] as const),
      },
      ...tables('By region', report.byRegion),
      ...tables('By offence (Criminal Code article)', report.byOffence),
    ],
  });
}

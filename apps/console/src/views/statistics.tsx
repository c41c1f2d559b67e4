import { useCallback, useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useSession } from '../auth/session';
import { ErrorMessage, Field, saveDownload, Select } from '../components/form';
import { type Language, type MessageKey, useT } from '../i18n';
import type { Figures, Statistics } from '../types';

/** The figures the api counts, in the order the console shows them. */
export const FIGURES = [
  'personsRegistered',
  'withActiveMeasures',
  'inCustody',
  'compliant',
  'overdue',
  'nonCompliant',
  'checkIns',
  'missedPeriods',
  'lateNotices',
  'breaches',
  'referrals',
  'failureConvictions',
  'transfersIn',
  'transfersOut',
  'vettingRequests',
  'disclosures',
] as const;
export type Figure = (typeof FIGURES)[number] & keyof Figures;
export type { Figures, Statistics };

export const GROUPINGS = ['region', 'offence', 'measure', 'month'] as const;
export type Grouping = (typeof GROUPINGS)[number];

const FIGURE_WORDS: Record<Figure, MessageKey> = {
  personsRegistered: 'statPersonsRegistered',
  withActiveMeasures: 'statWithActiveMeasures',
  inCustody: 'statInCustody',
  compliant: 'statCompliant',
  overdue: 'statOverdue',
  nonCompliant: 'statNonCompliant',
  checkIns: 'statCheckIns',
  missedPeriods: 'statMissedPeriods',
  lateNotices: 'statLateNotices',
  breaches: 'statBreaches',
  referrals: 'statReferrals',
  failureConvictions: 'statFailureConvictions',
  transfersIn: 'statTransfersIn',
  transfersOut: 'statTransfersOut',
  vettingRequests: 'statVettingRequests',
  disclosures: 'statDisclosures',
};

const GROUPING_WORDS: Record<Grouping, MessageKey> = {
  region: 'statByRegion',
  offence: 'statByOffence',
  measure: 'statByMeasure',
  month: 'statByMonth',
};

const REPORT_FORMATS = ['pdf', 'csv', 'json'] as const;
type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Today in Belgrade, as the api counts days. */
function belgradeToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Belgrade' }).format(new Date());
}

/** How a group is named: a month in words, a measure type in words, otherwise the api's label or key. */
export function groupName(
  groupBy: Grouping,
  group: Statistics['groups'][number],
  language: Language,
  v: (value: string) => string,
): string {
  if (groupBy === 'month') {
    const [year, month] = group.key.split('-').map(Number);
    return new Intl.DateTimeFormat(language === 'sr' ? 'sr-Latn-RS' : 'en-GB', {
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(Date.UTC(year, month - 1, 1)));
  }
  if (groupBy === 'measure') return v(group.key);
  return group.label && group.label !== group.key ? `${group.label} (${group.key})` : group.key;
}

/**
 * The register's figures for a day: persons registered, under measures,
 * compliant or not, and what happened from a day to that day, per region,
 * offence, measure or month. A chart of one figure with its table beside it,
 * every figure in the table below, and the yearly report as a download.
 */
export default function StatisticsPage() {
  const { t, v, language } = useT();
  const { api } = useSession();
  const [asOf, setAsOf] = useState(belgradeToday);
  const [from, setFrom] = useState(() => `${belgradeToday().slice(0, 4)}-01-01`);
  const [groupBy, setGroupBy] = useState<Grouping>('region');
  const [figure, setFigure] = useState<Figure>('withActiveMeasures');
  const [statistics, setStatistics] = useState<Statistics | null>(null);
  const [error, setError] = useState<unknown>(null);

  const read = useCallback(async () => {
    setError(null);
    setStatistics(null);
    try {
      setStatistics((await api.get<Statistics>('/statistics', { query: { asOf, from, groupBy } })).data);
    } catch (failure) {
      setError(failure);
    }
  }, [api, asOf, from, groupBy]);

  useEffect(() => {
    void read();
  }, [read]);

  // The grouping the figures came in (the one asked for, while an answer to an earlier one is shown).
  const by: Grouping = statistics?.groupBy ?? groupBy;
  const rows: Row[] | undefined = statistics?.groups.map((group) => ({
    key: group.key,
    name: groupName(by, group, language, v),
    // The chart's axis has room for the label alone; the tables name the code too.
    short: by === 'region' || by === 'offence' ? (group.label ?? group.key) : groupName(by, group, language, v),
    figures: group.figures,
  }));

  return (
    <section aria-labelledby="statistics-title">
      <h1 id="statistics-title">{t('statistics')}</h1>
      <p>{t('statisticsHelp')}</p>
      <form
        className="card inline"
        aria-label={t('statisticsQuery')}
        onSubmit={(event) => {
          event.preventDefault();
          void read();
        }}
      >
        <Field
          label={t('statFrom')}
          type="date"
          required
          value={from}
          max={asOf}
          onChange={(e) => setFrom(e.target.value)}
        />
        <Field label={t('statAsOf')} type="date" required value={asOf} onChange={(e) => setAsOf(e.target.value)} />
        <Select
          label={t('statGroupBy')}
          value={groupBy}
          onChange={(e) => setGroupBy(e.target.value as Grouping)}
          options={GROUPINGS.map((g) => [g, t(GROUPING_WORDS[g])])}
        />
        <Select
          label={t('statFigure')}
          value={figure}
          onChange={(e) => setFigure(e.target.value as Figure)}
          options={FIGURES.map((f) => [f, t(FIGURE_WORDS[f])])}
        />
      </form>
      <ErrorMessage error={error} />
      {statistics && rows && (
        <>
          {statistics.regions && (
            <p data-testid="statistics-scope">
              {t('statScope')} {statistics.regions.join(', ')}
            </p>
          )}
          <div className="statistics">
            <figure className="card chart" aria-labelledby="statistics-chart-title">
              <figcaption id="statistics-chart-title">
                {t(FIGURE_WORDS[figure])}, {t(GROUPING_WORDS[by]).toLocaleLowerCase(language)}
              </figcaption>
              {rows.length === 0 ? (
                <p>{t('nothing')}</p>
              ) : (
                <div aria-hidden="true" className="chart-area">
                  <ResponsiveContainer width="100%" height={Math.max(240, rows.length * 28)}>
                    <BarChart
                      data={rows.map((row) => ({ name: row.short, value: row.figures[figure] }))}
                      layout="vertical"
                      // The table beside the chart is what assistive technology reads: the chart takes no focus.
                      accessibilityLayer={false}
                      margin={{ left: 8, right: 24 }}
                    >
                      <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                      <XAxis type="number" allowDecimals={false} />
                      <YAxis type="category" dataKey="name" width={220} interval={0} />
                      <Tooltip />
                      <Bar dataKey="value" name={t(FIGURE_WORDS[figure])} fill="#1f5fa8" isAnimationActive={false} />
                    </BarChart>
                  </ResponsiveContainer>
                </div>
              )}
            </figure>
            <div className="card">
              <FiguresTable
                by={by}
                total={statistics.total}
                rows={rows}
                figures={[figure]}
                caption={t(FIGURE_WORDS[figure])}
                testId="statistics-figure"
              />
            </div>
          </div>
          <p className="hint">{t('statGroupsOverlap')}</p>
          <div className="card table-scroll" tabIndex={0} role="region" aria-label={t('statAllFigures')}>
            <FiguresTable
              by={by}
              total={statistics.total}
              rows={rows}
              figures={FIGURES}
              caption={t('statAllFigures')}
              testId="statistics-all"
            />
          </div>
        </>
      )}
      <YearlyReport />
    </section>
  );
}

type Row = { key: string; name: string; short: string; figures: Figures };

/** Figures per group, one column each, and the total row: the chart's table and the table of every figure. */
function FiguresTable({
  by,
  total,
  rows,
  figures,
  caption,
  testId,
}: {
  by: Grouping;
  total: Figures;
  rows: Row[];
  figures: readonly Figure[];
  caption: string;
  testId: string;
}) {
  const { t } = useT();
  return (
    <table data-testid={testId}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t(GROUPING_WORDS[by])}</th>
          {figures.map((f) => (
            <th scope="col" key={f} className="number">
              {t(FIGURE_WORDS[f])}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <FiguresRow key={row.key} name={row.name} values={row.figures} figures={figures} />
        ))}
      </tbody>
      <tfoot>
        <FiguresRow name={t('statTotal')} values={total} figures={figures} />
      </tfoot>
    </table>
  );
}

function FiguresRow({ name, values, figures }: { name: string; values: Figures; figures: readonly Figure[] }) {
  return (
    <tr>
      <th scope="row">{name}</th>
      {figures.map((f) => (
        <td key={f} className="number">
          {values[f]}
        </td>
      ))}
    </tr>
  );
}

/** The yearly report (Lanzarote Committee, management) as a file; small cells come suppressed from the api. */
function YearlyReport() {
  const { t } = useT();
  const { api } = useSession();
  const thisYear = Number(belgradeToday().slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const [format, setFormat] = useState<ReportFormat>('pdf');
  const [error, setError] = useState<unknown>(null);
  const years = Array.from({ length: thisYear - 2013 + 1 }, (_, i) => thisYear - i);

  const download = async () => {
    setError(null);
    try {
      const { data } = await api.get<Blob>('/statistics/report', { query: { year, format }, as: 'blob' });
      saveDownload(data, `statistics-${year}.${format}`);
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <section className="card" aria-labelledby="statistics-report-title">
      <h2 id="statistics-report-title">{t('statReport')}</h2>
      <p className="hint">{t('statReportHelp')}</p>
      <form
        className="inline"
        aria-labelledby="statistics-report-title"
        onSubmit={(event) => {
          event.preventDefault();
          void download();
        }}
      >
        <Select
          label={t('statYear')}
          value={String(year)}
          onChange={(e) => setYear(Number(e.target.value))}
          options={years.map((y) => [String(y), String(y)])}
        />
        <Select
          label={t('statFormat')}
          value={format}
          onChange={(e) => setFormat(e.target.value as ReportFormat)}
          options={REPORT_FORMATS.map((f) => [f, f.toUpperCase()])}
        />
        <button type="submit">{t('statDownload')}</button>
      </form>
      <ErrorMessage error={error} />
    </section>
  );
}

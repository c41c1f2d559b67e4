import { months, reportCsv } from './statistics.service';
import type { StatisticsReport } from './statistics.views';

describe('statistics: months and the report as CSV', () => {
  it('cuts the months at from and asOf, across a year end and a leap February', () => {
    expect(months('2023-12-15', '2024-03-02')).toEqual([
      ['2023-12-15', '2023-12-31'],
      ['2024-01-01', '2024-01-31'],
      ['2024-02-01', '2024-02-29'],
      ['2024-03-01', '2024-03-02'],
    ]);
    expect(months('2026-05-07', '2026-05-07')).toEqual([['2026-05-07', '2026-05-07']]);
  });

  it('writes a header row, RFC 4180 quoting, <N for suppressed cells and 0 as 0, with CRLF', () => {
    const figures = {
      personsRegistered: 12,
      withActiveMeasures: null,
      inCustody: 0,
      compliant: 7,
      overdue: null,
      nonCompliant: 0,
      checkIns: 40,
      missedPeriods: 0,
      lateNotices: 0,
      breaches: 0,
      referrals: 0,
      failureConvictions: 0,
      transfersIn: 0,
      transfersOut: 0,
      vettingRequests: 0,
      disclosures: 0,
    };
    const report: StatisticsReport = {
      year: 2026,
      from: '2026-01-01',
      asOf: '2026-12-03',
      minCell: 5,
      byRegion: [],
      byOffence: [
        {
          key: '185b',
          label: 'Iskorišćavanje, "posebno", deteta',
          figures,
          suppressed: ['withActiveMeasures', 'overdue'],
        },
      ],
      total: { key: 'total', label: 'Total', figures, suppressed: ['withActiveMeasures', 'overdue'] },
    };
    const lines = reportCsv(report).split('\r\n');
    expect(lines[0]).toBe(
      'table,key,label,personsRegistered,withActiveMeasures,inCustody,compliant,overdue,nonCompliant,checkIns,' +
        'missedPeriods,lateNotices,breaches,referrals,failureConvictions,transfersIn,transfersOut,vettingRequests,disclosures',
    );
    expect(lines[1]).toBe('offence,185b,"Iskorišćavanje, ""posebno"", deteta",12,<5,0,7,<5,0,40,0,0,0,0,0,0,0,0,0');
    expect(lines[2]).toBe('total,total,Total,12,<5,0,7,<5,0,40,0,0,0,0,0,0,0,0,0');
    expect(lines[3]).toBe('');
  });
});

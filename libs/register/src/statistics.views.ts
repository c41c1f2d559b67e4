import { ApiProperty } from '@nestjs/swagger';
import { FIGURE_NAMES, type StatisticsFigures } from './access/statistics-read-model';
import { STATISTICS_GROUPINGS, type StatisticsGrouping } from './dto/statistics.dto';

/** An example of each figure, for the served contract. */
const FIGURE_EXAMPLES: StatisticsFigures = {
  personsRegistered: 412,
  withActiveMeasures: 377,
  inCustody: 21,
  compliant: 301,
  overdue: 38,
  nonCompliant: 4,
  checkIns: 3120,
  missedPeriods: 97,
  lateNotices: 12,
  breaches: 9,
  referrals: 6,
  failureConvictions: 2,
  transfersIn: 7,
  transfersOut: 5,
  vettingRequests: 0,
  disclosures: 3,
};

/** The contract's schema of StatisticsFigures (its properties declared below, from the one list of names). */
export class StatisticsFiguresView {}

/** The contract's schema of ReportFigures: the same figures, null when suppressed. */
export class ReportFiguresView {}

/** A figure of the report as published: null when suppressed (1 to minCell - 1). */
export type ReportFigures = { [F in keyof StatisticsFigures]: number | null };

// Sixteen integer figures, declared once for both views from the one list of their names.
for (const name of FIGURE_NAMES) {
  ApiProperty({ type: 'integer', minimum: 0, example: FIGURE_EXAMPLES[name] })(StatisticsFiguresView.prototype, name);
  ApiProperty({ type: 'integer', minimum: 0, nullable: true, example: FIGURE_EXAMPLES[name] })(
    ReportFiguresView.prototype,
    name,
  );
}

export class StatisticsGroup {
  @ApiProperty({ example: 'PU-BEOGRAD', description: 'Administration code, article, measure type or `YYYY-MM`' })
  key!: string;

  @ApiProperty({ example: 'Beograd' })
  label!: string;

  @ApiProperty({ type: StatisticsFiguresView })
  figures!: StatisticsFigures;
}

/** `GET /statistics`: the figures of the persons within the caller's reach, per group and in all. */
export class StatisticsAnswer {
  @ApiProperty({ format: 'date', example: '2026-12-03' })
  asOf!: string;

  @ApiProperty({ format: 'date', example: '2026-01-01' })
  from!: string;

  @ApiProperty({ enum: STATISTICS_GROUPINGS, nullable: true, example: 'region' })
  groupBy!: StatisticsGrouping | null;

  /** The administrations the caller's figures are limited to; null: national. */
  @ApiProperty({
    type: [String],
    nullable: true,
    example: null,
    description: 'The administrations a police officer’s figures are limited to; null: national',
  })
  regions!: string[] | null;

  @ApiProperty({ type: [StatisticsGroup] })
  groups!: StatisticsGroup[];

  @ApiProperty({ type: StatisticsFiguresView })
  total!: StatisticsFigures;
}

export class ReportGroup {
  @ApiProperty({ example: 'PU-BOR' })
  key!: string;

  @ApiProperty({ example: 'Bor' })
  label!: string;

  @ApiProperty({ type: ReportFiguresView })
  figures!: ReportFigures;

  /** The names of the figures suppressed in this row (their value is null). */
  @ApiProperty({ enum: FIGURE_NAMES, isArray: true, example: ['inCustody'] })
  suppressed!: (keyof StatisticsFigures)[];
}

/** `GET /statistics/report`: the year's figures by region and by offence, and in all. */
export class StatisticsReport {
  @ApiProperty({ example: 2026 })
  year!: number;

  @ApiProperty({ format: 'date', example: '2026-01-01' })
  from!: string;

  @ApiProperty({ format: 'date', example: '2026-12-03' })
  asOf!: string;

  /** Figures from 1 to minCell - 1 are null (listed in their row's `suppressed`); 0 stays 0. */
  @ApiProperty({ example: 5, description: 'Figures from 1 to minCell - 1 are null, listed in `suppressed`' })
  minCell!: number;

  @ApiProperty({ type: [ReportGroup] })
  byRegion!: ReportGroup[];

  @ApiProperty({ type: [ReportGroup] })
  byOffence!: ReportGroup[];

  @ApiProperty({ type: ReportGroup })
  total!: ReportGroup;
}

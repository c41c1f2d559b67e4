import { Injectable } from '@nestjs/common';
import { RepeatingJob } from '@app/jobs';
import { StatisticsDays } from './access/statistics-stocks';

/** Each hour: the days ended for good since the last recorded are recorded (README "Statistics"). */
@Injectable()
export class StatisticsDaysJob extends RepeatingJob {
  constructor(private readonly days: StatisticsDays) {
    super();
  }

  protected intervalMs(): number {
    return 3_600_000;
  }

  protected runOnce(): Promise<unknown> {
    return this.days.recordEnded();
  }
}

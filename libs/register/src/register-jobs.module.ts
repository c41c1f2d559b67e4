import { Module } from '@nestjs/common';
import { CommonModule } from '@app/common';
import { StatisticsDays } from './access/statistics-stocks';
import { StatisticsDaysJob } from './statistics-days.job';

/**
 * The recording of the statistics' days, for the app that runs the worker's
 * jobs: the recorder alone (the database and the settings), none of the
 * register's services or keys.
 */
@Module({
  imports: [CommonModule],
  providers: [StatisticsDays, StatisticsDaysJob],
})
export class RegisterJobsModule {}

import { Module } from '@nestjs/common';
import { CommonModule } from '@app/common';
import { RegisterModule } from './register.module';
import { StatisticsDaysJob } from './statistics-days.job';

/** The recording of the statistics' days, for the app that runs the worker's jobs. */
@Module({
  imports: [CommonModule, RegisterModule],
  providers: [StatisticsDaysJob],
})
export class RegisterJobsModule {}

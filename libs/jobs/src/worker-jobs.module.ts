import { Module } from '@nestjs/common';

/**
 * The worker's scheduled jobs (compliance scans, reminders, audit sealing),
 * gathered from the libraries that own them. The worker app runs them; the
 * api runs them too in single-process mode (`npm start`, RUN_WORKER=true).
 * Jobs arrive with their capabilities; none are registered yet.
 */
@Module({})
export class WorkerJobsModule {}

export * from './worker-jobs.module';

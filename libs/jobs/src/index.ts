export * from './repeating-job';

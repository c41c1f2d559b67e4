export * from './data-source-options';
export * from './database-admin';
export * from './db.module';
export * from './embedded-postgres';
export * from './snake-naming.strategy';
export * from './prepare-database';

export * from './ability.factory';
export * from './access.guard';
export * from './authz.module';
export * from './permissions';
export * from './principal';
export * from './roles';
export * from './sql-scope';

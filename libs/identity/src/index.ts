export * from './entities';
export * from './entities/session.entity';

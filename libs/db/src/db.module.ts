import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig, CommonModule } from '@app/common';
import { dataSourceOptions } from './data-source-options';

/**
 * The service's TypeORM connection, configured from AppConfig; connects once at start-up. Its
 * entities are those the imported domain modules register (`TypeOrmModule.forFeature`).
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      imports: [CommonModule],
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        if (!config.database.url) throw new Error('the database URL must be known before the module starts');
        return {
          ...dataSourceOptions({
            url: config.database.url,
            poolSize: config.database.poolSize,
            statementTimeoutMs: config.database.statementTimeoutMs,
          }),
          autoLoadEntities: true,
          // Start-up has already waited for the database; fail fast afterwards.
          retryAttempts: 1,
          retryDelay: 0,
        };
      },
    }),
  ],
  exports: [TypeOrmModule],
})
export class DbModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@app/common';
import { dataSourceOptions } from './data-source-options';

/** The service's TypeORM connection, configured from AppConfig; connects once at start-up. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        if (!config.database.url) throw new Error('the database URL must be known before the module starts');
        return {
          ...dataSourceOptions({
            url: config.database.url,
            poolSize: config.database.poolSize,
            statementTimeoutMs: config.database.statementTimeoutMs,
          }),
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

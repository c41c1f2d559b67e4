import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppConfig } from './config/app-config';
import { RateLimiter } from './http/rate-limiter';
import { MetricsService } from './metrics/metrics.service';

/**
 * Configuration and the cross-cutting services every app shares. The config
 * is validated before Nest starts (see `loadConfig`) and handed in here, so
 * tests can start apps with their own settings side by side.
 */
@Global()
@Module({})
export class CommonModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CommonModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          skipProcessEnv: true,
          validatePredefined: false,
          load: [() => ({ app: config })],
        }),
      ],
      providers: [{ provide: AppConfig, useValue: config }, MetricsService, RateLimiter],
      exports: [AppConfig, MetricsService, RateLimiter],
    };
  }
}

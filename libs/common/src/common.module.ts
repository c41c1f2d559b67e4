import { type DynamicModule, Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AppConfig } from './config/app-config';
import { RateLimiter } from './http/rate-limiter';
import { MetricsService } from './metrics/metrics.service';

/** The configuration as the app handed it to `CommonModule.forRoot`; only AppConfig's provider reads it. */
const SUPPLIED_CONFIG = Symbol('SuppliedAppConfig');

function suppliedConfig(modules: ModuleRef): AppConfig {
  try {
    return modules.get<AppConfig>(SUPPLIED_CONFIG, { strict: false });
  } catch {
    throw new Error("AppConfig was not supplied: import CommonModule.forRoot(config) in the app's root module");
  }
}

/**
 * Configuration and the cross-cutting services every app shares, one of each
 * per application. Libraries import this module as it is (it is not global);
 * the app imports `CommonModule.forRoot(config)` once, which brings the same
 * module and supplies the configuration, validated before Nest starts (see
 * `loadConfig`), so that tests can start apps with their own settings side by
 * side.
 */
@Module({
  providers: [
    // A static module cannot carry a per-app value, and a dynamic instance per importer would mean
    // a MetricsService per importer; so the one instance finds the value the app supplied.
    { provide: AppConfig, inject: [ModuleRef], useFactory: suppliedConfig },
    MetricsService,
    RateLimiter,
  ],
  exports: [AppConfig, MetricsService, RateLimiter],
})
export class CommonModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: SuppliedConfigModule,
      imports: [CommonModule],
      providers: [{ provide: SUPPLIED_CONFIG, useValue: config }],
      exports: [CommonModule],
    };
  }
}

/** Holds the app's configuration; imported once per app through `CommonModule.forRoot`. */
@Module({})
class SuppliedConfigModule {}

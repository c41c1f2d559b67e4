import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import {
  type AppConfig,
  CommonModule,
  createValidationPipe,
  loggerOptions,
  ProblemFilter,
  StrictInputInterceptor,
} from '@app/common';
import { AUDIT_CONTROLLERS, AuditDeclarationGuard, AuditModule, IdempotencyInterceptor } from '@app/audit';
import { AccessGuard, AuthzModule } from '@app/authz';
import { DbModule } from '@app/db';
import { IDENTITY_CONTROLLERS, IdentityModule } from '@app/identity';
import { COMPLIANCE_CONTROLLERS, ComplianceModule } from '@app/compliance';
import { REGISTER_CONTROLLERS, RegisterModule } from '@app/register';
import { WorkerJobsModule } from '../../worker/src/worker-jobs.module';
import { HealthController } from './ops/health.controller';
import { MetricsController } from './ops/metrics.controller';

/** The HTTP application. Only this module registers controllers and the global HTTP pipeline. */
@Module({})
export class ApiModule {
  static register(config: AppConfig, extraImports: DynamicModule['imports'] = []): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        CommonModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(config)),
        DbModule,
        AuthzModule,
        AuditModule,
        IdentityModule,
        ComplianceModule,
        RegisterModule,
        TerminusModule.forRoot({ logger: false }),
        ...(config.runWorker ? [WorkerJobsModule] : []),
        ...extraImports,
      ],
      controllers: [
        HealthController,
        ...(config.http.metricsEnabled ? [MetricsController] : []),
        ...IDENTITY_CONTROLLERS,
        ...AUDIT_CONTROLLERS,
        ...REGISTER_CONTROLLERS,
        ...COMPLIANCE_CONTROLLERS,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemFilter },
        // Guards run in this order: the audit declaration first, so refusals are recorded with their action.
        { provide: APP_GUARD, useClass: AuditDeclarationGuard },
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_INTERCEPTOR, useClass: StrictInputInterceptor },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
    };
  }
}

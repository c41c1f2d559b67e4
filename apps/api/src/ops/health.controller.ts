import { Controller, Get, HttpCode } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  type HealthIndicatorResult,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '@app/common';
import { Public } from '@app/authz';

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Get('live')
  @HttpCode(200)
  @ApiOperation({ summary: 'The process is up' })
  @ApiOkResponse({
    description: 'Up',
    schema: {
      type: 'object',
      required: ['status'],
      properties: { status: { enum: ['ok'] } },
      example: { status: 'ok' },
    },
  })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  // The document describes the answer below; the library's own description would say another shape.
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ summary: 'The database is reachable and every migration is applied' })
  @ApiOkResponse({
    description: 'Ready',
    schema: {
      type: 'object',
      required: ['status', 'checks'],
      properties: {
        status: { enum: ['ok'] },
        checks: { type: 'object', additionalProperties: { enum: ['up'] } },
      },
      example: { status: 'ok', checks: { database: 'up', migrations: 'up' } },
    },
  })
  @ApiServiceUnavailableResponse({ description: 'Not ready (problem+json `unavailable`)' })
  async ready(): Promise<{ status: 'ok'; checks: Record<string, 'up'> }> {
    try {
      const result = await this.health.check([
        () => this.database.pingCheck('database', { timeout: 2_000 }),
        () => this.migrationsApplied(),
      ]);
      return {
        status: 'ok',
        checks: Object.fromEntries(Object.keys(result.details).map((name) => [name, 'up' as const])),
      };
    } catch (error) {
      const failing = Object.keys((error as { response?: { error?: object } }).response?.error ?? {});
      throw DomainError.unavailable(`Not ready: ${failing.length > 0 ? failing.join(', ') : 'database'} down.`);
    }
  }

  private async migrationsApplied(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('migrations');
    try {
      return (await this.dataSource.showMigrations()) ? indicator.down({ pending: true }) : indicator.up();
    } catch {
      return indicator.down();
    }
  }
}

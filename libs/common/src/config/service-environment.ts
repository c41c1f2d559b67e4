import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { toBoolean, toInteger, emptyToUndefined } from './environment-values';

/** The process, its database and its HTTP server. */
export class ServiceEnvironment {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/[^\s]+$/, { message: 'must be a postgres:// connection URL' })
  DATABASE_URL?: string;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(60)
  DATABASE_CONNECT_ATTEMPTS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(0)
  @Max(600_000)
  DATABASE_STATEMENT_TIMEOUT_MS?: number;

  @Transform(toBoolean)
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  MIGRATE_ON_START?: boolean;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  EMBEDDED_PG_DIR?: string;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a port number' })
  @Min(1)
  @Max(65535)
  EMBEDDED_PG_PORT?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  HOST?: string;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a port number' })
  @Min(0)
  @Max(65535)
  PORT?: number;

  @Transform(toBoolean)
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  TRUST_PROXY?: boolean;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of bytes' })
  @Min(1024)
  @Max(64 * 1024 * 1024)
  BODY_LIMIT_BYTES?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(100)
  @Max(600_000)
  HTTP_HEADERS_TIMEOUT_MS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(100)
  @Max(3_600_000)
  HTTP_REQUEST_TIMEOUT_MS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(100)
  @Max(600_000)
  HTTP_KEEP_ALIVE_TIMEOUT_MS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(0)
  @Max(100_000)
  HTTP_MAX_CONNECTIONS_PER_ADDRESS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  RATE_LIMIT_MAX?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of seconds' })
  @Min(1)
  @Max(86_400)
  RATE_LIMIT_WINDOW_SECONDS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(0)
  @Max(600_000)
  SHUTDOWN_GRACE_MS?: number;

  @Transform(toBoolean)
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  API_DOCS_ENABLED?: boolean;

  @Transform(toBoolean)
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  METRICS_ENABLED?: boolean;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^(https?:\/\/[^\s,]+)(,https?:\/\/[^\s,]+)*$/, {
    message: 'must be a comma-separated list of http(s) origins',
  })
  CORS_ORIGINS?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  @Transform(toBoolean)
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  RUN_WORKER?: boolean;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  DATA_DIR?: string;
}

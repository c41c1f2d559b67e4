import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (v === 'true' || v === '1' || v === 'yes') return true;
  if (v === 'false' || v === '0' || v === 'no' || v === '') return false;
  return value;
};

const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;

const emptyToUndefined = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/**
 * Every environment variable the service reads, with its rule. `.env.example`
 * documents the same list; a value that breaks a rule stops start-up.
 */
export class Environment {
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

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  JWT_SIGNING_KEY_FILE?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  JWT_VERIFY_KEY_FILES?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[\x21-\x7e]{1,200}$/, { message: 'must be printable ASCII without spaces' })
  JWT_ISSUER?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[\x21-\x7e]{1,200}$/, { message: 'must be printable ASCII without spaces' })
  JWT_AUDIENCE?: string;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of seconds' })
  @Min(60)
  @Max(3600)
  ACCESS_TOKEN_TTL_SECONDS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of minutes' })
  @Min(1)
  @Max(24 * 60)
  SESSION_IDLE_MINUTES?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of hours' })
  @Min(1)
  @Max(168)
  SESSION_MAX_HOURS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(100)
  LOGIN_MAX_FAILURES?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of minutes' })
  @Min(1)
  @Max(24 * 60)
  LOGIN_LOCK_MINUTES?: number;

  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsOptional()
  @Matches(
    /^$|^(admin|registry_clerk|police_officer|judicial_officer|auditor|vetting_officer)(,(admin|registry_clerk|police_officer|judicial_officer|auditor|vetting_officer))*$/,
    {
      message:
        'must be a comma-separated list of roles (admin, registry_clerk, police_officer, judicial_officer, auditor, vetting_officer) or empty',
    },
  )
  MFA_REQUIRED_ROLES?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  MFA_ENCRYPTION_KEY_FILE?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  MFA_ISSUER?: string;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(100)
  @Max(5_000)
  REVOCATION_REFRESH_MS?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  AUDIT_SEALING_KEY_FILE?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  AUDIT_VERIFY_KEY_FILES?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  AUDIT_HASH_KEY_FILE?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  AUDIT_CHECKPOINT_DIR?: string;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(100)
  @Max(3_600_000)
  AUDIT_SEAL_INTERVAL_MS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of seconds' })
  @Min(1)
  @Max(86_400)
  AUDIT_UNSEALED_TOLERANCE_SECONDS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(1_000_000)
  AUDIT_MAX_EVENTS_PER_SEAL?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(100_000)
  LOOKUP_QUOTA_PER_HOUR?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(100_000)
  LOOKUP_ALERT_THRESHOLD?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(100_000)
  SUBJECT_SEARCH_QUOTA_PER_HOUR?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of days' })
  @Min(1)
  @Max(366)
  VETTING_CERTIFICATE_VALID_DAYS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(1000)
  STATISTICS_MIN_CELL?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(10_000_000)
  VETTING_VERIFY_PER_MINUTE?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(100_000)
  VETTING_MAX_PER_EMPLOYER_DAY?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  VETTING_HASH_KEY_FILE?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(['invalid', 'zero'], { message: 'must be invalid or zero' })
  JMBG_REMAINDER_ONE?: string;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of years' })
  @Min(1)
  @Max(100)
  MEASURE_MAX_YEARS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of days' })
  @Min(1)
  @Max(366)
  REPORTING_EVERY_DAYS?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(['every_days', 'monthly'], { message: 'must be every_days or monthly' })
  REPORTING_DEFAULT_SCHEDULE?: 'every_days' | 'monthly';

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of years' })
  @Min(1)
  @Max(100)
  EMPLOYMENT_BAN_YEARS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of hours' })
  @Min(0)
  @Max(720)
  COMPLIANCE_GRACE_HOURS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of days' })
  @Min(1)
  @Max(366)
  COMPLIANCE_DUE_SOON_DAYS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of days' })
  @Min(0)
  @Max(366)
  NOTIFY_CHANGE_DAYS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of days' })
  @Min(0)
  @Max(366)
  TRAVEL_NOTICE_DAYS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of days' })
  @Min(0)
  @Max(366)
  TRAVEL_RETURN_GRACE_DAYS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of days' })
  @Min(0)
  @Max(366)
  REMINDER_DAYS_BEFORE?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of days' })
  @Min(0)
  @Max(366)
  MEASURE_ENDING_DAYS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of days' })
  @Min(0)
  @Max(366)
  RELEASE_PREPARE_DAYS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of seconds' })
  @Min(1)
  @Max(86400)
  COMPLIANCE_SCAN_INTERVAL_SECONDS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of days' })
  @Min(1)
  @Max(3660)
  COMPLIANCE_SCAN_LOOKBACK_DAYS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of metres' })
  @Min(1)
  @Max(50000)
  PROXIMITY_MAX_METRES?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(100)
  @Max(3600000)
  MAIL_INTERVAL_MS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(100)
  MAIL_MAX_ATTEMPTS?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^smtps?:\/\/\S+$/, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[^@\s]+@[^@\s]+$/, { message: 'must be an e-mail address' })
  MAIL_FROM?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http:// or https:// URL' })
  PUBLIC_URL?: string;
}

/** A configuration fault: the variable and what is wrong with it, in one line. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

const TYPE_RULES = ['isInt', 'isBoolean', 'matches', 'isIn', 'isString'];

export function validateEnvironment(raw: Record<string, string | undefined>): Environment {
  // whitelist drops every variable that is not the service's own.
  const env = plainToInstance(Environment, { ...raw });
  const errors = validateSync(env, { whitelist: true, forbidUnknownValues: true });
  if (errors.length > 0) {
    const first = errors[0];
    const constraints = first.constraints ?? {};
    // The type rule says more than a range rule about a value like "abc".
    const rule = TYPE_RULES.find((name) => name in constraints) ?? Object.keys(constraints)[0];
    const message = (rule && constraints[rule]) || 'is not valid';
    // class-validator prefixes messages with the property name; keep only the rule.
    throw new ConfigError(first.property, message.replace(new RegExp(`^${first.property}\\s+`), ''));
  }
  return env;
}

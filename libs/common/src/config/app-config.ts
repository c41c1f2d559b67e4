import * as path from 'node:path';
import { ConfigError, validateEnvironment } from './environment';

/** The service's configuration, typed and complete, built once from the environment. */
export class AppConfig {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly http: {
    host: string;
    port: number;
    trustProxy: boolean;
    bodyLimitBytes: number;
    /** A request whose headers have not all arrived this long after it began is closed (408). */
    headersTimeoutMs: number;
    /** A request not received whole in this time is closed (408); also the longest a connection may stay silent. */
    requestTimeoutMs: number;
    /** A kept-alive connection idle this long after an answer is closed. */
    keepAliveTimeoutMs: number;
    /** Open connections one client address may hold; more are closed at once (0: no cap). */
    maxConnectionsPerAddress: number;
    shutdownGraceMs: number;
    docsEnabled: boolean;
    metricsEnabled: boolean;
    corsOrigins: string[];
  };
  readonly database: {
    /** Unset: the embedded PostgreSQL is started and its URL filled in before Nest starts. */
    url: string | undefined;
    poolSize: number;
    connectAttempts: number;
    statementTimeoutMs: number;
    migrateOnStart: boolean;
    embeddedDir: string;
    embeddedPort: number | undefined;
  };
  readonly rateLimit: {
    max: number;
    windowMs: number;
  };
  readonly identity: {
    issuer: string;
    audience: string;
    accessTokenTtlSeconds: number;
    sessionIdleMs: number;
    sessionMaxMs: number;
    maxFailedLogins: number;
    lockMs: number;
    /** Roles that must sign in with a second factor. */
    mfaRequiredRoles: string[];
    mfaIssuer: string;
    /** How often every instance reloads the revoked sessions (contract: refused within 5 s). */
    revocationRefreshMs: number;
  };
  /**
   * Where keys come from: `files` named by JWT_SIGNING_KEY_FILE and friends
   * (production), `data-dir` generated once and kept in DATA_DIR/secrets
   * (`npm start`), `memory` generated per process (tests).
   */
  readonly secrets: {
    source: 'files' | 'data-dir' | 'memory';
    dataDir: string;
    jwtSigningKeyFile: string | undefined;
    jwtVerifyKeyFiles: string[];
    mfaEncryptionKeyFile: string | undefined;
    auditSealingKeyFile: string | undefined;
    auditVerifyKeyFiles: string[];
    auditHashKeyFile: string | undefined;
    /** HMAC key of the vetting candidates' identifiers (a JMBG is never kept in clear). */
    vettingHashKeyFile: string | undefined;
  };
  readonly audit: {
    /** Folder for checkpoints, meant for separately controlled storage; unset: none written. */
    checkpointDir: string | undefined;
    sealIntervalMs: number;
    /** Events older than this and still unsealed make verification fail (`unsealed`). */
    unsealedToleranceMs: number;
    /** A backlog is sealed in several seals of at most this many events (cut at transaction boundaries). */
    maxEventsPerSeal: number;
  };
  /** Per-user quotas on what can sweep the register, counted per hour in PostgreSQL (shared by every instance). */
  readonly quotas: {
    /** Cross-region lookups one user may make in an hour (429 past it). */
    lookupsPerHour: number;
    /** Lookups in an hour past which auditors get one flagged `person.lookup_sweep` event (below the quota). */
    lookupAlertThreshold: number;
    /** Audit searches by subject (`subjectId`, `subjectJmbg`) one user may make in an hour. */
    subjectSearchesPerHour: number;
  };
  /** Employer vetting (issue #17). */
  readonly vetting: {
    /** A certificate is valid this many days from its issue date (the issue date is day 1). */
    certificateValidDays: number;
    /** Verifications of a certificate number per client address per minute (the public route's own limit). */
    verifyPerMinute: number;
    /** Requests of one employer in one Europe/Belgrade day past which auditors are alerted once (fishing). */
    maxPerEmployerDay: number;
  };
  /** Statistics (issue: statistics). */
  readonly statistics: {
    /** Cells of the yearly report from 1 to this minus one are suppressed in its external formats. */
    minCell: number;
  };
  readonly register: {
    /** A JMBG check remainder of 1: invalid (default) or check digit 0 (a figure to confirm: README, "The domain"). */
    jmbgRemainderOne: 'invalid' | 'zero';
    /** A measure ends at most this many years after a conviction's release date (a figure to confirm: README, "The domain"). */
    measureMaxYears: number;
    /** The reporting period of `every_days` when a measure names none. */
    reportingEveryDays: number;
    /** The police schedule of a reporting measure that names none: every reportingEveryDays days, or monthly. */
    reportingDefaultSchedule: 'every_days' | 'monthly';
    /** The ban on work with minors lasts this long after release (a figure to confirm: README, "The domain"). */
    employmentBanYears: number;
  };
  readonly compliance: {
    /** A period without a check-in is missed this long after it ends. */
    graceHours: number;
    /** `due`: the last this many days of a period without a check-in. */
    dueSoonDays: number;
    /** A change of residence or workplace is notified within this many days of taking effect. */
    notifyChangeDays: number;
    /** Travel abroad is notified at least this many days before departure. */
    travelNoticeDays: number;
    /** A `travel_return_overdue` alert when no return is recorded this many days after the planned return. */
    travelReturnGraceDays: number;
    /** Officers are reminded this many days before a check-in falls due. */
    reminderDaysBefore: number;
    /** A `measure_ending` alert this many days before a measure ends. */
    measureEndingDays: number;
    /** A `release_unprepared` alert this many days before a release whose duties have not been acknowledged. */
    releasePrepareDays: number;
    scanIntervalMs: number;
    /** How far back a scan looks for missed periods (all of them for measures recorded within it). */
    scanLookbackDays: number;
    /** The proximity list's largest distance, and the reach of the stored pairs (`proximity:rebuild`). */
    proximityMaxMetres: number;
  };
  readonly mail: {
    /** Unset: no e-mail is sent (the inbox still is written). */
    smtpUrl: string | undefined;
    from: string;
    /** The service's address as users reach it; links in e-mails point there. */
    publicUrl: string;
    intervalMs: number;
    maxAttempts: number;
  };
  readonly logLevel: string;
  /** Run the worker's jobs inside the api process (the newcomer's single-process mode). */
  readonly runWorker: boolean;

  constructor(init: AppConfig) {
    Object.assign(this, init);
  }

  get embedded(): boolean {
    return this.database.url === undefined;
  }

  /** A copy with some top-level settings changed. */
  with(
    changes: Partial<
      Pick<AppConfig, 'runWorker' | 'logLevel' | 'secrets' | 'identity' | 'audit' | 'compliance' | 'mail'>
    >,
  ): AppConfig {
    return new AppConfig({ ...this, ...changes } as AppConfig);
  }

  /**
   * For `npm start` and the CLI on one machine: keys not named by files are
   * generated once and kept in DATA_DIR/secrets (tests keep theirs in memory).
   */
  withLocalSecrets(): AppConfig {
    if (this.secrets.source !== 'files' || this.secrets.jwtSigningKeyFile) return this;
    return this.with({ secrets: { ...this.secrets, source: 'data-dir' } });
  }

  /** A copy with the database URL set, e.g. once the embedded server is up. */
  withDatabaseUrl(url: string): AppConfig {
    return new AppConfig({ ...this, database: { ...this.database, url } } as AppConfig);
  }
}

/** Validates the environment and builds the configuration; throws ConfigError naming the variable. */
export function loadConfig(raw: Record<string, string | undefined> = process.env): AppConfig {
  const env = validateEnvironment(raw);
  const nodeEnv = (env.NODE_ENV ?? 'development') as AppConfig['nodeEnv'];
  const dataDir = path.resolve(env.DATA_DIR ?? 'data');
  const headersTimeoutMs = env.HTTP_HEADERS_TIMEOUT_MS ?? 10_000;
  const requestTimeoutMs = env.HTTP_REQUEST_TIMEOUT_MS ?? 60_000;
  // Node refuses a headers timeout longer than the whole request's.
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError('HTTP_HEADERS_TIMEOUT_MS', `must not exceed HTTP_REQUEST_TIMEOUT_MS (${requestTimeoutMs})`);
  }
  const lookupsPerHour = env.LOOKUP_QUOTA_PER_HOUR ?? 30;
  const lookupAlertThreshold = env.LOOKUP_ALERT_THRESHOLD ?? 20;
  // An alert past the quota could never be raised: the lookups past the quota are refused.
  if (lookupAlertThreshold >= lookupsPerHour) {
    throw new ConfigError('LOOKUP_ALERT_THRESHOLD', `must be below LOOKUP_QUOTA_PER_HOUR (${lookupsPerHour})`);
  }
  return new AppConfig({
    nodeEnv,
    http: {
      host: env.HOST ?? '127.0.0.1',
      port: env.PORT ?? 3000,
      trustProxy: env.TRUST_PROXY ?? false,
      bodyLimitBytes: env.BODY_LIMIT_BYTES ?? 1024 * 1024,
      headersTimeoutMs,
      requestTimeoutMs,
      keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS ?? 5_000,
      maxConnectionsPerAddress: env.HTTP_MAX_CONNECTIONS_PER_ADDRESS ?? 256,
      shutdownGraceMs: env.SHUTDOWN_GRACE_MS ?? 10_000,
      docsEnabled: env.API_DOCS_ENABLED ?? true,
      metricsEnabled: env.METRICS_ENABLED ?? true,
      corsOrigins: env.CORS_ORIGINS ? env.CORS_ORIGINS.split(',') : [],
    },
    database: {
      url: env.DATABASE_URL,
      poolSize: env.DATABASE_POOL_SIZE ?? 20,
      connectAttempts: env.DATABASE_CONNECT_ATTEMPTS ?? 5,
      statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS ?? 15_000,
      migrateOnStart: env.MIGRATE_ON_START ?? false,
      embeddedDir: path.resolve(env.EMBEDDED_PG_DIR ?? path.join(dataDir, 'postgres')),
      embeddedPort: env.EMBEDDED_PG_PORT,
    },
    rateLimit: {
      max: env.RATE_LIMIT_MAX ?? 600,
      windowMs: (env.RATE_LIMIT_WINDOW_SECONDS ?? 60) * 1000,
    },
    identity: {
      issuer: env.JWT_ISSUER ?? 'register',
      audience: env.JWT_AUDIENCE ?? 'register-api',
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS ?? 900,
      sessionIdleMs: (env.SESSION_IDLE_MINUTES ?? 30) * 60_000,
      sessionMaxMs: (env.SESSION_MAX_HOURS ?? 12) * 3_600_000,
      maxFailedLogins: env.LOGIN_MAX_FAILURES ?? 5,
      lockMs: (env.LOGIN_LOCK_MINUTES ?? 15) * 60_000,
      mfaRequiredRoles:
        env.MFA_REQUIRED_ROLES === undefined
          ? ['admin', 'registry_clerk', 'police_officer', 'judicial_officer', 'auditor', 'vetting_officer']
          : env.MFA_REQUIRED_ROLES.split(',').filter(Boolean),
      mfaIssuer: env.MFA_ISSUER ?? 'Posebna evidencija',
      revocationRefreshMs: env.REVOCATION_REFRESH_MS ?? 2_000,
    },
    secrets: {
      source: nodeEnv === 'test' && !env.JWT_SIGNING_KEY_FILE ? 'memory' : 'files',
      dataDir,
      jwtSigningKeyFile: env.JWT_SIGNING_KEY_FILE,
      jwtVerifyKeyFiles: env.JWT_VERIFY_KEY_FILES ? env.JWT_VERIFY_KEY_FILES.split(',').map((f) => f.trim()) : [],
      mfaEncryptionKeyFile: env.MFA_ENCRYPTION_KEY_FILE,
      auditSealingKeyFile: env.AUDIT_SEALING_KEY_FILE,
      auditVerifyKeyFiles: env.AUDIT_VERIFY_KEY_FILES ? env.AUDIT_VERIFY_KEY_FILES.split(',').map((f) => f.trim()) : [],
      auditHashKeyFile: env.AUDIT_HASH_KEY_FILE,
      vettingHashKeyFile: env.VETTING_HASH_KEY_FILE,
    },
    audit: {
      checkpointDir: env.AUDIT_CHECKPOINT_DIR ? path.resolve(env.AUDIT_CHECKPOINT_DIR) : undefined,
      sealIntervalMs: env.AUDIT_SEAL_INTERVAL_MS ?? 1_000,
      unsealedToleranceMs: (env.AUDIT_UNSEALED_TOLERANCE_SECONDS ?? 300) * 1000,
      maxEventsPerSeal: env.AUDIT_MAX_EVENTS_PER_SEAL ?? 50_000,
    },
    quotas: {
      lookupsPerHour,
      lookupAlertThreshold,
      subjectSearchesPerHour: env.SUBJECT_SEARCH_QUOTA_PER_HOUR ?? 60,
    },
    vetting: {
      certificateValidDays: env.VETTING_CERTIFICATE_VALID_DAYS ?? 90,
      verifyPerMinute: env.VETTING_VERIFY_PER_MINUTE ?? 30,
      maxPerEmployerDay: env.VETTING_MAX_PER_EMPLOYER_DAY ?? 50,
    },
    statistics: { minCell: env.STATISTICS_MIN_CELL ?? 5 },
    register: {
      jmbgRemainderOne: (env.JMBG_REMAINDER_ONE ?? 'invalid') as 'invalid' | 'zero',
      measureMaxYears: env.MEASURE_MAX_YEARS ?? 20,
      reportingEveryDays: env.REPORTING_EVERY_DAYS ?? 30,
      reportingDefaultSchedule: env.REPORTING_DEFAULT_SCHEDULE ?? 'every_days',
      employmentBanYears: env.EMPLOYMENT_BAN_YEARS ?? 20,
    },
    compliance: {
      graceHours: env.COMPLIANCE_GRACE_HOURS ?? 24,
      dueSoonDays: env.COMPLIANCE_DUE_SOON_DAYS ?? 3,
      notifyChangeDays: env.NOTIFY_CHANGE_DAYS ?? 8,
      travelNoticeDays: env.TRAVEL_NOTICE_DAYS ?? 8,
      travelReturnGraceDays: env.TRAVEL_RETURN_GRACE_DAYS ?? 2,
      reminderDaysBefore: env.REMINDER_DAYS_BEFORE ?? 3,
      measureEndingDays: env.MEASURE_ENDING_DAYS ?? 30,
      releasePrepareDays: env.RELEASE_PREPARE_DAYS ?? 14,
      scanIntervalMs: (env.COMPLIANCE_SCAN_INTERVAL_SECONDS ?? 300) * 1000,
      scanLookbackDays: env.COMPLIANCE_SCAN_LOOKBACK_DAYS ?? 7,
      proximityMaxMetres: env.PROXIMITY_MAX_METRES ?? 1000,
    },
    mail: {
      smtpUrl: env.SMTP_URL,
      from: env.MAIL_FROM ?? 'register@localhost',
      publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT ?? 3000}`).replace(/\/+$/, ''),
      intervalMs: env.MAIL_INTERVAL_MS ?? 5_000,
      maxAttempts: env.MAIL_MAX_ATTEMPTS ?? 10,
    },
    logLevel: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    runWorker: env.RUN_WORKER ?? false,
  } as AppConfig);
}

import { ConfigError, validateEnvironment } from './environment';
import { loadConfig } from './app-config';

describe('validateEnvironment', () => {
  it.each([
    [{ PORT: 'abc' }, 'PORT: must be a port number'],
    [{ PORT: '70000' }, 'PORT: must not be greater than 65535'],
    [{ DATABASE_URL: 'mysql://db/x' }, 'DATABASE_URL: must be a postgres:// connection URL'],
    [{ MIGRATE_ON_START: 'maybe' }, 'MIGRATE_ON_START: must be true or false'],
    [
      { LOG_LEVEL: 'loud' },
      'LOG_LEVEL: must be one of the following values: fatal, error, warn, info, debug, trace, silent',
    ],
    [{ CORS_ORIGINS: 'example.org' }, 'CORS_ORIGINS: must be a comma-separated list of http(s) origins'],
    [{ RATE_LIMIT_MAX: '0' }, 'RATE_LIMIT_MAX: must not be less than 1'],
  ])('refuses %j with one line naming the variable', (env, message) => {
    expect(() => validateEnvironment(env)).toThrow(ConfigError);
    expect(() => validateEnvironment(env)).toThrow(message);
  });

  it('ignores variables that are not the service’s own', () => {
    expect(() => validateEnvironment({ PATH: '/usr/bin', HOME: '/root' })).not.toThrow();
  });
});

describe('loadConfig', () => {
  it('fills the documented defaults', () => {
    const config = loadConfig({});
    expect(config.embedded).toBe(true);
    expect(config.http).toMatchObject({ host: '127.0.0.1', port: 3000, bodyLimitBytes: 1_048_576, trustProxy: false });
    expect(config.rateLimit).toEqual({ max: 600, windowMs: 60_000 });
    expect(config.database).toMatchObject({ migrateOnStart: false, poolSize: 20, connectAttempts: 5 });
    expect(config.database.embeddedDir).toMatch(/data\/postgres$/);
    expect(config.runWorker).toBe(false);
  });

  it('reads typed values', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u:p@db:5432/register',
      PORT: '8080',
      MIGRATE_ON_START: 'true',
      CORS_ORIGINS: 'https://a.example,https://b.example',
      RATE_LIMIT_WINDOW_SECONDS: '10',
    });
    expect(config.embedded).toBe(false);
    expect(config.http.port).toBe(8080);
    expect(config.database.migrateOnStart).toBe(true);
    expect(config.http.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.rateLimit.windowMs).toBe(10_000);
    expect(config.withDatabaseUrl('postgres://x/y').database.url).toBe('postgres://x/y');
  });

  it('sets the HTTP timeouts and the per-address connection cap: 10 s for headers, 60 s a request, 5 s idle, 256', () => {
    expect(loadConfig({}).http).toMatchObject({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 60_000,
      keepAliveTimeoutMs: 5_000,
      maxConnectionsPerAddress: 256,
    });
    expect(
      loadConfig({
        HTTP_HEADERS_TIMEOUT_MS: '2000',
        HTTP_REQUEST_TIMEOUT_MS: '3000',
        HTTP_KEEP_ALIVE_TIMEOUT_MS: '1000',
        HTTP_MAX_CONNECTIONS_PER_ADDRESS: '0',
      }).http,
    ).toMatchObject({
      headersTimeoutMs: 2_000,
      requestTimeoutMs: 3_000,
      keepAliveTimeoutMs: 1_000,
      maxConnectionsPerAddress: 0,
    });
  });

  it.each([
    [{ HTTP_HEADERS_TIMEOUT_MS: '50' }, 'HTTP_HEADERS_TIMEOUT_MS: must not be less than 100'],
    [{ HTTP_MAX_CONNECTIONS_PER_ADDRESS: '-1' }, 'HTTP_MAX_CONNECTIONS_PER_ADDRESS: must not be less than 0'],
    [{ HTTP_KEEP_ALIVE_TIMEOUT_MS: 'soon' }, 'HTTP_KEEP_ALIVE_TIMEOUT_MS: must be a whole number of milliseconds'],
    [
      { HTTP_HEADERS_TIMEOUT_MS: '20000', HTTP_REQUEST_TIMEOUT_MS: '10000' },
      'HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS (10000)',
    ],
  ])('refuses the HTTP setting %j with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('sets the per-user quotas: 30 lookups (an alert past 20) and 60 subject searches an hour unless told', () => {
    expect(loadConfig({}).quotas).toEqual({ lookupsPerHour: 30, lookupAlertThreshold: 20, subjectSearchesPerHour: 60 });
    expect(
      loadConfig({ LOOKUP_QUOTA_PER_HOUR: '5', LOOKUP_ALERT_THRESHOLD: '4', SUBJECT_SEARCH_QUOTA_PER_HOUR: '7' })
        .quotas,
    ).toEqual({ lookupsPerHour: 5, lookupAlertThreshold: 4, subjectSearchesPerHour: 7 });
  });

  it.each([
    [{ LOOKUP_QUOTA_PER_HOUR: '0' }, 'LOOKUP_QUOTA_PER_HOUR: must not be less than 1'],
    [{ SUBJECT_SEARCH_QUOTA_PER_HOUR: 'many' }, 'SUBJECT_SEARCH_QUOTA_PER_HOUR: must be a whole number'],
    [{ LOOKUP_ALERT_THRESHOLD: '30' }, 'LOOKUP_ALERT_THRESHOLD: must be below LOOKUP_QUOTA_PER_HOUR (30)'],
    [{ LOOKUP_QUOTA_PER_HOUR: '10' }, 'LOOKUP_ALERT_THRESHOLD: must be below LOOKUP_QUOTA_PER_HOUR (10)'],
  ])('refuses the quota setting %j with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

import { loadConfig } from '../config/app-config';
import { loggerOptions } from './logger-options';

describe('loggerOptions', () => {
  const options = loggerOptions(loadConfig({ LOG_LEVEL: 'info' }));
  const pinoHttp = options.pinoHttp as {
    level: string;
    serializers: { req: (req: object) => Record<string, unknown> };
  };

  it('logs the path without the query string and only harmless headers', () => {
    const logged = pinoHttp.serializers.req({
      id: 'r-1',
      method: 'GET',
      url: '/api/v1/persons/lookup?jmbg=0101900350008',
      remoteAddress: '127.0.0.1',
      headers: {
        authorization: 'Bearer eyJhbGciOi.secret.token',
        cookie: 'session=abc',
        'x-access-reason': 'KT-123/2026',
        'user-agent': 'curl/8',
        'x-request-id': 'r-1',
      },
    });
    expect(logged).toEqual({
      id: 'r-1',
      method: 'GET',
      path: '/api/v1/persons/lookup',
      remoteAddress: '127.0.0.1',
      headers: { 'user-agent': 'curl/8', 'x-request-id': 'r-1' },
    });
    expect(JSON.stringify(logged)).not.toMatch(/0101900350008|secret|session=|KT-123/);
  });

  it('uses the configured level', () => {
    expect(pinoHttp.level).toBe('info');
  });
});

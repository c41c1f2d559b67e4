import type { Params } from 'nestjs-pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppConfig } from '../config/app-config';

/** Request headers worth logging; everything else (authorization, cookies, access reasons) stays out. */
const LOGGED_HEADERS = ['user-agent', 'content-type', 'content-length', 'x-request-id'] as const;

/** What a request line shows of a request: its id, method, path (no query string) and harmless headers. */
export function loggedRequest(req: {
  id?: string;
  method?: string;
  url?: string;
  headers?: Record<string, unknown>;
  remoteAddress?: string;
}): Record<string, unknown> {
  return {
    id: req.id,
    method: req.method,
    path: (req.url ?? '').split('?')[0],
    remoteAddress: req.remoteAddress,
    headers: Object.fromEntries(
      LOGGED_HEADERS.filter((h) => req.headers?.[h] !== undefined).map((h) => [h, req.headers?.[h]]),
    ),
  };
}

/** A request line's level: error for a 5xx, warn for a 4xx, info otherwise. */
export function requestLogLevel(statusCode: number): 'error' | 'warn' | 'info' {
  return statusCode >= 500 ? 'error' : statusCode >= 400 ? 'warn' : 'info';
}

/**
 * Structured JSON logs. Only the path of a request is logged, never its
 * query string (identifiers travel in some), its body, or a secret-bearing
 * header. The api writes each request's line itself, from a Fastify hook
 * (`logRequest` in the api): pino-http's middleware, which ran for every request
 * through Nest's middleware and kept a logger per request in an
 * AsyncLocalStorage, cost the audited read a third of its throughput; it is
 * routed nowhere, and only configures the logger.
 */
export function loggerOptions(config: AppConfig): Params {
  return {
    forRoutes: [],
    pinoHttp: {
      level: config.logLevel,
      messageKey: 'message',
      redact: {
        paths: [
          'password',
          'newPassword',
          'currentPassword',
          'otp',
          'accessToken',
          'refreshToken',
          'token',
          '*.password',
          '*.token',
        ],
        censor: '[redacted]',
      },
      customProps: (req: IncomingMessage) => ({ requestId: (req as IncomingMessage & { id?: string }).id }),
      serializers: {
        req: loggedRequest,
        res: (res: ServerResponse | { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
        error ? 'error' : requestLogLevel(res.statusCode),
    },
  };
}

import type { Params } from 'nestjs-pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppConfig } from '../config/app-config';

/** Request headers worth logging; everything else (authorization, cookies, access reasons) stays out. */
const LOGGED_HEADERS = ['user-agent', 'content-type', 'content-length', 'x-request-id'] as const;

/**
 * Structured JSON logs carrying the request id. Only the path of a request is
 * logged, never its query string (identifiers travel in some), its body, or a
 * secret-bearing header.
 */
export function loggerOptions(config: AppConfig): Params {
  return {
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
        req: (req: {
          id?: string;
          method?: string;
          url?: string;
          headers?: Record<string, unknown>;
          remoteAddress?: string;
        }) => ({
          id: req.id,
          method: req.method,
          path: (req.url ?? '').split('?')[0],
          remoteAddress: req.remoteAddress,
          headers: Object.fromEntries(
            LOGGED_HEADERS.filter((h) => req.headers?.[h] !== undefined).map((h) => [h, req.headers?.[h]]),
          ),
        }),
        res: (res: ServerResponse | { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
        error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    },
  };
}

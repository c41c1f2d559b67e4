import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor, SetMetadata } from '@nestjs/common';
import { ROUTE_ARGS_METADATA, RouteParamtypes } from '@nestjs/common/internal';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { DomainError, type FieldError } from '../errors/domain-error';

interface RouteArgument {
  index: number;
  data?: unknown;
}

interface DeclaredInput {
  /** The whole query is bound to a DTO, which validates its own keys. */
  wholeQuery: boolean;
  /** Query keys bound one by one with `@Query('key')`. */
  queryKeys: Set<string>;
  body: boolean;
}

const RAW_BODY_ROUTE = 'register:raw-body-route';

/** Marks a route that reads its body itself (e.g. multipart uploads), so no `@Body()` is declared. */
export const ReadsOwnBody = (): MethodDecorator => SetMetadata(RAW_BODY_ROUTE, true);

/**
 * The contract refuses unknown query parameters and body properties. A DTO
 * refuses its own unknown keys; this refuses query parameters and bodies sent
 * to routes that declare none, which the validation pipe never sees. And it
 * is the one place that refuses U+0000 in anything a client sends as text
 * (see `withNul`), before any DTO or service sees it.
 */
@Injectable()
export class StrictInputInterceptor implements NestInterceptor {
  private readonly cache = new WeakMap<object, DeclaredInput>();

  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const handler = context.getHandler();
      const declared = this.declaredInput(context.getClass(), handler);
      const request = context.switchToHttp().getRequest<FastifyRequest>();
      if (!declared.wholeQuery) {
        const unknown = Object.keys((request.query as Record<string, unknown> | undefined) ?? {}).filter(
          (key) => !declared.queryKeys.has(key),
        );
        if (unknown.length > 0) {
          throw DomainError.validation(
            unknown.map((field) => ({ field, message: 'is not a known query parameter' })),
            'The request has unknown query parameters.',
          );
        }
      }
      if (!declared.body && !this.reflector.get<boolean>(RAW_BODY_ROUTE, handler) && hasBody(request.body)) {
        throw DomainError.validation([], 'This route takes no request body.');
      }
      const nul = [...withNul(request.query), ...withNul(request.body)];
      if (nul.length > 0) {
        throw DomainError.validation(nul.slice(0, MAX_NUL_ERRORS), 'Text may not contain the character U+0000 (NUL).');
      }
    }
    return next.handle();
  }

  private declaredInput(controller: object, handler: Function): DeclaredInput {
    const cached = this.cache.get(handler);
    if (cached) return cached;
    const args: Record<string, RouteArgument> =
      Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler.name) ?? {};
    const declared: DeclaredInput = { wholeQuery: false, queryKeys: new Set(), body: false };
    for (const [key, argument] of Object.entries(args)) {
      const type = Number(key.split(':')[0]);
      if (type === RouteParamtypes.QUERY) {
        if (typeof argument.data === 'string') declared.queryKeys.add(argument.data);
        else declared.wholeQuery = true;
      } else if (type === RouteParamtypes.BODY) {
        declared.body = true;
      }
    }
    this.cache.set(handler, declared);
    return declared;
  }
}

/** A request names its first few NULs, not every one of a body full of them. */
const MAX_NUL_ERRORS = 5;

/**
 * The strings and property names of a parsed query or JSON body that hold
 * U+0000, as field errors with dotted paths (`details.address.street`).
 * PostgreSQL text and jsonb cannot store it: such a value would fail in SQL
 * (a 500), or make the request's audit event unwritable (a 503 and no
 * trace). Headers cannot carry it (Node refuses control bytes in them); the
 * one header decoded to text, X-Access-Reason, refuses it as a control
 * character. The parser bounds the depth of a body.
 */
export function withNul(value: unknown, path = ''): FieldError[] {
  if (typeof value === 'string') {
    return value.includes('\u0000') ? [{ field: path, message: 'must not contain the character U+0000 (NUL)' }] : [];
  }
  if (typeof value !== 'object' || value === null || Buffer.isBuffer(value)) return [];
  const errors: FieldError[] = [];
  for (const [key, item] of Object.entries(value)) {
    const field = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) errors.push({ field, message: 'is a property name with the character U+0000 (NUL)' });
    else errors.push(...withNul(item, field));
    if (errors.length >= MAX_NUL_ERRORS) break;
  }
  return errors;
}

function hasBody(body: unknown): boolean {
  if (body === undefined || body === null) return false;
  if (typeof body === 'object' && !Array.isArray(body) && !Buffer.isBuffer(body)) return Object.keys(body).length > 0;
  return true;
}

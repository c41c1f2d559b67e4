import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { map, type Observable } from 'rxjs';
import { etagOf } from './if-match';

/** Sets `ETag` from the `version` of the body a handler returned; an error answer has none. */
@Injectable()
export class VersionedETagInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((body: unknown) => {
        const version = (body as { version?: unknown } | null | undefined)?.version;
        if (typeof version === 'number') {
          context.switchToHttp().getResponse<FastifyReply>().header('etag', etagOf(version));
        }
        return body;
      }),
    );
  }
}

/**
 * The answer's ETag is the version of the resource the handler returns
 * (`"3"`), as `If-Match` expects it back. Only on handlers that return a
 * versioned resource; the audit hook still drops it when the answer becomes 503.
 */
export function VersionedETag() {
  const useInterceptor = UseInterceptors(VersionedETagInterceptor);
  return <T extends (...args: never[]) => Promise<{ version: number }>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<T>,
  ): void => {
    useInterceptor(target, key, descriptor);
  };
}

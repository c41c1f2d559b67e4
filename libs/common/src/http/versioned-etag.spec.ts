import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { lastValueFrom, of, throwError } from 'rxjs';
import { DomainError } from '../errors/domain-error';
import { versionMismatch } from './if-match';
import { VersionedETagInterceptor } from './versioned-etag';

function contextWith(headers: Record<string, string>): ExecutionContext {
  const reply = { header: (name: string, value: string) => (headers[name] = value) };
  return { switchToHttp: () => ({ getResponse: () => reply }) } as unknown as ExecutionContext;
}

describe('VersionedETagInterceptor', () => {
  const interceptor = new VersionedETagInterceptor();

  it('sets the ETag from the version of the returned body, which it passes on unchanged', async () => {
    const headers: Record<string, string> = {};
    const body = { id: 'a', version: 3 };
    const handler: CallHandler = { handle: () => of(body) };
    expect(await lastValueFrom(interceptor.intercept(contextWith(headers), handler))).toBe(body);
    expect(headers).toEqual({ etag: '"3"' });
  });

  it('sets none when the handler fails', async () => {
    const headers: Record<string, string> = {};
    const handler: CallHandler = { handle: () => throwError(() => versionMismatch()) };
    await expect(lastValueFrom(interceptor.intercept(contextWith(headers), handler))).rejects.toBeInstanceOf(
      DomainError,
    );
    expect(headers).toEqual({});
  });

  it('sets none for a body without a version', async () => {
    const headers: Record<string, string> = {};
    for (const body of [undefined, null, { version: '3' }, [{ version: 1 }]]) {
      await lastValueFrom(interceptor.intercept(contextWith(headers), { handle: () => of(body) }));
    }
    expect(headers).toEqual({});
  });
});

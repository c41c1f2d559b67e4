import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../errors/domain-error';

const VERSION = /^(?:W\/)?"?(\d{1,9})"?$/;

/** The version an `If-Match` header names: `"3"`, `3` or `W/"3"`. Missing: 428; malformed: 400. */
export function parseIfMatch(header: string | string[] | undefined): number {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') {
    throw new DomainError('precondition_required', 'Send If-Match with the version you read (its ETag).');
  }
  const match = VERSION.exec(value.trim());
  if (!match) {
    throw DomainError.validation([{ field: 'If-Match', message: 'must be a version such as "3"' }]);
  }
  return Number(match[1]);
}

/** Route parameter: the version from `If-Match`, required. */
export const IfMatchVersion = createParamDecorator((_: unknown, context: ExecutionContext): number =>
  parseIfMatch(context.switchToHttp().getRequest<FastifyRequest>().headers['if-match']),
);

/** Route parameter: the version from `If-Match` when sent, else null (a PUT that may create). */
export const OptionalIfMatchVersion = createParamDecorator((_: unknown, context: ExecutionContext): number | null => {
  const header = context.switchToHttp().getRequest<FastifyRequest>().headers['if-match'];
  return header === undefined ? null : parseIfMatch(header);
});

export const ApiIfMatch = (): MethodDecorator =>
  ApiHeader({ name: 'If-Match', required: true, description: 'The version last read (ETag), e.g. "3"' });

/** The strong ETag of a versioned resource. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

export function versionMismatch(): DomainError {
  return new DomainError('version_mismatch', 'The resource has changed since you read it; read it again.');
}

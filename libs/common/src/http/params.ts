import { ParseUUIDPipe } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';

/** Parses an id in the path; a malformed id names no resource: 404, as the contract orders it. */
export const UUID_PARAM = new ParseUUIDPipe({
  exceptionFactory: () => DomainError.notFound('No such resource.'),
});

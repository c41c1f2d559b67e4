import type { Type } from '@nestjs/common';
import { ApiProperty, PartialType } from '@nestjs/swagger';

/** Every field optional; those named in `K` may also be null. */
export type Update<T, K extends keyof T = never> = { [P in keyof T]?: P extends K ? T[P] | null : T[P] };

/**
 * The body of an update, derived from the create body: every field optional,
 * with its rules, messages and OpenAPI description (`PartialType`), and the
 * `nullable` ones documented and typed as accepting null (which clears them).
 * `IsOptional` already lets null past the rules, so no rule changes for them.
 */
export function UpdateType<T, K extends keyof T = never>(
  create: Type<T>,
  nullable: readonly K[] = [],
): Type<Update<T, K>> {
  const update = PartialType(create);
  for (const field of nullable) ApiProperty({ nullable: true })(update.prototype, field as string);
  return update as Type<Update<T, K>>;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { DomainError } from '../errors/domain-error';
import { isRealDate } from '../time/calendar';

/** `limit` and `cursor` of every list (keyset pagination). */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque; the nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor is not valid' })
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 20;

export function encodeCursor(position: unknown[]): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** What each value of a keyset position must be, so that a forged cursor never reaches SQL as a wrong type. */
export type CursorValue = 'uuid' | 'time' | 'date' | 'text' | 'number' | 'seq' | 'boolean';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?Z$/;

const CURSOR_CHECKS: Record<CursorValue, (value: unknown) => boolean> = {
  uuid: (v) => typeof v === 'string' && UUID.test(v),
  // The calendar day must exist: Date.parse takes 30 February, PostgreSQL does not.
  time: (v) => typeof v === 'string' && ISO_TIME.test(v) && isRealDate(v.slice(0, 10)),
  date: (v) => typeof v === 'string' && isRealDate(v),
  // PostgreSQL text cannot hold NUL.
  text: (v) => typeof v === 'string' && v.length <= 1000 && !v.includes('\u0000'),
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  seq: (v) =>
    (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) || (typeof v === 'string' && /^\d{1,18}$/.test(v)),
  boolean: (v) => typeof v === 'boolean',
};

/** The keyset position a cursor carries, value by value of the given kinds; a tampered or foreign cursor is a 400. */
export function decodeCursor(cursor: string, kinds: readonly CursorValue[]): unknown[] {
  try {
    const position: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(position) &&
      position.length === kinds.length &&
      position.every((value, i) => CURSOR_CHECKS[kinds[i]](value))
    ) {
      return position;
    }
  } catch {
    // fall through
  }
  throw DomainError.validation([{ field: 'cursor', message: 'cursor is not valid' }]);
}

/**
 * A timestamp column as a keyset position, to the microsecond. A JS Date
 * keeps milliseconds only: a cursor cut to them would repeat or skip the rows
 * written in the same millisecond (a scan raises its alerts at one instant).
 */
export function keysetTime(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

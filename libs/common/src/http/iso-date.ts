import { ValidateBy, type ValidationArguments } from 'class-validator';
import { isRealDate } from '../time/calendar';

/**
 * Dates and times a client sends, checked once here for every field: the
 * shape, and that the day and the time exist (no 30 February, no year 0,
 * no hour 24), so that nothing PostgreSQL would refuse reaches it.
 */

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;
/** The widest offsets in use (UTC-12 to UTC+14). */
const MAX_OFFSET_MINUTES = 14 * 60;

const NOT_A_REAL_DATE = 'is not a real date';
const NOT_A_REAL_TIME = 'is not a real date and time';

/** A calendar date written YYYY-MM-DD that exists, in years 0001-9999. */
export function isIsoDate(value: unknown): value is string {
  return typeof value === 'string' && ISO_DATE.test(value) && isRealDate(value);
}

/**
 * A timestamp with its offset (`2026-11-28T10:00:00+01:00`, seconds and up
 * to six decimals optional) whose day exists, hours 00-23, minutes and
 * seconds 00-59, offset at most ±14:00, and whose instant lies in years
 * 0001-9999.
 */
export function isIsoTimestamp(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_TIMESTAMP.exec(value);
  if (!match) return false;
  const [, day, hours, minutes, seconds = '00', offsetHours = '00', offsetMinutes = '00'] = match;
  if (!isRealDate(day) || +hours > 23 || +minutes > 59 || +seconds > 59 || +offsetMinutes > 59) return false;
  if (+offsetHours * 60 + +offsetMinutes > MAX_OFFSET_MINUTES) return false;
  const year = new Date(value).getUTCFullYear();
  return year >= 1 && year <= 9999;
}

/** The rule of one kind of field: a wrong shape names the shape; a right shape whose day or time does not exist says so. */
function dateTimeRule(
  name: string,
  accepts: (value: unknown) => boolean,
  shapes: RegExp[],
  shapeMessage: (property: string) => string,
): PropertyDecorator {
  const message = (args?: ValidationArguments): string => {
    const value: unknown = args?.value;
    if (typeof value !== 'string' || !shapes.some((shape) => shape.test(value))) {
      return shapeMessage(args?.property ?? 'value');
    }
    return ISO_DATE.test(value) ? NOT_A_REAL_DATE : NOT_A_REAL_TIME;
  };
  return ValidateBy({ name, validator: { validate: accepts, defaultMessage: message } });
}

/** A calendar date, YYYY-MM-DD, that exists (`isIsoDate`). */
export function IsIsoDate(): PropertyDecorator {
  return dateTimeRule('isIsoDate', isIsoDate, [ISO_DATE], (property) => `${property} must be a date (YYYY-MM-DD)`);
}

/** A timestamp with offset that exists (`isIsoTimestamp`), as the contract's fields ending in `At`. */
export function IsIsoTimestamp(): PropertyDecorator {
  return dateTimeRule(
    'isIsoTimestamp',
    isIsoTimestamp,
    [ISO_TIMESTAMP],
    (property) => `${property} must be a timestamp with offset, e.g. 2026-11-28T10:00:00Z`,
  );
}

/** A date (a whole day) or a timestamp with offset, both existing: the bounds of a search or an export. */
export function IsIsoDateOrTimestamp(): PropertyDecorator {
  return dateTimeRule(
    'isIsoDateOrTimestamp',
    (value) => isIsoDate(value) || isIsoTimestamp(value),
    [ISO_DATE, ISO_TIMESTAMP],
    (property) => `${property} must be a date or a timestamp with offset`,
  );
}

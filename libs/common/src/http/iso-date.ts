import { Matches } from 'class-validator';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A calendar date written YYYY-MM-DD. The shape only: whether the day exists
 * (2026-02-30) is the service's check (`isRealDate`), with its own message.
 */
export function IsIsoDate(): PropertyDecorator {
  return Matches(ISO_DATE, { message: '$property must be a date (YYYY-MM-DD)' });
}

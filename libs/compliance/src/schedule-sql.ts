/**
 * SQL fragments over a `register_reporting_schedules` row (alias `s` by
 * default): the periods come from the IMMUTABLE functions of migration
 * ReportingSchedules, the one statement of how each schedule kind cuts days
 * into periods; the check-ins are those made at the schedule's own authority.
 */

/** Period k of the schedule `s` (a register_reporting_schedules row): its first day. */
export const periodStart = (k: string, s = 's') =>
  `reporting_period_start(${s}.schedule_kind, ${s}.every_days, ${s}.weekdays, ${s}.starts_on, ${k})`;

/** The period of the schedule `s` that `day` falls in (0 before it starts). */
export const periodIndex = (day: string, s = 's') =>
  `reporting_period_index(${s}.schedule_kind, ${s}.every_days, ${s}.weekdays, ${s}.starts_on, ${day})`;

/** Whether the schedule `s` has a check-in at its own authority between two Belgrade days (inclusive). */
export const checkedInBetween = (first: string, last: string, s = 's') => `EXISTS (
  SELECT 1 FROM register_check_ins c
   WHERE c.measure_id = ${s}.measure_id AND c.authority = ${s}.authority AND c.office IS NOT DISTINCT FROM ${s}.office
     AND c.occurred_at >= belgrade_midnight(${first}) AND c.occurred_at < belgrade_midnight(${last} + 1))`;

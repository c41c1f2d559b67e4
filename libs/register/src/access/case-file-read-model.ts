import { checkedInBetween, periodIndex, periodStart } from '@app/compliance';
import { personalData } from '../person.views';
import type { PersonScope } from './person-scope';

/** The ids of the audit events behind an item, oldest first. */
type EventIds = string[];

export interface CaseFileCheckIn {
  id: string;
  occurredAt: string;
  /** Check-ins: where and how; counselling attendances: the institution. */
  place: string | null;
  auditEventIds: EventIds;
}

export interface CaseFileAlert {
  id: string;
  kind: string;
  measureId: string | null;
  sourceId: string;
  dueDate: string;
  status: 'open' | 'acknowledged' | 'resolved';
  raisedAt: string;
  resolution: string | null;
  /** The event of the transaction that raised it (the scan's, or the request's), then those that worked it. */
  auditEventIds: EventIds;
}

export interface CaseFilePeriod {
  /** Period k of the schedule (0: the one the measure starts in). */
  index: number;
  startsOn: string;
  lastDay: string;
  /**
   * `checked_in`: a check-in (or attendance) at the schedule's authority;
   * `excused`: none, but the period touched a suspension or custody;
   * `missed`: none, ended more than the grace ago; `open`: not over yet.
   */
  outcome: 'checked_in' | 'excused' | 'missed' | 'open';
  missed: boolean;
  checkIns: CaseFileCheckIn[];
  /** For a missed period, the evidence of the absence: the check-ins around it and the alert raised for it. */
  previousCheckIn: CaseFileCheckIn | null;
  nextCheckIn: CaseFileCheckIn | null;
  alert: CaseFileAlert | null;
  /** Every event behind the period: its check-ins' events; for a missed one, the alert's and the neighbours'. */
  auditEventIds: EventIds;
}

export interface CaseFileSchedule {
  id: string;
  authority: 'police' | 'uiks' | 'counselling';
  policeAdministration: string | null;
  office: string | null;
  kind: string;
  everyDays: number | null;
  weekdays: number[] | null;
  periods: CaseFilePeriod[];
}

export interface CaseFileMeasure {
  id: string;
  type: string;
  startsOn: string;
  endsOn: string;
  status: string;
  reportTo: string | null;
  counsellingInstitution: string | null;
  acknowledged: boolean;
  acknowledgements: {
    id: string;
    explainedOn: string;
    explainedBy: string;
    voided: boolean;
    auditEventIds: EventIds;
  }[];
  suspensions: { fromOn: string; toOn: string | null }[];
  schedules: CaseFileSchedule[];
  auditEventIds: EventIds;
}

/** The evidence a prosecutor needs about one person (GET /persons/:id/case-file). */
export interface CaseFileView {
  /** When the file was produced (the database's clock) and for whom. */
  issuedAt: string;
  recipient: string;
  person: Record<string, unknown> & { id: string; surname: string; givenNames: string; auditEventIds: EventIds };
  convictions: {
    id: string;
    court: string;
    caseNumber: string;
    judgmentDate: string;
    finalityDate: string;
    offences: unknown[];
    victimAge: string;
    sentence: { kind: string; months: number | null };
    custodyFrom: string | null;
    releaseDate: string | null;
    releasedOn: string | null;
    auditEventIds: EventIds;
  }[];
  measures: CaseFileMeasure[];
  /** Every notice, with its deadline and whether it was on time (`late` when not); voided ones marked. */
  notifications: {
    id: string;
    kind: string;
    notifiedAt: string;
    effectiveOn: string;
    deadline: string;
    onTime: boolean;
    late: boolean;
    returnOn: string | null;
    returnedOn: string | null;
    voided: boolean;
    auditEventIds: EventIds;
  }[];
  addressChecks: {
    id: string;
    addressId: string;
    policeAdministration: string;
    checkedAt: string;
    outcome: string;
    note: string;
    voided: boolean;
    auditEventIds: EventIds;
  }[];
  /** Every breach recorded; voided ones marked (their alerts resolved by the void). */
  breaches: {
    id: string;
    measureId: string;
    kind: string;
    occurredAt: string;
    description: string;
    placeId: string | null;
    voided: boolean;
    auditEventIds: EventIds;
  }[];
  /** Every alert about the person (missed periods, late or missing notices, travel not returned, ...). */
  alerts: CaseFileAlert[];
}

/** A timestamp as the API writes one (UTC, milliseconds, Z), whatever the session's time zone. */
const iso = (at: string) => `to_char(${at} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The audit events behind item `id` of resource `type`: those that recorded, corrected or voided it. */
const eventsOf = (type: string, id: string) =>
  `(SELECT coalesce(json_agg(ev.id ORDER BY ev.seq), '[]'::json) FROM ev
     WHERE ev.resource_type = '${type}' AND ev.resource_id = (${id})::text)`;

/** An alert's events: the one written in the transaction that raised it, then those naming it. */
const alertEvents = (a: string) =>
  `(SELECT coalesce(json_agg(ev.id ORDER BY ev.seq), '[]'::json) FROM ev
     WHERE (ev.resource_type = 'alert' AND ev.resource_id = ${a}.id::text)
        OR ev.tx::text::bigint = ${a}.raised_tx)`;

const alertJson = (a: string) => `json_build_object(
  'id', ${a}.id, 'kind', ${a}.kind, 'measureId', ${a}.measure_id, 'sourceId', ${a}.source_id,
  'dueDate', ${a}.due_date, 'status', ${a}.status, 'raisedAt', ${iso(`${a}.raised_at`)}, 'resolution', ${a}.resolution,
  'auditEventIds', ${alertEvents(a)})`;

/**
 * One statement over the person's records and the audit events naming the
 * person (`subject_person_ids`, GIN-indexed): each item's events are those
 * whose resource is the item (its type and id), or, for an alert, the event
 * of the transaction that raised it (`alerts.raised_tx`). Only events that
 * recorded something count (allowed writes, the scan), never reads.
 *
 * The periods are every period of every reporting (and counselling)
 * schedule of the person's measures from the start to today, cut by the
 * same IMMUTABLE functions the compliance rules and the scan use
 * (`reporting_period_index/start`, `period_excused`): at most a few hundred
 * a measure (weekly periods over years).
 */
const CASE_FILE_SQL = `
  WITH t AS (SELECT now() AS now, (now() AT TIME ZONE 'Europe/Belgrade')::date AS today),
  ev AS (
    SELECT e.id, e.seq, e.resource_type, e.resource_id, e.tx
      FROM audit_events e
     WHERE e.subject_person_ids @> ARRAY[$1::uuid] AND e.outcome = 'allowed'
       AND (e.action ~ '[.](create|update|put|void|return|record|acknowledge|resolve)$'
            OR e.action = 'compliance.scan')),
  acts AS (
    SELECT c.id, c.measure_id, c.authority, c.office, c.occurred_at, c.place || ' (' || c.method || ')' AS place,
           'check_in' AS resource
      FROM check_ins c WHERE c.person_id = $1 AND c.voided_at IS NULL
    UNION ALL
    SELECT a.id, a.measure_id, 'counselling', NULL, belgrade_midnight(a.attended_on), a.institution, 'counselling'
      FROM counselling_attendances a WHERE a.person_id = $1 AND a.voided_at IS NULL),
  acts_json AS (
    SELECT acts.*, json_build_object('id', acts.id, 'occurredAt', ${iso('acts.occurred_at')}, 'place', acts.place,
             'auditEventIds', (SELECT coalesce(json_agg(ev.id ORDER BY ev.seq), '[]'::json) FROM ev
                                WHERE ev.resource_type = acts.resource AND ev.resource_id = acts.id::text)) AS item
      FROM acts),
  periods AS (
    SELECT s.id AS schedule_id, s.measure_id, s.authority, s.office, k, per.starts_on, per.last_day,
           CASE WHEN ${checkedInBetween('per.starts_on', 'per.last_day')} THEN 'checked_in'
                WHEN period_excused(s.measure_id, s.person_id, per.starts_on, per.last_day) THEN 'excused'
                WHEN t.now >= belgrade_midnight(per.last_day + 1) + make_interval(hours => $2::int) THEN 'missed'
                ELSE 'open' END AS outcome
      FROM register_reporting_schedules s
     CROSS JOIN t
     CROSS JOIN LATERAL generate_series(0, ${periodIndex('least(t.today, s.ends_on)')}) AS k
     CROSS JOIN LATERAL (SELECT ${periodStart('k')} AS starts_on,
                                least(${periodStart('k + 1')} - 1, s.ends_on) AS last_day) per
     WHERE s.person_id = $1 AND s.starts_on <= t.today),
  period_json AS (
    SELECT p.schedule_id, p.k, json_build_object(
             'index', p.k, 'startsOn', p.starts_on, 'lastDay', p.last_day, 'outcome', p.outcome,
             'missed', p.outcome = 'missed',
             'checkIns', coalesce(ins.items, '[]'::json),
             'previousCheckIn', prev.item, 'nextCheckIn', nxt.item, 'alert', alert.item,
             'auditEventIds', (
               SELECT coalesce(json_agg(ev.id ORDER BY ev.seq), '[]'::json) FROM ev WHERE ev.id::text IN (
                 SELECT json_array_elements_text(i -> 'auditEventIds') FROM json_array_elements(ins.items) i
                 UNION SELECT json_array_elements_text(prev.item -> 'auditEventIds')
                 UNION SELECT json_array_elements_text(nxt.item -> 'auditEventIds')
                 UNION SELECT json_array_elements_text(alert.item -> 'auditEventIds')))) AS item
      FROM periods p
      LEFT JOIN LATERAL (
        SELECT json_agg(a.item ORDER BY a.occurred_at) AS items
          FROM acts_json a
         WHERE a.measure_id = p.measure_id AND a.authority = p.authority AND a.office IS NOT DISTINCT FROM p.office
           AND a.occurred_at >= belgrade_midnight(p.starts_on) AND a.occurred_at < belgrade_midnight(p.last_day + 1)
      ) ins ON TRUE
      LEFT JOIN LATERAL (
        SELECT a.item FROM acts_json a
         WHERE p.outcome = 'missed' AND a.measure_id = p.measure_id AND a.authority = p.authority
           AND a.office IS NOT DISTINCT FROM p.office AND a.occurred_at < belgrade_midnight(p.starts_on)
         ORDER BY a.occurred_at DESC LIMIT 1) prev ON TRUE
      LEFT JOIN LATERAL (
        SELECT a.item FROM acts_json a
         WHERE p.outcome = 'missed' AND a.measure_id = p.measure_id AND a.authority = p.authority
           AND a.office IS NOT DISTINCT FROM p.office AND a.occurred_at >= belgrade_midnight(p.last_day + 1)
         ORDER BY a.occurred_at LIMIT 1) nxt ON TRUE
      LEFT JOIN LATERAL (
        SELECT ${alertJson('x')} AS item FROM alerts x
         WHERE x.kind IN ('missed_check_in', 'missed_counselling') AND x.source_id = p.schedule_id
           AND x.due_date = p.last_day) alert ON TRUE),
  schedules AS (
    SELECT s.measure_id, json_agg(json_build_object(
             'id', s.id, 'authority', s.authority, 'policeAdministration', s.police_administration,
             'office', s.office, 'kind', s.schedule_kind, 'everyDays', s.every_days, 'weekdays', s.weekdays,
             'periods', coalesce((SELECT json_agg(pj.item ORDER BY pj.k) FROM period_json pj
                                   WHERE pj.schedule_id = s.id), '[]'::json))
             ORDER BY CASE s.authority WHEN 'police' THEN 0 WHEN 'uiks' THEN 1 ELSE 2 END) AS items
      FROM register_reporting_schedules s WHERE s.person_id = $1
     GROUP BY s.measure_id)
  SELECT
    ${eventsOf('person', '$1')} AS person_events,
    (SELECT coalesce(json_agg(json_build_object(
        'id', c.id, 'court', c.court, 'caseNumber', c.case_number, 'judgmentDate', c.judgment_date,
        'finalityDate', c.finality_date, 'offences', c.offences, 'victimAge', c.victim_age,
        'sentence', json_build_object('kind', c.sentence_kind, 'months', c.sentence_months),
        'custodyFrom', CASE WHEN c.sentence_kind = 'imprisonment' THEN coalesce(c.custody_from, c.finality_date) END,
        'releaseDate', c.release_date, 'releasedOn', c.released_on,
        'auditEventIds', ${eventsOf('conviction', 'c.id')}) ORDER BY c.finality_date, c.id), '[]'::json)
       FROM convictions c WHERE c.person_id = $1) AS convictions,
    (SELECT coalesce(json_agg(json_build_object(
        'id', m.id, 'type', m.type, 'startsOn', m.starts_on, 'endsOn', m.ends_on, 'status', m.status,
        'reportTo', m.report_to, 'counsellingInstitution', m.counselling_institution,
        'acknowledged', EXISTS (SELECT 1 FROM acknowledgements k
                                 WHERE k.person_id = $1 AND k.voided_at IS NULL AND m.id = ANY(k.measure_ids)),
        'acknowledgements', (SELECT coalesce(json_agg(json_build_object(
             'id', k.id, 'explainedOn', k.explained_on, 'explainedBy', k.explained_by,
             'voided', k.voided_at IS NOT NULL, 'auditEventIds', ${eventsOf('acknowledgement', 'k.id')})
             ORDER BY k.explained_on, k.id), '[]'::json)
           FROM acknowledgements k WHERE k.person_id = $1 AND m.id = ANY(k.measure_ids)),
        'suspensions', (SELECT coalesce(json_agg(json_build_object('fromOn', u.from_on, 'toOn', u.to_on)
                                          ORDER BY u.from_on), '[]'::json)
                          FROM measure_suspensions u WHERE u.measure_id = m.id),
        'schedules', coalesce(sch.items, '[]'::json),
        'auditEventIds', ${eventsOf('measure', 'm.id')}) ORDER BY m.starts_on, m.id), '[]'::json)
       FROM measures m LEFT JOIN schedules sch ON sch.measure_id = m.id WHERE m.person_id = $1) AS measures,
    (SELECT coalesce(json_agg(json_build_object(
        'id', n.id, 'kind', n.kind, 'notifiedAt', ${iso('n.notified_at')}, 'effectiveOn', n.effective_on,
        'deadline', n.deadline, 'onTime', n.on_time, 'late', NOT n.on_time,
        'returnOn', n.details ->> 'returnOn', 'returnedOn', n.returned_on, 'voided', n.voided_at IS NOT NULL,
        'auditEventIds', ${eventsOf('notification', 'n.id')}) ORDER BY n.notified_at, n.id), '[]'::json)
       FROM notifications n WHERE n.person_id = $1) AS notifications,
    (SELECT coalesce(json_agg(json_build_object(
        'id', c.id, 'addressId', c.address_id, 'policeAdministration', c.police_administration,
        'checkedAt', ${iso('c.checked_at')}, 'outcome', c.outcome, 'note', c.note, 'voided', c.voided_at IS NOT NULL,
        'auditEventIds', ${eventsOf('address_check', 'c.id')}) ORDER BY c.checked_at, c.id), '[]'::json)
       FROM address_checks c WHERE c.person_id = $1) AS address_checks,
    (SELECT coalesce(json_agg(json_build_object(
        'id', b.id, 'measureId', b.measure_id, 'kind', b.kind, 'occurredAt', ${iso('b.occurred_at')},
        'description', b.description, 'placeId', b.place_id, 'voided', b.voided_at IS NOT NULL,
        'auditEventIds', ${eventsOf('breach', 'b.id')}) ORDER BY b.occurred_at, b.id), '[]'::json)
       FROM breaches b WHERE b.person_id = $1) AS breaches,
    (SELECT coalesce(json_agg(${alertJson('a')} ORDER BY a.raised_at, a.id), '[]'::json)
       FROM alerts a WHERE a.person_id = $1) AS alerts,
    (SELECT now FROM t) AS issued_at`;

interface CaseFileRow {
  person_events: EventIds;
  convictions: CaseFileView['convictions'];
  measures: CaseFileMeasure[];
  notifications: CaseFileView['notifications'];
  address_checks: CaseFileView['addressChecks'];
  breaches: CaseFileView['breaches'];
  alerts: CaseFileAlert[];
  issued_at: Date;
}

/**
 * The case file of the person the scope was opened on, read in the scope's
 * transaction (with the request's audit event): one statement.
 */
export async function readCaseFile(person: PersonScope, recipient: string, graceHours: number): Promise<CaseFileView> {
  // The planner's estimates for the period functions are high enough to start JIT compilation, which
  // cost 16 s here for a statement that runs in milliseconds: off for this transaction only.
  await person.manager.query('SET LOCAL jit = off');
  const [row]: CaseFileRow[] = await person.manager.query(CASE_FILE_SQL, [person.id, graceHours]);
  return {
    issuedAt: row.issued_at.toISOString(),
    recipient,
    person: {
      id: person.id,
      ...personalData(person.person),
      auditEventIds: row.person_events,
    } as CaseFileView['person'],
    convictions: row.convictions,
    measures: row.measures,
    notifications: row.notifications,
    addressChecks: row.address_checks,
    breaches: row.breaches,
    alerts: row.alerts,
  };
}

import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import type { EntityManager } from 'typeorm';
import { AppConfig, MetricsService } from '@app/common';
import type { AlertKind } from './entities';

/**
 * A query whose rows are alerts to raise, with the columns `kind, person_id,
 * measure_id, source_id, due_date, police_administration, office` (either
 * recipient may be null; an alert may have both), and its parameters ($1, $2,
 * ...). Written inside compliance only, over register's views.
 */
export interface AlertCandidates {
  sql: string;
  params: unknown[];
}

export interface Raised {
  id: string;
  kind: AlertKind;
  personId: string;
}

const MAIL_SUBJECT = 'Register: something needs your attention';

/**
 * Internal to compliance (not exported from the library): raises the alerts
 * and writes the reminders that a query selects, set-based, in the caller's
 * transaction. The scan uses it directly; `AlertRaiser` (the library's door)
 * turns typed requests into such a query. Each alert once per kind, source
 * and due date, whatever the number of workers; an inbox item for each
 * recipient (for a police administration: the person's managing officer
 * there, else every officer there; for a UIKS office: its active clerks, else
 * every active clerk without an office) and an e-mail in the outbox for
 * recipients with an address.
 * E-mails carry no personal data, only a link.
 */
@Injectable()
export class AlertWriter {
  private readonly raisedTotal: Counter<'kind'>;

  constructor(
    private readonly config: AppConfig,
    metrics: MetricsService,
  ) {
    this.raisedTotal = new Counter({
      name: 'compliance_alerts_raised_total',
      help: 'Alerts raised, by kind',
      labelNames: ['kind'],
      registers: [metrics.registry],
    });
  }

  async raise(manager: EntityManager, candidates: AlertCandidates): Promise<Raised[]> {
    const n = candidates.params.length;
    const rows: { id: string; kind: AlertKind; person_id: string }[] = await manager.query(
      `WITH raised AS (
         INSERT INTO alerts (kind, person_id, measure_id, source_id, due_date, police_administration, office)
         SELECT kind, person_id, measure_id, source_id, due_date, police_administration, office
           FROM (${candidates.sql}) c
         ON CONFLICT ON CONSTRAINT alerts_kind_source_due_key DO NOTHING
         RETURNING id, kind, person_id, due_date, police_administration, office),
       notices AS (
         SELECT kind, id AS alert_id, person_id, id AS source_id, due_date, police_administration, office,
                'An alert (' || replace(kind, '_', ' ') || ') is waiting for you: ' || $${n + 1} || '/console/alerts/' || id AS body
           FROM raised)
       ${FAN_OUT(n + 2)}
       SELECT id, kind, person_id FROM raised`,
      [...candidates.params, this.config.mail.publicUrl, this.mailDomain()],
    );
    for (const row of rows) this.raisedTotal.inc({ kind: row.kind });
    return rows.map((row) => ({ id: row.id, kind: row.kind, personId: row.person_id }));
  }

  /**
   * Reminders without an alert: rows `kind, person_id, source_id, due_date,
   * police_administration, office`. Returns the inbox items written (one per recipient).
   */
  async remind(manager: EntityManager, candidates: AlertCandidates): Promise<{ personId: string }[]> {
    const n = candidates.params.length;
    const rows: { person_id: string }[] = await manager.query(
      `WITH notices AS (
         SELECT kind, NULL::uuid AS alert_id, person_id, source_id, due_date, police_administration, office,
                'A reminder is waiting in your inbox: ' || $${n + 1} || '/console/inbox' AS body
           FROM (${candidates.sql}) c)
       ${FAN_OUT(n + 2)}
       SELECT person_id FROM inbox`,
      [...candidates.params, this.config.mail.publicUrl, this.mailDomain()],
    );
    return rows.map((row) => ({ personId: row.person_id }));
  }

  private mailDomain(): string {
    return new URL(this.config.mail.publicUrl).hostname || 'register';
  }
}

/**
 * From `notices` to inbox items and outbox e-mails. `domainParam` numbers the
 * parameter holding the domain of message ids.
 */
function FAN_OUT(domainParam: number): string {
  return `,
    recipients AS (
      SELECT n.*, u.id AS user_id
        FROM notices n
        JOIN register_persons p ON p.id = n.person_id
        JOIN users u ON u.active AND u.role = 'police_officer' AND u.region = n.police_administration
       WHERE u.id = p.managing_officer_id
          OR NOT EXISTS (SELECT 1 FROM users mo
                          WHERE mo.id = p.managing_officer_id AND mo.active AND mo.role = 'police_officer'
                            AND mo.region = n.police_administration)
      UNION ALL
      SELECT n.*, u.id AS user_id
        FROM notices n
        JOIN users u ON u.active AND u.role = 'registry_clerk'
       WHERE n.office IS NOT NULL
         AND (u.office = n.office
              OR (u.office IS NULL
                  AND NOT EXISTS (SELECT 1 FROM users oc
                                   WHERE oc.active AND oc.role = 'registry_clerk' AND oc.office = n.office)))),
    inbox AS (
      INSERT INTO inbox_items (user_id, kind, alert_id, person_id, source_id, due_date)
      SELECT user_id, kind, alert_id, person_id, source_id, due_date FROM recipients
      ON CONFLICT ON CONSTRAINT inbox_items_user_kind_source_due_key DO NOTHING
      RETURNING id, user_id, kind, alert_id, person_id, source_id, due_date),
    mail AS (
      INSERT INTO mail_outbox (inbox_item_id, recipient, subject, body, message_id)
      SELECT i.id, u.email, '${MAIL_SUBJECT}', r.body, '<' || i.id || '@' || $${domainParam} || '>'
        FROM inbox i
        JOIN users u ON u.id = i.user_id AND u.email IS NOT NULL
        JOIN recipients r ON r.user_id = i.user_id AND r.kind = i.kind AND r.source_id = i.source_id
                         AND r.due_date = i.due_date
      RETURNING id)`;
}

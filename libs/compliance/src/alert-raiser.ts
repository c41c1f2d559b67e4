import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AlertWriter, type Raised } from './alert-writer';
import type { AlertKind } from './entities';

export type { Raised };

/** An alert to raise, as register asks for it. */
export interface AlertRequest {
  kind: AlertKind;
  personId: string;
  measureId: string | null;
  /** The measure, notification, breach or transfer that raises it. */
  sourceId: string;
  /** YYYY-MM-DD. */
  dueDate: string;
  /** null: the person's responsible administration (`responsible_administration`). */
  policeAdministration: string | null;
  /** A UIKS office whose clerks get it too (null or absent: none). */
  office?: string | null;
}

/** The requests, one row each, as the alert writer reads candidates. */
const REQUESTS = `
  SELECT r.kind, r.person_id, r.measure_id, r.source_id, r.due_date,
         coalesce(r.police_administration, responsible_administration(r.person_id)) AS police_administration,
         r.office
    FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::uuid[], $5::date[], $6::text[], $7::text[])
      AS r (kind, person_id, measure_id, source_id, due_date, police_administration, office)`;

/**
 * Compliance's door for raising alerts: typed requests, raised in the
 * caller's transaction with one statement. Each alert once per kind, source
 * and due date (a repeated request raises nothing); its reminders go to the
 * person's managing officer in that administration, else to every officer
 * there, and, when it names a UIKS office, to that office's clerks (inbox and
 * e-mail outbox).
 */
@Injectable()
export class AlertRaiser {
  constructor(private readonly writer: AlertWriter) {}

  async raise(manager: EntityManager, requests: readonly AlertRequest[]): Promise<Raised[]> {
    if (requests.length === 0) return [];
    return this.writer.raise(manager, {
      sql: REQUESTS,
      params: [
        requests.map((r) => r.kind),
        requests.map((r) => r.personId),
        requests.map((r) => r.measureId),
        requests.map((r) => r.sourceId),
        requests.map((r) => r.dueDate),
        requests.map((r) => r.policeAdministration),
        requests.map((r) => r.office ?? null),
      ],
    });
  }
}

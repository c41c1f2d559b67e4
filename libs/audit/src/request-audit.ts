import type { Principal } from '@app/authz';

/** An `Idempotency-Key` of the current request, checked and stored with its work by AuditLog.transaction. */
export interface IdempotencyClaim {
  userId: string;
  key: string;
  requestHash: string;
}

export type AuditOutcome = 'allowed' | 'denied' | 'error';

export interface AuditActor {
  userId: string | null;
  username: string | null;
  role: string | null;
  organisation: string | null;
  region: string | null;
}

export const SYSTEM_ACTOR: AuditActor = {
  userId: null,
  username: 'system',
  role: 'system',
  organisation: null,
  region: null,
};

export function actorOf(principal: Principal): AuditActor {
  return {
    userId: principal.userId,
    username: principal.username,
    role: principal.role,
    organisation: principal.organisation,
    region: principal.region,
  };
}

/** One row of the audit log, as written. */
export interface AuditEventInput {
  actor: AuditActor | null;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  subjectPersonIds: string[];
  reason: string | null;
  outcome: AuditOutcome;
  httpStatus: number | null;
  resultCount: number | null;
  query: Record<string, unknown> | null;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  recipient: string | null;
  /** What changed (before and after), for administration events; never secrets. */
  details: Record<string, unknown> | null;
  flagged: boolean;
}

/** An event as the database stamped it. */
export interface RecordedEvent {
  id: string;
  at: Date;
}

/**
 * What one request (or one worker action) will record: filled in along the
 * way by the guard (actor, action, reason) and the service (resource,
 * subjects, counts, flags), and written exactly once, either by the service
 * in its transaction or, failing that, before the response leaves.
 */
export class RequestAudit {
  actor: AuditActor | null = null;
  action: string | null = null;
  resourceType: string | null = null;
  resourceId: string | null = null;
  readonly subjects = new Set<string>();
  reason: string | null = null;
  resultCount: number | null = null;
  recipient: string | null = null;
  details: Record<string, unknown> | null = null;
  flagged = false;
  /** The status the route answers on success (from its declaration). */
  successStatus = 200;
  /** The event has been committed; nothing more is written for this request. */
  written = false;
  /** The event written with the work (AuditLog.transaction): its id and the database's time. */
  recorded: RecordedEvent | null = null;
  /** The request's Idempotency-Key, stored with the work of its first transaction. */
  idempotency: IdempotencyClaim | null = null;

  constructor(
    readonly requestId: string | null,
    readonly ip: string | null,
    readonly userAgent: string | null,
    readonly query: Record<string, unknown> | null,
  ) {}

  /** For work outside HTTP: the worker (`system`) or an operator at the command line. */
  static system(action: string, actor: AuditActor = SYSTEM_ACTOR): RequestAudit {
    const audit = new RequestAudit(null, null, null, null);
    audit.actor = actor;
    audit.action = action;
    return audit;
  }

  on(resourceType: string, resourceId: string | null = null): this {
    this.resourceType = resourceType;
    this.resourceId = resourceId;
    return this;
  }

  subject(...personIds: string[]): this {
    for (const id of personIds) this.subjects.add(id);
    return this;
  }

  toEvent(outcome: AuditOutcome, httpStatus: number | null): AuditEventInput {
    return {
      actor: this.actor,
      action: this.action ?? 'http.request',
      resourceType: this.resourceType,
      resourceId: this.resourceId,
      subjectPersonIds: [...this.subjects],
      reason: this.reason,
      outcome,
      httpStatus,
      resultCount: this.resultCount,
      query: this.query,
      requestId: this.requestId,
      ip: this.ip,
      userAgent: this.userAgent,
      recipient: this.recipient,
      details: this.details,
      flagged: this.flagged,
    };
  }
}

/** The outcome the contract gives a status: refused authentication or authorisation is `denied`. */
export function outcomeOfStatus(status: number): AuditOutcome {
  if (status === 401 || status === 403) return 'denied';
  return status >= 400 ? 'error' : 'allowed';
}

/** An operator at the command line: the account of the machine user who ran it. */
export function operatorActor(osUser: string): AuditActor {
  return { userId: null, username: `cli:${osUser}`, role: 'operator', organisation: null, region: null };
}

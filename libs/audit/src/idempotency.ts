import { createHash } from 'node:crypto';
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, from, type Observable, switchMap } from 'rxjs';
import type { DataSource, EntityManager } from 'typeorm';
import { Reflector } from '@nestjs/core';
import { DomainError } from '@app/common';
import { ACCESS_METADATA, type AccessRequirement, type Principal, SCOPE_COLUMNS } from '@app/authz';
import type { IdempotencyClaim, RequestAudit } from './request-audit';

const KEY = /^[\x21-\x7e]{1,64}$/;

interface StoredAnswer {
  requestHash: string;
  status: number;
  body: unknown;
  subjects: string[];
}

/**
 * Whether the caller still reaches every person a stored answer names: a
 * replay must not hand out what the caller may no longer read. The register
 * implements it; the api provides it to the interceptor.
 */
export abstract class ReplayAccess {
  abstract reachesAll(principal: Principal, personIds: string[]): Promise<boolean>;
}

/** Thrown inside the work's transaction when another request with the same key got there first. */
export class IdempotentReplay extends Error {
  constructor(readonly answer: StoredAnswer) {
    super('idempotent replay');
  }
}

function mismatch(): DomainError {
  return new DomainError(
    'idempotency_mismatch',
    'This Idempotency-Key was used with a different request in the last 24 hours.',
  );
}

/** The stored answer to the key, if it is younger than 24 hours. */
export async function storedAnswer(manager: EntityManager, claim: IdempotencyClaim): Promise<StoredAnswer | null> {
  const rows: { request_hash: string; status: number; body: unknown; subjects: string[] }[] = await manager.query(
    `SELECT request_hash, status, body, subject_person_ids::text[] AS subjects FROM idempotency_keys
      WHERE user_id = $1 AND key = $2 AND created_at > now() - interval '24 hours'`,
    [claim.userId, claim.key],
  );
  if (rows.length === 0) return null;
  const [row] = rows;
  return { requestHash: row.request_hash, status: row.status, body: row.body, subjects: row.subjects };
}

/**
 * In the work's transaction, before the work: waits for any concurrent
 * request with the same key, then replays its answer if it committed one.
 */
export async function claimKey(manager: EntityManager, claim: IdempotencyClaim): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 7))`, [`${claim.userId}:${claim.key}`]);
  const answer = await storedAnswer(manager, claim);
  if (answer) throw new IdempotentReplay(answer);
  await manager.query(
    `DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND created_at <= now() - interval '24 hours'`,
    [claim.userId, claim.key],
  );
}

/** In the work's transaction, after the work: the answer a retry will get. */
export async function storeAnswer(
  manager: EntityManager,
  claim: IdempotencyClaim,
  status: number,
  body: unknown,
  subjects: Iterable<string>,
): Promise<void> {
  await manager.query(
    `INSERT INTO idempotency_keys (user_id, key, request_hash, status, body, subject_person_ids)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6::uuid[])`,
    [
      claim.userId,
      claim.key,
      claim.requestHash,
      status,
      body === undefined ? null : JSON.stringify(body),
      [...subjects],
    ],
  );
}

/**
 * CONTRACT "Idempotency-Key": the same key from the same user within 24
 * hours returns the first answer; with a different request, 422. The key is
 * stored by the work's own transaction (AuditLog.transaction), so a retry
 * after a crash either finds the answer or finds nothing done.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: ReplayAccess,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { audit?: RequestAudit; user?: Principal }>();
    const header = request.headers['idempotency-key'];
    if (request.method !== 'POST' || header === undefined || !request.audit || !request.user?.userId) {
      return next.handle();
    }
    const key = Array.isArray(header) ? header[0] : header;
    if (!KEY.test(key)) {
      throw DomainError.validation(
        [{ field: 'Idempotency-Key', message: 'must be 1 to 64 visible ASCII characters' }],
        'The Idempotency-Key header is malformed.',
      );
    }
    const audit = request.audit;
    const principal = request.user;
    const claim: IdempotencyClaim = { userId: principal.userId, key, requestHash: requestHash(request) };
    const reply = http.getResponse<FastifyReply>();
    // A route granted as a whole (no record scope: a vetting request) answered nothing of the persons its event
    // names; its permission, checked again by the guard, is the whole rule for the replay too.
    const requirement = this.reflector.get<AccessRequirement | undefined>(ACCESS_METADATA, context.getHandler());
    const personScoped = requirement?.kind !== 'permission' || requirement.subject in SCOPE_COLUMNS;
    const replay = async (answer: StoredAnswer): Promise<unknown> => {
      if (answer.requestHash !== claim.requestHash) throw mismatch();
      if (personScoped && answer.subjects.length > 0 && !(await this.access.reachesAll(principal, answer.subjects))) {
        // The caller has lost access since the first answer: the same 404 as any record out of reach.
        audit.subject(...answer.subjects);
        throw DomainError.outOfReach('No such person.');
      }
      audit.details = { ...(audit.details ?? {}), idempotentReplay: true };
      audit.subject(...answer.subjects);
      audit.successStatus = answer.status;
      void reply.status(answer.status);
      return answer.body;
    };
    return from(storedAnswer(this.dataSource.manager, claim)).pipe(
      switchMap((answer) => {
        if (answer) return from(replay(answer));
        audit.idempotency = claim;
        return next.handle().pipe(
          catchError((error: unknown) => {
            if (error instanceof IdempotentReplay) return from(replay(error.answer));
            throw error;
          }),
        );
      }),
    );
  }
}

/** What makes two requests "the same": method, path and body. */
function requestHash(request: FastifyRequest): string {
  const body = request.body === undefined || request.isMultipart?.() ? '' : JSON.stringify(request.body);
  return createHash('sha256')
    .update(`${request.method} ${request.url.split('?')[0]}\n${body}`)
    .digest('hex');
}

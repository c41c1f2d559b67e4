import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError, positional } from '@app/common';
import { AbilityFactory, type AppAbility } from './ability.factory';
import type { PrincipalReach } from './principal';
import { type ScopeBinding, scopeSql, type SqlScope } from './scope';
import type { Action, ScopedSubject } from './subjects';

/** One record to reach, as a statement: where it is and how it is found. */
export interface RecordTarget<S extends ScopedSubject> {
  subject: S;
  action: Action;
  /** The FROM clause, with the aliases `binding` names (e.g. `alerts row`). */
  from: string;
  binding: ScopeBinding<S>;
  /** Finds the record (or its owner): a condition with positional parameters $1... */
  where: string;
  params: unknown[];
  /** Further columns to return (SQL expressions `AS name`). */
  select?: string[];
  /** Aliases locked FOR UPDATE (the record's row, or its person). */
  lock?: string[];
  /** The detail of the 404 for an absent or unreachable record. */
  absent: string;
  /**
   * More of the same statement, run on what was found: CTEs after `target` (the row found, with `allowed`,
   * locked first) and the columns they add to it. A write here happens only where its SQL says (`target.allowed`).
   */
  then?: { ctes: string; select: string[] };
}

/**
 * The one door to a record: the caller's rules for the real action become
 * part of the SQL that finds (and, for a change, locks) the row, so the
 * decision and the read are one statement. A record that exists but is out
 * of reach answers the same 404 as an absent one (DomainError.outOfReach,
 * recorded as a denial by the audit layer). Lists use `scope`, the same
 * predicate for many rows.
 */
@Injectable()
export class RecordAccess {
  constructor(private readonly abilities: AbilityFactory) {}

  ability(principal: PrincipalReach): AppAbility {
    return this.abilities.createForPrincipal(principal);
  }

  /** The predicate over many rows (lists, searches), with named parameters. */
  scope<S extends ScopedSubject>(
    principal: PrincipalReach,
    action: Action,
    subject: S,
    binding: ScopeBinding<S>,
  ): SqlScope {
    return scopeSql(this.ability(principal), action, subject, binding);
  }

  /**
   * The row `target` finds, with `allowed` (the rules' verdict) and the
   * further columns; null when nothing is found. Callers that only need the
   * verdict use `reach`.
   */
  async find<S extends ScopedSubject, R extends object>(
    manager: EntityManager,
    principal: PrincipalReach,
    target: RecordTarget<S>,
  ): Promise<(R & { allowed: boolean }) | null> {
    const scope = positional(
      this.scope(principal, target.action, target.subject, target.binding),
      target.params.length,
    );
    const select = [`coalesce((${scope.sql}), false) AS allowed`, ...(target.select ?? [])];
    const lock = target.lock?.length ? ` FOR UPDATE OF ${target.lock.join(', ')}` : '';
    const found = `SELECT ${select.join(', ')} FROM ${target.from} WHERE ${target.where}${lock}`;
    const then = target.then;
    const rows: (R & { allowed: boolean })[] = await manager.query(
      then ? `WITH target AS (${found}), ${then.ctes} SELECT target.*, ${then.select.join(', ')} FROM target` : found,
      [...target.params, ...scope.params],
    );
    return rows[0] ?? null;
  }

  /**
   * Like `find`, but refuses: 404 when nothing is found, 404 out of reach
   * when the rules do not allow the action. `found` sees the row before the
   * verdict (to name the persons a refused attempt concerned).
   */
  async reach<S extends ScopedSubject, R extends object>(
    manager: EntityManager,
    principal: PrincipalReach,
    target: RecordTarget<S>,
    found?: (row: R) => void,
  ): Promise<R> {
    const row = await this.find<S, R>(manager, principal, target);
    if (!row) throw DomainError.notFound(target.absent);
    found?.(row);
    if (!row.allowed) throw DomainError.outOfReach(target.absent);
    return row;
  }
}

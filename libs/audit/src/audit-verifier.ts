import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/common';
import { AuditKeys } from './audit-keys';
import { AuditLog } from './audit-log';
import { LEAF_SQL } from './canonical';
import { merkleRoot, splitLeaves } from './merkle';
import type { RequestAudit } from './request-audit';
import { isReviewSql, reviewIsSigned, type ReviewRow } from './reviews';
import {
  type Checkpoint,
  checkpointBody,
  GENESIS_HASH,
  SEAL_COLUMNS,
  sealDamage,
  type SealRow,
  seqsHashOf,
  seqsHashSql,
} from './seals';

export const VERIFY_PROBLEMS = [
  'altered',
  'deleted',
  'inserted',
  'reordered',
  'seal_chain',
  'signature',
  'unsealed',
  'truncated',
] as const;
export type VerifyProblem = (typeof VERIFY_PROBLEMS)[number];

/** One damage or forgery: where in the log (the event's number, the seal's) and what. */
export class VerifyFinding {
  @ApiProperty({ enum: VERIFY_PROBLEMS, example: 'altered' })
  problem!: VerifyProblem;

  @ApiProperty({ type: Number, nullable: true, example: 1042 })
  seq!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 12 })
  sealNo!: number | null;
}

export class VerifyResult {
  @ApiProperty({ example: true })
  ok!: boolean;

  /** The events of the seals checked before the first finding. */
  @ApiProperty({ example: 1040 })
  checkedEvents!: number;

  /** The number of the last seal checked before the first finding (0: none). */
  @ApiProperty({ example: 12 })
  sealedThrough!: number;

  /** The first finding's event and problem. */
  @ApiProperty({ type: Number, nullable: true, example: null })
  firstBadSeq!: number | null;

  @ApiProperty({ enum: VERIFY_PROBLEMS, nullable: true, example: null })
  problem!: VerifyProblem | null;

  /** Every finding, in the order of the log (at most MAX_FINDINGS). */
  @ApiProperty({ type: () => [VerifyFinding], example: [] })
  findings!: VerifyFinding[];
}

interface Finding {
  problem: VerifyProblem;
  seq: string | null;
}

const SEALS_PER_BATCH = 200;
/** Seals whose events are being read ahead of the one being checked. */
const READ_AHEAD = 3;
const REVIEWS_PER_BATCH = 1_000;
export const MAX_FINDINGS = 1_000;

/** A seal's range as it is now, in digests: the event numbers' (as in the seal) and the leaves' SHA-256. */
interface RangeEvents {
  seqs_hash: string;
  leaves_hash: Buffer;
}

/**
 * Recomputes every seal from the events and names every damage found. A seal
 * the sealing keys did not make is named and passed over, as the sealer
 * passes over it: the chain is checked from one genuine seal to the next.
 * Every review event must carry the sealing key's signature.
 */
@Injectable()
export class AuditVerifier {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: AuditKeys,
    private readonly config: AppConfig,
    private readonly log: AuditLog,
  ) {}

  /** Verifies and records it as the request's (or the operator's) event, flagged when something was found. */
  async verifyRecorded(audit: RequestAudit, checkpoint?: Checkpoint): Promise<VerifyResult> {
    const result = await this.verify(checkpoint);
    // A damaged log is itself worth a reviewer's eye.
    if (!result.ok) audit.flagged = true;
    return this.log.transaction(audit, async () => result);
  }

  async verify(checkpoint?: Checkpoint): Promise<VerifyResult> {
    let checkedEvents = 0;
    let sealedThrough = 0;
    const findings: VerifyFinding[] = [];
    const report = (finding: Finding, sealNo: string | null) => {
      if (findings.length < MAX_FINDINGS) {
        findings.push({
          problem: finding.problem,
          seq: finding.seq ? Number(finding.seq) : null,
          sealNo: sealNo ? Number(sealNo) : null,
        });
      }
    };
    // The last genuine seal: the next one chains from it.
    let chain: { hash: Buffer; txTo: string; sealNo: number } = { hash: GENESIS_HASH, txTo: '0', sealNo: 0 };
    const heads = new Map<number, { hash: Buffer; total: string }>();

    for (let after = 0n; ;) {
      const seals: SealRow[] = await this.dataSource.query(
        // Qualified: a bare `seal_no` would name the text output column and sort 10 before 9.
        `SELECT ${SEAL_COLUMNS} FROM audit_seals WHERE seal_no > $1 ORDER BY audit_seals.seal_no LIMIT ${SEALS_PER_BATCH}`,
        [String(after)],
      );
      // Only the seals the sealing keys made (their hash and signature hold) have their events read: the
      // database reads the next ones' while this process checks the current one.
      const alone = new Map<number, 'seal_chain' | 'signature' | null>();
      const made = (i: number) => {
        if (!alone.has(i)) alone.set(i, sealDamage(seals[i], this.keys));
        return alone.get(i) === null;
      };
      const reads = new Map<number, Promise<RangeEvents>>();
      let next = 0;
      const readFrom = (i: number): Promise<RangeEvents> => {
        for (; next < seals.length && reads.size < READ_AHEAD; next++) {
          if (!made(next)) continue;
          const pending = this.eventsIn(seals[next]);
          pending.catch(() => undefined); // awaited in turn, or not at all when the seal is damaged
          reads.set(next, pending);
        }
        const events = reads.get(i) as Promise<RangeEvents>;
        reads.delete(i);
        return events;
      };
      for (const [i, seal] of seals.entries()) {
        const events = made(i) ? readFrom(i) : null;
        const problem = leavesDamage(seal) ?? alone.get(i) ?? null;
        if (problem || !events) {
          report({ problem: problem ?? 'seal_chain', seq: seal.first_seq }, seal.seal_no);
          continue;
        }
        if (seal.tx_from !== chain.txTo || !seal.prev_hash.equals(chain.hash)) {
          report({ problem: 'seal_chain', seq: seal.first_seq }, seal.seal_no);
        }
        const finding = await this.checkEvents(seal, events);
        if (finding) report(finding, seal.seal_no);
        if (findings.length === 0) {
          checkedEvents += seal.event_count;
          sealedThrough = Number(seal.seal_no);
        }
        chain = { hash: seal.hash, txTo: seal.tx_to, sealNo: Number(seal.seal_no) };
        if (checkpoint && Number(seal.seal_no) === checkpoint.sealedThrough) {
          heads.set(chain.sealNo, { hash: seal.hash, total: seal.total_events });
        }
      }
      if (seals.length < SEALS_PER_BATCH) break;
      after = BigInt(seals[seals.length - 1].seal_no);
    }

    if (checkpoint) {
      const finding = this.checkCheckpoint(checkpoint, heads.get(checkpoint.sealedThrough), chain.sealNo);
      if (finding) report(finding, null);
    }
    const [late] = await this.dataSource.query(
      `SELECT min(e.seq)::text AS seq FROM audit_events e
        WHERE e.tx >= $1::xid8 AND e.at < now() - make_interval(secs => $2)`,
      [chain.txTo, this.config.audit.unsealedToleranceMs / 1000],
    );
    if (late?.seq) report({ problem: 'unsealed', seq: late.seq }, null);
    await this.checkReviews((seq) => report({ problem: 'signature', seq }, null));

    return {
      ok: findings.length === 0,
      checkedEvents,
      sealedThrough,
      firstBadSeq: findings[0]?.seq ?? null,
      problem: findings[0]?.problem ?? null,
      findings,
    };
  }

  /** Every review event must carry the sealing key's signature of what it says (reviews are few: read in batches). */
  private async checkReviews(forged: (seq: string) => void): Promise<void> {
    for (let after = '0'; ;) {
      const rows: ReviewRow[] = await this.dataSource.query(
        `SELECT e.seq::text AS seq, e.resource_id, e.actor_user_id::text AS actor_user_id, e.actor_username, e.details
           FROM audit_events e WHERE ${isReviewSql('e')} AND e.seq > $1::bigint
          ORDER BY e.seq LIMIT ${REVIEWS_PER_BATCH}`,
        [after],
      );
      for (const row of rows) if (!reviewIsSigned(this.keys, row)) forged(row.seq);
      if (rows.length < REVIEWS_PER_BATCH) return;
      after = rows[rows.length - 1].seq;
    }
  }

  /** The events of a genuine seal's range against what it recorded. */
  private async checkEvents(seal: SealRow, events: Promise<RangeEvents>): Promise<Finding | null> {
    const at = seal.first_seq;
    // Usually everything matches: the range's numbers and leaves, in order, as two digests compared at once.
    const found = await events;
    if (
      found.seqs_hash === seal.seqs_hash &&
      found.leaves_hash.equals(createHash('sha256').update(seal.leaves).digest())
    ) {
      return null;
    }
    // Something differs: event by event, to name it, against the numbers the checked digest stands for.
    const [stored]: { seqs: string[] }[] = await this.dataSource.query(
      `SELECT seqs::text[] AS seqs FROM audit_seals WHERE seal_no = $1`,
      [seal.seal_no],
    );
    if (!stored || seqsHashOf(stored.seqs) !== seal.seqs_hash) return { problem: 'seal_chain', seq: at };
    const rows: { seq: string; leaf: Buffer }[] = await this.dataSource.query(
      `SELECT e.seq::text AS seq, ${LEAF_SQL} AS leaf FROM audit_events e
        WHERE e.tx >= $1::xid8 AND e.tx < $2::xid8 ORDER BY e.seq`,
      [seal.tx_from, seal.tx_to],
    );
    // The digests differed, so something did, even if no single event shows it now (it changed between reads).
    return compareEvents(stored.seqs, splitLeaves(seal.leaves), rows) ?? { problem: 'altered', seq: at };
  }

  /**
   * The events of a seal's range as they are now, as digests of their numbers
   * and leaf hashes in order: the database hashes them where they are, and
   * two short values come back instead of ten thousand numbers and leaves.
   */
  private async eventsIn(seal: SealRow): Promise<RangeEvents> {
    const [row]: RangeEvents[] = await this.dataSource.query(
      `SELECT ${seqsHashSql('pg_catalog.array_agg(e.seq ORDER BY e.seq)')} AS seqs_hash,
              pg_catalog.sha256(coalesce(pg_catalog.string_agg(${LEAF_SQL}, ''::bytea ORDER BY e.seq), ''::bytea))
                AS leaves_hash
         FROM audit_events e WHERE e.tx >= $1::xid8 AND e.tx < $2::xid8`,
      [seal.tx_from, seal.tx_to],
    );
    return row;
  }

  private checkCheckpoint(
    checkpoint: Checkpoint,
    head: { hash: Buffer; total: string } | undefined,
    lastSeal: number,
  ): Finding | null {
    const { signature, ...body } = checkpoint;
    if (!this.keys.verify(checkpoint.keyId, checkpointBody(body), Buffer.from(signature, 'base64url'))) {
      return { problem: 'signature', seq: null };
    }
    if (checkpoint.sealedThrough > lastSeal) return { problem: 'truncated', seq: null };
    if (!head || head.hash.toString('hex') !== checkpoint.root || Number(head.total) !== checkpoint.treeSize) {
      return { problem: 'seal_chain', seq: null };
    }
    return null;
  }
}

/** A seal whose stored leaves are not 32-byte hashes or do not make its Merkle root. */
function leavesDamage(seal: SealRow): 'seal_chain' | null {
  return seal.leaves.length % 32 !== 0 || !merkleRoot(seal.leaves).equals(seal.merkle_root) ? 'seal_chain' : null;
}

/** What the events in a seal's range say against what the seal recorded. */
export function compareEvents(
  sealedSeqs: string[],
  sealedLeaves: Buffer[],
  events: { seq: string; leaf: Buffer }[],
): Finding | null {
  const sealed = new Set(sealedSeqs);
  const present = new Set(events.map((e) => e.seq));
  const missing = sealedSeqs.filter((seq) => !present.has(seq));
  const extra = events.filter((e) => !sealed.has(e.seq)).map((e) => e.seq);
  const lowest = (seqs: string[]) => seqs.reduce((min, seq) => (BigInt(seq) < BigInt(min) ? seq : min));
  if (missing.length > 0 && (extra.length === 0 || BigInt(lowest(missing)) <= BigInt(lowest(extra)))) {
    return { problem: 'deleted', seq: lowest(missing) };
  }
  if (extra.length > 0) return { problem: 'inserted', seq: lowest(extra) };
  const firstDifferent = events.findIndex((e, i) => !e.leaf.equals(sealedLeaves[i]));
  if (firstDifferent === -1) return null;
  const key = (leaf: Buffer) => leaf.toString('hex');
  const sameMultiset =
    events
      .map((e) => key(e.leaf))
      .sort()
      .join() === sealedLeaves.map(key).sort().join();
  return { problem: sameMultiset ? 'reordered' : 'altered', seq: events[firstDifferent].seq };
}

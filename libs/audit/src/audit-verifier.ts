import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/common';
import { AuditKeys } from './audit-keys';
import { LEAF_SQL } from './canonical';
import { merkleRoot, splitLeaves } from './merkle';
import {
  type Checkpoint,
  checkpointBody,
  GENESIS_HASH,
  SEAL_COLUMNS,
  sealHash,
  type SealRow,
  seqsHashOf,
  seqsHashSql,
} from './seals';

export type VerifyProblem =
  'altered' | 'deleted' | 'inserted' | 'reordered' | 'seal_chain' | 'signature' | 'unsealed' | 'truncated';

export interface VerifyResult {
  ok: boolean;
  checkedEvents: number;
  /** The number of the last seal checked (0: none yet). */
  sealedThrough: number;
  firstBadSeq: number | null;
  problem: VerifyProblem | null;
}

interface Finding {
  problem: VerifyProblem;
  seq: string | null;
}

const SEALS_PER_BATCH = 200;
/** Seals whose events are being read ahead of the one being checked. */
const READ_AHEAD = 3;

/** A seal's range as it is now, in digests: the event numbers' (as in the seal) and the leaves' SHA-256. */
interface RangeEvents {
  seqs_hash: string;
  leaves_hash: Buffer;
}

/** Recomputes every seal from the events and names the first damage found. */
@Injectable()
export class AuditVerifier {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: AuditKeys,
    private readonly config: AppConfig,
  ) {}

  async verify(checkpoint?: Checkpoint): Promise<VerifyResult> {
    let checkedEvents = 0;
    let sealedThrough = 0;
    let previousHash: Buffer = GENESIS_HASH;
    let expectedFrom = '0';
    const heads = new Map<number, { hash: Buffer; total: string }>();
    const result = (finding: Finding | null): VerifyResult => ({
      ok: finding === null,
      checkedEvents,
      sealedThrough,
      firstBadSeq: finding?.seq ? Number(finding.seq) : null,
      problem: finding?.problem ?? null,
    });

    for (let after = 0n; ;) {
      const seals: SealRow[] = await this.dataSource.query(
        // Qualified: a bare `seal_no` would name the text output column and sort 10 before 9.
        `SELECT ${SEAL_COLUMNS} FROM audit_seals WHERE seal_no > $1 ORDER BY audit_seals.seal_no LIMIT ${SEALS_PER_BATCH}`,
        [String(after)],
      );
      // The database reads the next seals' events while this process checks the current one.
      const reads: Promise<RangeEvents>[] = [];
      const read = (i: number) => {
        while (reads.length < Math.min(seals.length, i + READ_AHEAD)) {
          const pending = this.eventsIn(seals[reads.length]);
          pending.catch(() => undefined); // awaited in turn; an early finding may leave some unread
          reads.push(pending);
        }
        return reads[i];
      };
      for (const [i, seal] of seals.entries()) {
        const finding = await this.checkSeal(seal, read(i), previousHash, expectedFrom, BigInt(sealedThrough) + 1n);
        if (finding) return result(finding);
        checkedEvents += seal.event_count;
        sealedThrough = Number(seal.seal_no);
        previousHash = seal.hash;
        expectedFrom = seal.tx_to;
        if (checkpoint && Number(seal.seal_no) === checkpoint.sealedThrough) {
          heads.set(sealedThrough, { hash: seal.hash, total: seal.total_events });
        }
      }
      if (seals.length < SEALS_PER_BATCH) break;
      after = BigInt(seals[seals.length - 1].seal_no);
    }

    if (checkpoint) {
      const finding = this.checkCheckpoint(checkpoint, heads.get(checkpoint.sealedThrough), sealedThrough);
      if (finding) return result(finding);
    }
    const [late] = await this.dataSource.query(
      `SELECT min(e.seq)::text AS seq FROM audit_events e
        WHERE e.tx >= $1::xid8 AND e.at < now() - make_interval(secs => $2)`,
      [expectedFrom, this.config.audit.unsealedToleranceMs / 1000],
    );
    if (late?.seq) return result({ problem: 'unsealed', seq: late.seq });
    return result(null);
  }

  private async checkSeal(
    seal: SealRow,
    events: Promise<RangeEvents>,
    previousHash: Buffer,
    expectedFrom: string,
    expectedNo: bigint,
  ): Promise<Finding | null> {
    const at = seal.first_seq;
    if (BigInt(seal.seal_no) !== expectedNo || seal.tx_from !== expectedFrom || !seal.prev_hash.equals(previousHash)) {
      return { problem: 'seal_chain', seq: at };
    }
    if (
      seal.leaves.length % 32 !== 0 ||
      !sealHash(seal, seal.seqs_hash).equals(seal.hash) ||
      !merkleRoot(seal.leaves).equals(seal.merkle_root)
    ) {
      return { problem: 'seal_chain', seq: at };
    }
    if (!this.keys.verify(seal.key_id, seal.hash, seal.signature)) return { problem: 'signature', seq: at };

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

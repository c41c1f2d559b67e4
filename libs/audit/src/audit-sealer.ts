import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/common';
import { AuditKeys } from './audit-keys';
import { LEAF_SQL } from './canonical';
import { merkleRoot } from './merkle';
import { type Checkpoint, checkpointBody, GENESIS_HASH, sealHash, type SealFields, seqsHashOf } from './seals';

/** Any stable number: one sealer at a time across every worker. */
const SEAL_LOCK = 7_302_013_003;

export interface SealResult {
  sealNo: number;
  eventCount: number;
}

/**
 * Seals committed events in batches, without a lock on the hot path: each
 * seal takes every event whose transaction id lies at or above the previous
 * seal's watermark and below the oldest transaction still running, so no
 * late-committing event is ever passed over; then chains, signs, and writes
 * a checkpoint.
 */
@Injectable()
export class AuditSealer {
  private readonly logger = new Logger(AuditSealer.name);
  /** When a numbered checkpoint file was last kept (latest.json is rewritten on every seal). */
  private lastKept = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: AuditKeys,
    private readonly config: AppConfig,
  ) {}

  async sealOnce(): Promise<SealResult | null> {
    const sealed = await this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [SEAL_LOCK]);
      if (!locked) return null;
      const [previous]: (Pick<SealFields, 'seal_no' | 'tx_to' | 'total_events'> & { hash: Buffer })[] =
        await manager.query(
          // Qualified: a bare `seal_no` would name the text output column and sort 9 after 10.
          `SELECT seal_no::text, tx_to::text, total_events::text, hash
             FROM audit_seals ORDER BY audit_seals.seal_no DESC LIMIT 1`,
        );
      const [{ xmin }] = await manager.query(`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`);
      const from = previous?.tx_to ?? '0';
      // A backlog is sealed in parts, each ending at a transaction boundary.
      const [cut] = await manager.query(
        `SELECT tx::text FROM audit_events WHERE tx >= $1::xid8 AND tx < $2::xid8
          ORDER BY audit_events.tx OFFSET $3 LIMIT 1`,
        [from, xmin, this.config.audit.maxEventsPerSeal],
      );
      const watermark: string = cut && BigInt(cut.tx) > BigInt(from) ? cut.tx : xmin;
      if (BigInt(watermark) <= BigInt(from)) return null;
      const events: { seq: string; leaf: Buffer }[] = await manager.query(
        `SELECT e.seq::text AS seq, ${LEAF_SQL} AS leaf FROM audit_events e
          WHERE e.tx >= $1::xid8 AND e.tx < $2::xid8 ORDER BY e.seq`,
        [from, watermark],
      );
      if (events.length === 0) return null;
      const leaves = Buffer.concat(events.map((e) => e.leaf));
      const seal: SealFields & { seqs: string[]; leaves: Buffer } = {
        seal_no: String(previous ? BigInt(previous.seal_no) + 1n : 1n),
        sealed_at: new Date(),
        tx_from: from,
        tx_to: watermark,
        event_count: events.length,
        total_events: String(BigInt(previous?.total_events ?? 0) + BigInt(events.length)),
        first_seq: events[0].seq,
        last_seq: events[events.length - 1].seq,
        seqs: events.map((e) => e.seq),
        leaves,
        merkle_root: merkleRoot(leaves),
        prev_hash: previous?.hash ?? GENESIS_HASH,
        key_id: this.keys.keyId,
      };
      const hash = sealHash(seal, seqsHashOf(seal.seqs));
      await manager.query(
        `INSERT INTO audit_seals (seal_no, sealed_at, tx_from, tx_to, event_count, total_events, first_seq, last_seq,
                                  seqs, leaves, merkle_root, prev_hash, hash, key_id, signature)
         VALUES ($1, $2, $3::xid8, $4::xid8, $5, $6, $7, $8, $9::bigint[], $10, $11, $12, $13, $14, $15)`,
        [
          seal.seal_no,
          seal.sealed_at,
          seal.tx_from,
          seal.tx_to,
          seal.event_count,
          seal.total_events,
          seal.first_seq,
          seal.last_seq,
          seal.seqs,
          seal.leaves,
          seal.merkle_root,
          seal.prev_hash,
          hash,
          seal.key_id,
          this.keys.sign(hash),
        ],
      );
      return { ...seal, hash };
    });
    if (!sealed) return null;
    await this.writeCheckpoint(this.checkpointOf(Number(sealed.seal_no), Number(sealed.total_events), sealed.hash));
    return { sealNo: Number(sealed.seal_no), eventCount: sealed.event_count };
  }

  /** The latest checkpoint: the head of the seal chain, signed now (within `manager`'s transaction if given). */
  async latestCheckpoint(manager = this.dataSource.manager): Promise<Checkpoint | null> {
    const [head]: { seal_no: string; total_events: string; hash: Buffer }[] = await manager.query(
      `SELECT seal_no::text, total_events::text, hash FROM audit_seals ORDER BY audit_seals.seal_no DESC LIMIT 1`,
    );
    return head ? this.checkpointOf(Number(head.seal_no), Number(head.total_events), head.hash) : null;
  }

  /** Seconds since the oldest event not yet sealed was written (0 when all are sealed). */
  async sealLagSeconds(): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT COALESCE(extract(epoch FROM now() - min(e.at)), 0)::float AS lag FROM audit_events e
        WHERE e.tx >= COALESCE((SELECT tx_to FROM audit_seals ORDER BY seal_no DESC LIMIT 1), '0'::xid8)`,
    );
    return Math.max(0, Number(row.lag));
  }

  private checkpointOf(sealNo: number, treeSize: number, hash: Buffer): Checkpoint {
    const body = {
      sealedThrough: sealNo,
      treeSize,
      root: hash.toString('hex'),
      signedAt: new Date().toISOString(),
      keyId: this.keys.keyId,
    };
    return { ...body, signature: this.keys.sign(checkpointBody(body)).toString('base64url') };
  }

  private async writeCheckpoint(checkpoint: Checkpoint): Promise<void> {
    const folder = this.config.audit.checkpointDir;
    if (!folder) return;
    try {
      await fs.mkdir(folder, { recursive: true, mode: 0o700 });
      const content = JSON.stringify(checkpoint, null, 2) + '\n';
      await fs.writeFile(
        path.join(folder, `checkpoint-${String(checkpoint.sealedThrough).padStart(10, '0')}.json`),
        content,
        {
          mode: 0o600,
        },
      );
      await fs.writeFile(path.join(folder, 'latest.json'), content, { mode: 0o600 });
    } catch (error) {
      this.logger.error({ err: error }, 'could not write the audit checkpoint');
    }
  }
}

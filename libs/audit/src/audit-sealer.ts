import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Counter } from 'prom-client';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig, MetricsService } from '@app/common';
import { AuditKeys } from './audit-keys';
import { LEAF_SQL } from './canonical';
import { merkleRoot } from './merkle';
import {
  type Checkpoint,
  checkpointBody,
  GENESIS_HASH,
  INSERT_SEAL,
  type NewSeal,
  SEAL_HEAD_COLUMNS,
  sealDamage,
  type SealHead,
  sealHash,
  sealParameters,
  seqsHashOf,
} from './seals';

/** Any stable number: one sealer at a time across every worker. */
/** Also taken by the trigger that admits seals (migration AuditTamperGuards): keep the two equal. */
const SEAL_LOCK = 7_302_013_003;

/** Seals read at a time when looking, newest first, for the newest genuine one. */
const HEAD_PAGE = 100;

/** Where the chain goes on: the newest seal the sealing keys made, and the number the next seal takes. */
interface ChainHead {
  head: SealHead | null;
  lastNo: bigint;
}

export interface SealResult {
  sealNo: number;
  eventCount: number;
}

/**
 * Seals committed events in batches, without a lock on the hot path: each
 * seal takes every event whose transaction id lies at or above the previous
 * seal's watermark and below the oldest transaction still running, so no
 * late-committing event is ever passed over; then chains, signs, and writes
 * a checkpoint. The previous seal is the newest one the sealing keys made: a
 * seal inserted by anyone else is passed over (its events are sealed again,
 * genuinely), logged and counted once, and named by verification.
 */
@Injectable()
export class AuditSealer {
  private readonly logger = new Logger(AuditSealer.name);
  /** When a numbered checkpoint file was last kept (latest.json is rewritten on every seal). */
  private lastKept = 0;
  /** Seals passed over up to this number have been reported (forged seals only ever take the next number). */
  private reportedThrough = 0n;
  private readonly forgedSeals: Counter;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: AuditKeys,
    private readonly config: AppConfig,
    metrics: MetricsService,
  ) {
    this.forgedSeals = new Counter({
      name: 'audit_forged_seals_total',
      help: 'Seals found in the audit log that the sealing keys did not make (passed over by the sealer)',
      registers: [metrics.registry],
    });
  }

  async sealOnce(): Promise<SealResult | null> {
    const sealed = await this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [SEAL_LOCK]);
      if (!locked) return null;
      const { head: previous, lastNo } = await this.chainHead(manager);
      const [{ xmin }] = await manager.query(`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`);
      const from = previous?.tx_to ?? '0';
      // A backlog is sealed in parts, each ending at a transaction boundary.
      const [cut] = await manager.query(
        `SELECT tx::text FROM audit_events WHERE tx >= $1::xid8 AND tx < $2::xid8
          ORDER BY audit_events.tx OFFSET $3 LIMIT 1`,
        [from, xmin, this.config.audit.maxEventsPerSeal],
      );
      let watermark: string = xmin;
      if (cut) {
        // Nothing lies before the cut when the first transaction alone has more events than a seal takes: it
        // is sealed whole, else sealing would stop before it for good.
        const [{ first }] = await manager.query(
          `SELECT min(tx)::text AS first FROM audit_events WHERE tx >= $1::xid8 AND tx < $2::xid8`,
          [from, xmin],
        );
        watermark = cut.tx;
        if (first === cut.tx) {
          const [{ next }] = await manager.query(
            `SELECT min(tx)::text AS next FROM audit_events WHERE tx > $1::xid8 AND tx < $2::xid8`,
            [cut.tx, xmin],
          );
          watermark = next ?? xmin;
        }
      }
      if (BigInt(watermark) <= BigInt(from)) return null;
      const events: { seq: string; leaf: Buffer }[] = await manager.query(
        `SELECT e.seq::text AS seq, ${LEAF_SQL} AS leaf FROM audit_events e
          WHERE e.tx >= $1::xid8 AND e.tx < $2::xid8 ORDER BY e.seq`,
        [from, watermark],
      );
      if (events.length === 0) return null;
      const leaves = Buffer.concat(events.map((e) => e.leaf));
      const seal: NewSeal = {
        seal_no: String(lastNo + 1n),
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
      await manager.query(INSERT_SEAL, sealParameters(seal, hash, this.keys.sign(hash)));
      return { ...seal, hash };
    });
    if (!sealed) return null;
    await this.writeCheckpoint(this.checkpointOf(Number(sealed.seal_no), Number(sealed.total_events), sealed.hash));
    return { sealNo: Number(sealed.seal_no), eventCount: sealed.event_count };
  }

  /** The latest checkpoint: the head of the seal chain, signed now (within `manager`'s transaction if given). */
  async latestCheckpoint(manager = this.dataSource.manager): Promise<Checkpoint | null> {
    const { head } = await this.chainHead(manager);
    return head ? this.checkpointOf(Number(head.seal_no), Number(head.total_events), head.hash) : null;
  }

  /**
   * The newest seal the sealing keys made, looked for from the newest seal
   * down (usually the first one read), and the highest seal number, which
   * the next seal follows whoever took it. Seals passed over are reported.
   */
  private async chainHead(manager: EntityManager): Promise<ChainHead> {
    let lastNo: bigint | null = null;
    const foreign: { seal: SealHead; damage: string }[] = [];
    let head: SealHead | null = null;
    for (let below: string | null = null; ;) {
      // The newest alone first (usually the one): each row read has the digest of its numbers computed.
      const page = below === null ? 1 : HEAD_PAGE;
      const seals: SealHead[] = await manager.query(
        // Qualified: a bare `seal_no` would name the text output column and sort 9 after 10.
        `SELECT ${SEAL_HEAD_COLUMNS} FROM audit_seals WHERE $1::bigint IS NULL OR audit_seals.seal_no < $1::bigint
          ORDER BY audit_seals.seal_no DESC LIMIT ${page}`,
        [below],
      );
      for (const seal of seals) {
        lastNo ??= BigInt(seal.seal_no);
        const damage = sealDamage(seal, this.keys);
        if (!damage) {
          head = seal;
          break;
        }
        foreign.push({ seal, damage });
      }
      if (head || seals.length < page) break;
      below = seals[seals.length - 1].seal_no;
    }
    this.report(foreign, head);
    return { head, lastNo: lastNo ?? 0n };
  }

  private report(foreign: { seal: SealHead; damage: string }[], head: SealHead | null): void {
    const fresh = foreign.filter(({ seal }) => BigInt(seal.seal_no) > this.reportedThrough);
    if (fresh.length === 0) return;
    this.reportedThrough = BigInt(fresh[0].seal.seal_no);
    for (const { seal, damage } of fresh.reverse()) {
      this.forgedSeals.inc();
      this.logger.error(
        { sealNo: Number(seal.seal_no), problem: damage, continuesAfter: head ? Number(head.seal_no) : 0 },
        'a seal the sealing keys did not make is in the audit log: passed over, sealing goes on after the last genuine seal',
      );
    }
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

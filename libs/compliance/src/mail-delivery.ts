import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createTransport, type Transporter } from 'nodemailer';
import { Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';
import { AppConfig, MetricsService } from '@app/common';

const BATCH = 20;
const MAX_BACKOFF_SECONDS = 3_600;

interface Pending {
  id: string;
  recipient: string;
  subject: string;
  body: string;
  message_id: string;
  attempts: number;
}

/**
 * Delivers the e-mail outbox through SMTP (`SMTP_URL`; nothing is sent when
 * it is unset). Rows are claimed with FOR UPDATE SKIP LOCKED, so several
 * workers never send the same message at once; a row is marked sent in the
 * transaction that claimed it, so a crash between sending and committing
 * sends it again, with the same Message-ID (at least once). Failures are
 * retried with exponential backoff up to MAIL_MAX_ATTEMPTS.
 */
@Injectable()
export class MailDelivery implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(MailDelivery.name);
  private transport: Transporter | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    if (this.config.mail.smtpUrl) this.transport = createTransport(this.config.mail.smtpUrl);
    const dataSource = this.dataSource;
    const logger = this.logger;
    new Gauge({
      name: 'mail_outbox_backlog',
      help: 'E-mails waiting in the outbox',
      registers: [this.metrics.registry],
      async collect() {
        try {
          const [{ count }] = await dataSource.query(
            `SELECT count(*)::int AS count FROM mail_outbox WHERE status = 'pending'`,
          );
          this.set(count);
        } catch (error) {
          logger.warn({ err: error }, 'could not read the outbox backlog');
        }
      },
    });
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }

  get enabled(): boolean {
    return this.transport !== null;
  }

  /** Sends what is due, batch by batch; returns how many were sent. */
  async deliverDue(): Promise<number> {
    if (!this.transport) return 0;
    let sent = 0;
    for (;;) {
      const { claimed, delivered } = await this.deliverBatch(this.transport);
      sent += delivered;
      if (claimed < BATCH) return sent;
    }
  }

  private deliverBatch(transport: Transporter): Promise<{ claimed: number; delivered: number }> {
    return this.dataSource.transaction(async (manager) => {
      const rows: Pending[] = await manager.query(
        `SELECT id, recipient, subject, body, message_id, attempts FROM mail_outbox
          WHERE status = 'pending' AND next_attempt_at <= now()
          ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [BATCH],
      );
      let delivered = 0;
      for (const row of rows) {
        try {
          await transport.sendMail({
            from: this.config.mail.from,
            to: row.recipient,
            subject: row.subject,
            text: row.body,
            messageId: row.message_id,
          });
          await manager.query(
            `UPDATE mail_outbox SET status = 'sent', sent_at = now(), attempts = attempts + 1 WHERE id = $1`,
            [row.id],
          );
          delivered += 1;
        } catch (error) {
          const attempts = row.attempts + 1;
          const failed = attempts >= this.config.mail.maxAttempts;
          const backoff = Math.min(MAX_BACKOFF_SECONDS, 30 * 2 ** (attempts - 1));
          // The error names the SMTP failure, never the message.
          const reason = error instanceof Error ? error.message.slice(0, 300) : 'unknown error';
          await manager.query(
            `UPDATE mail_outbox SET attempts = $2, status = $3, last_error = $4,
                    next_attempt_at = now() + make_interval(secs => $5) WHERE id = $1`,
            [row.id, attempts, failed ? 'failed' : 'pending', reason, backoff],
          );
          this.logger.warn({ outboxId: row.id, attempts, failed }, 'e-mail not delivered');
        }
      }
      return { claimed: rows.length, delivered };
    });
  }
}

import { Check, Column, Entity, Index, JoinColumn, OneToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { InboxItem } from './inbox-item.entity';

/**
 * The e-mail outbox: written in the transaction that creates the inbox
 * item, delivered by the worker with retries. `messageId` is fixed when the
 * row is written, so a message re-sent after a crash is recognisably the same.
 */
@Entity({ name: 'mail_outbox' })
@Check('mail_outbox_status_check', `"status" IN ('pending', 'sent', 'failed')`)
@Index('mail_outbox_pending_idx', ['nextAttemptAt'], { where: `status = 'pending'` })
export class MailMessage {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  inboxItemId: string;

  @OneToOne(() => InboxItem, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'inbox_item_id' })
  inboxItem?: Relation<InboxItem>;

  @Column({ type: 'text' })
  recipient: string;

  @Column({ type: 'text' })
  subject: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'text', unique: true })
  messageId: string;

  @Column({ type: 'text', default: 'pending' })
  status: 'pending' | 'sent' | 'failed';

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}

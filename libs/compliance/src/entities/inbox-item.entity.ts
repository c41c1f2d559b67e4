import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, Unique } from 'typeorm';
import { User } from '@app/identity';
import { Alert } from './alert.entity';

/**
 * A reminder in one user's inbox: a new alert (`kind` is the alert's) or a
 * check-in falling due (`check_in_due`, source: the measure). Unique per
 * user, kind, source and due date, so a scan repeated never repeats it.
 */
@Entity({ name: 'inbox_items' })
@Unique('inbox_items_user_kind_source_due_key', ['userId', 'kind', 'sourceId', 'dueDate'])
@Index('inbox_items_user_idx', ['userId', 'createdAt'])
export class InboxItem {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'text' })
  kind: string;

  @Column({ type: 'uuid', nullable: true })
  alertId: string | null;

  @ManyToOne(() => Alert, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'alert_id' })
  alert?: Relation<Alert>;

  @Column({ type: 'uuid' })
  personId: string;

  @Column({ type: 'uuid' })
  sourceId: string;

  @Column({ type: 'date' })
  dueDate: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  readAt: Date | null;
}

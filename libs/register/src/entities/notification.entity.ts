import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  VersionColumn,
} from 'typeorm';
import { Person } from './person.entity';

export const NOTIFICATION_KINDS = ['residence_change', 'workplace_change', 'travel_abroad'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** A notice given by the person: a change of residence or workplace, or travel abroad. */
@Entity({ name: 'notifications' })
@Check('notifications_kind_check', `"kind" IN ('residence_change', 'workplace_change', 'travel_abroad')`)
@Check(
  'notifications_void_check',
  `("voided_at" IS NULL) = ("voided_by" IS NULL) AND ("voided_at" IS NULL) = ("void_reason" IS NULL)`,
)
@Check(
  'notifications_return_check',
  `("returned_on" IS NULL) = ("return_recorded_by" IS NULL) AND ("returned_on" IS NULL) = ("return_recorded_at" IS NULL) AND ("returned_on" IS NULL OR "kind" = 'travel_abroad')`,
)
@Index(['personId', 'notifiedAt'])
export class Notification {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  personId: string;

  @ManyToOne(() => Person, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<Person>;

  @Column({ type: 'text' })
  kind: NotificationKind;

  @Column({ type: 'timestamptz' })
  notifiedAt: Date;

  @Column({ type: 'date' })
  effectiveOn: string;

  @Column({ type: 'jsonb' })
  details: Record<string, unknown>;

  /** The last day on which the notice was on time. */
  @Column({ type: 'date' })
  deadline: string;

  @Column({ type: 'boolean' })
  onTime: boolean;

  /** The address or workplace the notice recorded, if any. */
  @Column({ type: 'uuid', nullable: true })
  recordedPartId: string | null;

  @Column({ type: 'uuid' })
  recordedBy: string;

  /** Travel abroad: the day the person came back, once recorded. */
  @Column({ type: 'date', nullable: true })
  returnedOn: string | null;

  @Column({ type: 'uuid', nullable: true })
  returnRecordedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  returnRecordedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  voidedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  voidedBy: string | null;

  @Column({ type: 'text', nullable: true })
  voidReason: string | null;

  @VersionColumn({ default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  Unique,
  VersionColumn,
} from 'typeorm';
import { PoliceAdministration, UiksOffice } from '@app/identity';

export const ALERT_KINDS = [
  'missed_check_in',
  'late_notification',
  'breach',
  'transfer_in',
  'transfer_out',
  'measure_ending',
  'arrival',
  'release_unprepared',
  'prohibited_employment',
  'travel_return_overdue',
  'whereabouts_unknown',
  'missed_counselling',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/**
 * Something an officer must act on. One per (kind, source, due date): the
 * same missed period, late notice, breach or transfer never raises two,
 * whatever the number of workers.
 */
@Entity({ name: 'alerts' })
@Unique('alerts_kind_source_due_key', ['kind', 'sourceId', 'dueDate'])
@Check(
  'alerts_kind_check',
  `"kind" IN ('missed_check_in', 'late_notification', 'breach', 'transfer_in', 'transfer_out', 'measure_ending', 'arrival', 'release_unprepared', 'prohibited_employment', 'travel_return_overdue', 'whereabouts_unknown', 'missed_counselling')`,
)
@Check('alerts_status_check', `"status" IN ('open', 'acknowledged', 'resolved')`)
@Check(
  'alerts_workflow_check',
  `("status" = 'open' OR "acknowledged_at" IS NOT NULL) AND ("status" = 'resolved') = ("resolved_at" IS NOT NULL)`,
)
@Index('alerts_queue_idx', ['status', 'policeAdministration', 'raisedAt'])
@Index(['personId'])
export class Alert {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  kind: AlertKind;

  @Column({ type: 'uuid' })
  personId: string;

  // By entity name: the register builds on compliance, not the other way round.
  @ManyToOne('Person', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: unknown;

  @Column({ type: 'uuid', nullable: true })
  measureId: string | null;

  @ManyToOne('Measure', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'measure_id' })
  measure?: unknown;

  /** The measure, notification, breach or transfer that raised it. */
  @Column({ type: 'uuid' })
  sourceId: string;

  @Column({ type: 'date' })
  dueDate: string;

  /** The administration that must act; null only when the person has none yet. */
  @Column({ type: 'text', nullable: true })
  policeAdministration: string | null;

  @ManyToOne(() => PoliceAdministration, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'police_administration', referencedColumnName: 'code' })
  administration?: Relation<PoliceAdministration>;

  /** The UIKS office whose clerks must act, when it is raised for one. */
  @Column({ type: 'text', nullable: true })
  office: string | null;

  @ManyToOne(() => UiksOffice, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'office', referencedColumnName: 'code' })
  uiksOffice?: Relation<UiksOffice>;

  @Column({ type: 'text', default: 'open' })
  status: AlertStatus;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  raisedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  acknowledgedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  acknowledgedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  resolvedBy: string | null;

  @Column({ type: 'text', nullable: true })
  resolution: string | null;

  @VersionColumn({ default: 1 })
  version: number;

  /**
   * The transaction that raised it (the database sets it): the audit event
   * written in it has the same `tx` (the case file's link from an alert to
   * its event). Null for alerts raised before it was kept.
   */
  @Column({
    type: 'bigint',
    nullable: true,
    default: () => 'current_transaction_number()',
    select: false,
    insert: false,
    update: false,
  })
  raisedTx?: string | null;
}

import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Alert } from '@app/compliance';
import { Breach } from './breach.entity';
import { Person } from './person.entity';

/**
 * One item of a referral: an alert (compliance's) or a breach of the person,
 * exactly one of the two. `personId` repeats the referral's, so the items are
 * reached through the person like every other part.
 */
@Entity({ name: 'referral_items' })
@Check('referral_items_one_item_check', `("alert_id" IS NULL) <> ("breach_id" IS NULL)`)
@Index(['referralId'])
@Index('referral_items_alert_idx', ['alertId'], { where: 'alert_id IS NOT NULL' })
@Index('referral_items_breach_idx', ['breachId'], { where: 'breach_id IS NOT NULL' })
export class ReferralItem {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  referralId: string;

  // By entity name: the referral names its items (no import cycle between the two files).
  @ManyToOne('Referral', 'items', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'referral_id' })
  referral?: unknown;

  @Column({ type: 'uuid' })
  personId: string;

  @ManyToOne(() => Person, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<Person>;

  @Column({ type: 'uuid', nullable: true })
  alertId: string | null;

  @ManyToOne(() => Alert, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'alert_id' })
  alert?: Relation<Alert>;

  @Column({ type: 'uuid', nullable: true })
  breachId: string | null;

  @ManyToOne(() => Breach, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'breach_id' })
  breach?: Relation<Breach>;
}

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
} from 'typeorm';
import { PoliceAdministration } from '@app/identity';
import { Person } from './person.entity';

/**
 * A person announced as arriving in another police administration, by a
 * clerk or the administration the person is in: until it is used or lapses,
 * that administration's officers may record the person's new address there.
 */
@Entity({ name: 'arrivals' })
@Check('arrivals_closed_check', `("closed_at" IS NULL) = ("recorded_address_id" IS NULL)`)
@Index(['personId', 'policeAdministration'])
export class Arrival {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  personId: string;

  @ManyToOne(() => Person, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<Person>;

  /** Where the person is arriving. */
  @Column({ type: 'text' })
  policeAdministration: string;

  @ManyToOne(() => PoliceAdministration, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'police_administration', referencedColumnName: 'code' })
  administration?: Relation<PoliceAdministration>;

  /** The last day the announcement lets an address be recorded. */
  @Column({ type: 'date' })
  validUntil: string;

  @Column({ type: 'uuid' })
  announcedBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  announcedAt: Date;

  /** Set when the new address was recorded (the announcement is spent). */
  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  recordedAddressId: string | null;
}

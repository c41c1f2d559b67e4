import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Person } from './person.entity';

/** Every change to a person or a part of one, with who, when, why, before and after. Append-only. */
@Entity({ name: 'person_history' })
@Index(['personId', 'at'])
/** The parts changed since a moment (statistics as of a day read their state before it). */
@Index('person_history_part_at_idx', ['part', 'at'])
export class PersonHistoryEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  personId: string;

  @ManyToOne(() => Person, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<Person>;

  /** Which part changed: `person`, `address`, `measure`, ... */
  @Column({ type: 'text' })
  part: string;

  @Column({ type: 'uuid' })
  partId: string;

  @Column({ type: 'timestamptz', default: () => 'clock_timestamp()' })
  at: Date;

  @Column({ type: 'jsonb' })
  actor: Record<string, unknown>;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /** `create`, `update`, `void`, `transfer`, ... */
  @Column({ type: 'text' })
  change: string;

  @Column({ type: 'jsonb', nullable: true })
  before: Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true })
  after: Record<string, unknown> | null;
}

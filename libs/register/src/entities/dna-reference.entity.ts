import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  OneToOne,
  PrimaryColumn,
  type Relation,
  VersionColumn,
} from 'typeorm';
import { Person } from './person.entity';

/** A reference into the national DNA database (never the profile itself). Clerks only. */
@Entity({ name: 'dna_references' })
@Check('dna_references_collected_on_check', `"collected_on" <= CURRENT_DATE`)
export class DnaReference {
  @PrimaryColumn({ type: 'uuid' })
  personId: string;

  @OneToOne(() => Person, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<Person>;

  @Column({ type: 'text' })
  laboratory: string;

  @Column({ type: 'text' })
  sampleId: string;

  @Column({ type: 'text' })
  profileReference: string;

  @Column({ type: 'date' })
  collectedOn: string;

  @VersionColumn({ default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

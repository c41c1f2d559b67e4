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

export interface DistinguishingMark {
  bodyPart: string;
  description: string;
}

/** Height, build, eyes, hair and marks (birthmarks, scars, tattoos). */
@Entity({ name: 'physical_descriptions' })
@Check('physical_descriptions_height_check', `"height_cm" BETWEEN 50 AND 250`)
@Check('physical_descriptions_weight_check', `"weight_kg" IS NULL OR "weight_kg" BETWEEN 20 AND 400`)
export class PhysicalDescription {
  @PrimaryColumn({ type: 'uuid' })
  personId: string;

  @OneToOne(() => Person, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<Person>;

  @Column({ type: 'integer' })
  heightCm: number;

  @Column({ type: 'integer', nullable: true })
  weightKg: number | null;

  @Column({ type: 'text' })
  eyeColour: string;

  @Column({ type: 'text' })
  hairColour: string;

  @Column({ type: 'text', nullable: true })
  build: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  distinguishingMarks: DistinguishingMark[];

  @VersionColumn({ default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

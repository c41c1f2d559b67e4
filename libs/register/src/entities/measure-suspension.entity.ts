import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Measure } from './measure.entity';

/** A time a measure was suspended: from `fromOn` up to (not including) `toOn`, open while suspended. */
@Entity({ name: 'measure_suspensions' })
@Check('measure_suspensions_dates_check', `"to_on" IS NULL OR "to_on" >= "from_on"`)
@Index('measure_suspensions_open_key', ['measureId'], { unique: true, where: 'to_on IS NULL' })
@Index(['measureId', 'fromOn'])
export class MeasureSuspension {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  measureId: string;

  @ManyToOne(() => Measure, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'measure_id' })
  measure?: Relation<Measure>;

  @Column({ type: 'date' })
  fromOn: string;

  @Column({ type: 'date', nullable: true })
  toOn: string | null;
}

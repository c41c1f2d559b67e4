import {
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
import { Address } from './address.entity';
import { Person } from './person.entity';

/** Responsibility for a person moving with the permanent residence from one administration to another. */
@Entity({ name: 'transfers' })
@Index(['personId', 'effectiveOn'])
export class Transfer {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  personId: string;

  @ManyToOne(() => Person, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<Person>;

  /** The new permanent address that caused it. */
  @Column({ type: 'uuid' })
  addressId: string;

  @ManyToOne(() => Address, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'address_id' })
  address?: Relation<Address>;

  @Column({ type: 'text' })
  fromAdministration: string;

  @ManyToOne(() => PoliceAdministration, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'from_administration', referencedColumnName: 'code' })
  from?: Relation<PoliceAdministration>;

  @Column({ type: 'text' })
  toAdministration: string;

  @ManyToOne(() => PoliceAdministration, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'to_administration', referencedColumnName: 'code' })
  to?: Relation<PoliceAdministration>;

  @Column({ type: 'date' })
  effectiveOn: string;

  @Column({ type: 'uuid' })
  recordedBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

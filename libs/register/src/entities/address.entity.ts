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
import { PoliceAdministration } from '@app/identity';
import { Person } from './person.entity';

export const ADDRESS_KINDS = ['permanent', 'temporary'] as const;
export type AddressKind = (typeof ADDRESS_KINDS)[number];

/**
 * A permanent (prebivalište) or temporary (boravište) residence, with
 * history: a new one closes the current one of its kind.
 */
@Entity({ name: 'addresses' })
@Check('addresses_kind_check', `"kind" IN ('permanent', 'temporary')`)
@Check('addresses_validity_check', `"valid_to" IS NULL OR "valid_to" >= "valid_from"`)
@Index('addresses_current_key', ['personId', 'kind'], { unique: true, where: 'valid_to IS NULL' })
@Index(['personId', 'validFrom'])
// GiST over ll_to_earth(latitude, longitude) of the current addresses with coordinates (migration ProximityPairs).
@Index('addresses_location_idx', { synchronize: false })
@Check(
  'addresses_coordinates_check',
  `("latitude" IS NULL) = ("longitude" IS NULL) AND ("latitude" IS NULL OR "latitude" BETWEEN -90 AND 90) AND ("longitude" IS NULL OR "longitude" BETWEEN -180 AND 180)`,
)
export class Address {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  personId: string;

  @ManyToOne(() => Person, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<Person>;

  @Column({ type: 'text' })
  kind: AddressKind;

  @Column({ type: 'text' })
  street: string;

  @Column({ type: 'text' })
  city: string;

  @Column({ type: 'text' })
  postalCode: string;

  @Column({ type: 'text' })
  policeAdministration: string;

  @ManyToOne(() => PoliceAdministration, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'police_administration', referencedColumnName: 'code' })
  administration?: Relation<PoliceAdministration>;

  @Column({ type: 'date' })
  validFrom: string;

  /** Set when a newer address of the same kind replaces this one. */
  @Column({ type: 'date', nullable: true })
  validTo: string | null;

  /** Where it lies (WGS 84), both or neither: what the ban on places with minors is checked against. */
  @Column({ type: 'double precision', nullable: true })
  latitude: number | null;

  @Column({ type: 'double precision', nullable: true })
  longitude: number | null;

  @VersionColumn({ default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

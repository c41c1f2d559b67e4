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

/** Employment, with history: a new workplace closes the current one. */
@Entity({ name: 'workplaces' })
@Check('workplaces_validity_check', `"valid_to" IS NULL OR "valid_to" >= "valid_from"`)
@Index('workplaces_current_key', ['personId'], { unique: true, where: 'valid_to IS NULL' })
@Index(['personId', 'validFrom'])
// GiST over ll_to_earth(latitude, longitude) of the current workplaces with coordinates (migration ProximityPairs).
@Index('workplaces_location_idx', { synchronize: false })
@Check(
  'workplaces_coordinates_check',
  `("latitude" IS NULL) = ("longitude" IS NULL) AND ("latitude" IS NULL OR "latitude" BETWEEN -90 AND 90) AND ("longitude" IS NULL OR "longitude" BETWEEN -180 AND 180)`,
)
export class Workplace {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  personId: string;

  @ManyToOne(() => Person, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<Person>;

  @Column({ type: 'text' })
  employer: string;

  @Column({ type: 'text' })
  address: string;

  /** The work involves minors: what the law forbids after such a conviction. */
  @Column({ type: 'boolean' })
  involvesMinors: boolean;

  /** The workplace is a public office: what the ban on acquiring public office forbids. */
  @Column({ type: 'boolean', default: false })
  publicOffice: boolean;

  @Column({ type: 'date' })
  validFrom: string;

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

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
import { Notification } from './notification.entity';
import { Person } from './person.entity';

/** The ways data on offenders goes abroad. */
export const DISCLOSURE_CHANNELS = ['interpol', 'europol', 'bilateral'] as const;
export type DisclosureChannel = (typeof DISCLOSURE_CHANNELS)[number];

/** The parts of a person a disclosure may carry, in the order the package and its PDF show them. */
export const DISCLOSURE_FIELDS = [
  'identity',
  'photos',
  'description',
  'dna_reference',
  'convictions',
  'measures',
  'travel_notices',
] as const;
export type DisclosureField = (typeof DISCLOSURE_FIELDS)[number];

/**
 * Data on a person sent to an authority abroad: to whom, through which
 * channel, on what legal basis, and the package itself as sent (canonical
 * JSON, with its SHA-256). Kept as the record of what left the register:
 * never changed or deleted (the runtime role may only insert and read).
 */
@Entity({ name: 'disclosures' })
@Check('disclosures_channel_check', `"channel" IN ('interpol', 'europol', 'bilateral')`)
@Check('disclosures_country_check', `"recipient_country" ~ '^[A-Z]{2}$'`)
@Check(
  'disclosures_fields_check',
  `cardinality("fields") > 0 AND "fields" <@ ARRAY['identity', 'photos', 'description', 'dna_reference', 'convictions', 'measures', 'travel_notices']::text[]`,
)
@Check('disclosures_sha256_check', `"package_sha256" ~ '^[0-9a-f]{64}$'`)
@Index(['personId', 'createdAt'])
@Index(['createdAt'])
export class Disclosure {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  personId: string;

  @ManyToOne(() => Person, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<Person>;

  /** The authority abroad the package went to. */
  @Column({ type: 'text' })
  recipientAuthority: string;

  /** Its country, ISO 3166-1 alpha-2. */
  @Column({ type: 'text' })
  recipientCountry: string;

  @Column({ type: 'text' })
  channel: DisclosureChannel;

  @Column({ type: 'text' })
  legalBasis: string;

  @Column({ type: 'text' })
  caseReference: string;

  /** The parts chosen, in DISCLOSURE_FIELDS order. */
  @Column({ type: 'text', array: true })
  fields: DisclosureField[];

  /** SHA-256 (hex) of the package's canonical JSON. */
  @Column({ type: 'text' })
  packageSha256: string;

  /** The package as sent; read only for its download, never with the list. */
  @Column({ type: 'jsonb', select: false })
  package: object;

  /** The travel-abroad notice the disclosure was prepared from, if any (a notice of the same person). */
  @Column({ type: 'uuid', nullable: true })
  travelNoticeId: string | null;

  @ManyToOne(() => Notification, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'travel_notice_id' })
  travelNotice?: Relation<Notification>;

  @Column({ type: 'uuid' })
  createdBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

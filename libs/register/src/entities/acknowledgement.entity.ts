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

export const FORM_CONTENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type FormContentType = (typeof FORM_CONTENT_TYPES)[number];

/**
 * The person was told the duties of some of their measures and signed a form
 * saying so; the scan is kept with its SHA-256. Voided, never deleted, when
 * recorded by mistake.
 */
@Entity({ name: 'acknowledgements' })
@Check(
  'acknowledgements_void_check',
  `("voided_at" IS NULL) = ("voided_by" IS NULL) AND ("voided_at" IS NULL) = ("void_reason" IS NULL)`,
)
@Check('acknowledgements_measure_ids_check', `cardinality("measure_ids") > 0`)
@Check(
  'acknowledgements_form_content_type_check',
  `"form_content_type" IN ('application/pdf', 'image/jpeg', 'image/png')`,
)
@Check('acknowledgements_form_size_check', `"form_size_bytes" > 0`)
@Index(['personId', 'explainedOn'])
export class Acknowledgement {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  personId: string;

  @ManyToOne(() => Person, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<Person>;

  /** The measures whose duties were explained (each one of this person's). */
  @Column({ type: 'uuid', array: true })
  measureIds: string[];

  @Column({ type: 'date' })
  explainedOn: string;

  /** Who explained them: name and function. */
  @Column({ type: 'text' })
  explainedBy: string;

  @Column({ type: 'text' })
  formContentType: FormContentType;

  /** SHA-256 of the form's bytes, hex. */
  @Column({ type: 'text' })
  formSha256: string;

  @Column({ type: 'integer' })
  formSizeBytes: number;

  @Column({ type: 'bytea', select: false })
  form: Buffer;

  @Column({ type: 'uuid' })
  recordedBy: string;

  @Column({ type: 'timestamptz', nullable: true })
  voidedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  voidedBy: string | null;

  @Column({ type: 'text', nullable: true })
  voidReason: string | null;

  @VersionColumn({ default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

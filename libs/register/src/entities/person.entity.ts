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
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { User } from '@app/identity';

export const ID_DOCUMENT_TYPES = ['passport', 'id_card', 'residence_permit', 'other'] as const;
export type IdDocumentType = (typeof ID_DOCUMENT_TYPES)[number];

/** A registered person. Never deleted; corrections are new versions with a reason in the history. */
@Entity({ name: 'persons' })
@Check('persons_sex_check', `"sex" IN ('M', 'F')`)
@Check('persons_citizenship_check', `"citizenship" ~ '^[A-Z]{2}$'`)
@Check('persons_jmbg_check', `"jmbg" IS NULL OR "jmbg" ~ '^[0-9]{13}$'`)
@Check(
  'persons_identifier_check',
  `("citizenship" = 'RS' AND "jmbg" IS NOT NULL) OR ("citizenship" <> 'RS' AND ("jmbg" IS NOT NULL OR "id_document_number" IS NOT NULL))`,
)
@Check(
  'persons_id_document_check',
  `("id_document_type" IS NULL) = ("id_document_number" IS NULL) AND ("id_document_type" IS NULL) = ("id_document_country" IS NULL)`,
)
@Index('persons_jmbg_key', ['jmbg'], { unique: true, where: 'jmbg IS NOT NULL' })
@Index('persons_id_document_key', ['idDocumentType', 'idDocumentNumber', 'idDocumentCountry'], {
  unique: true,
  where: 'id_document_number IS NOT NULL',
})
// The array index, created by the migration (names are searched through `person_name_words`, kept by a trigger).
@Index('persons_regions_idx', { synchronize: false })
export class Person {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  surname: string;

  @Column({ type: 'text' })
  givenNames: string;

  @Column({ type: 'text', nullable: true })
  parentNames: string | null;

  @Column({ type: 'text', nullable: true })
  jmbg: string | null;

  @Column({ type: 'text', nullable: true })
  idDocumentType: IdDocumentType | null;

  @Column({ type: 'text', nullable: true })
  idDocumentNumber: string | null;

  @Column({ type: 'text', nullable: true })
  idDocumentCountry: string | null;

  @Column({ type: 'date' })
  dateOfBirth: string;

  @Column({ type: 'text' })
  placeOfBirth: string;

  @Column({ type: 'text' })
  sex: 'M' | 'F';

  @Column({ type: 'text' })
  citizenship: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  aliases: string[];

  @Column({ type: 'uuid', nullable: true })
  managingOfficerId: string | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'managing_officer_id' })
  managingOfficer?: Relation<User>;

  /** Folded names (surname, given names, aliases) for script- and diacritic-insensitive search. */
  @Column({ type: 'text' })
  searchKey: string;

  @Column({ type: 'text' })
  surnameKey: string;

  /** Police administrations the person is "in" (current addresses, active measures' reportTo). */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  regions: string[];

  @VersionColumn({ default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

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

export const VICTIM_AGES = ['child', 'minor'] as const;
export const SENTENCE_KINDS = ['imprisonment', 'house_arrest', 'fine', 'community_service', 'suspended'] as const;
export type VictimAge = (typeof VICTIM_AGES)[number];
export type SentenceKind = (typeof SENTENCE_KINDS)[number];

export interface ConvictedOffence {
  article: string;
  paragraph: number | null;
}

/** A final judgment for offences against a minor's sexual freedom. */
@Entity({ name: 'convictions' })
@Check('convictions_dates_check', `"finality_date" >= "judgment_date"`)
@Check('convictions_release_check', `"release_date" IS NULL OR "release_date" >= "judgment_date"`)
@Check('convictions_victim_age_check', `"victim_age" IN ('child', 'minor')`)
@Check(
  'convictions_sentence_kind_check',
  `"sentence_kind" IN ('imprisonment', 'house_arrest', 'fine', 'community_service', 'suspended')`,
)
@Check('convictions_sentence_months_check', `"sentence_months" IS NULL OR "sentence_months" BETWEEN 1 AND 600`)
@Check(
  'convictions_custody_check',
  `"sentence_kind" = 'imprisonment' OR ("custody_from" IS NULL AND "released_on" IS NULL)`,
)
@Check(
  'convictions_released_check',
  `("released_on" IS NULL) = ("release_facility" IS NULL) AND ("released_on" IS NULL OR "released_on" >= coalesce("custody_from", "judgment_date"))`,
)
@Index(['personId'])
export class Conviction {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  personId: string;

  @ManyToOne(() => Person, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<Person>;

  @Column({ type: 'text' })
  court: string;

  @Column({ type: 'text' })
  caseNumber: string;

  @Column({ type: 'date' })
  judgmentDate: string;

  @Column({ type: 'date' })
  finalityDate: string;

  @Column({ type: 'jsonb' })
  offences: ConvictedOffence[];

  @Column({ type: 'text' })
  victimAge: VictimAge;

  @Column({ type: 'text' })
  sentenceKind: SentenceKind;

  @Column({ type: 'integer', nullable: true })
  sentenceMonths: number | null;

  /** The expected release (imprisonment), from which the law's limits are counted until the actual one is known. */
  @Column({ type: 'date', nullable: true })
  releaseDate: string | null;

  /** When custody for this imprisonment began (null: the finality date). */
  @Column({ type: 'date', nullable: true })
  custodyFrom: string | null;

  /** The actual release, the first day free, as a clerk recorded it. */
  @Column({ type: 'date', nullable: true })
  releasedOn: string | null;

  /** The facility the person was released from. */
  @Column({ type: 'text', nullable: true })
  releaseFacility: string | null;

  @VersionColumn({ default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

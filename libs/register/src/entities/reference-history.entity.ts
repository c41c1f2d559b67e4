import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const REFERENCE_KINDS = ['uiks_office', 'offence', 'place', 'counselling_institution'] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

/** Every change of reference data (a UIKS office, an offence, a counselling institution, a place), with who, when, why, before and after. Append-only. */
@Entity({ name: 'reference_history' })
@Index(['kind', 'key', 'at'])
@Check('reference_history_kind_check', `"kind" IN ('uiks_office', 'offence', 'place', 'counselling_institution')`)
export class ReferenceHistoryEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  kind: ReferenceKind;

  /** The office's or the institution's code, the offence's article or the place's id. */
  @Column({ type: 'text' })
  key: string;

  @Column({ type: 'jsonb' })
  actor: Record<string, unknown>;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /** `create` or `update`. */
  @Column({ type: 'text' })
  change: string;

  @Column({ type: 'jsonb', nullable: true })
  before: Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true })
  after: Record<string, unknown> | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;
}

import { Check, Column, Entity, PrimaryColumn, VersionColumn } from 'typeorm';

/**
 * An institution where persons under a counselling measure attend (a centre
 * for social work, a health centre's counselling service, ...): reference
 * data, seeded by a migration and edited by admins with history.
 */
@Entity({ name: 'counselling_institutions' })
@Check('counselling_institutions_code_check', `"code" ~ '^[A-Z]{2,5}(-[A-Z]+)+$'`)
@Check('counselling_institutions_name_check', `length("name") BETWEEN 1 AND 200`)
@Check('counselling_institutions_city_check', `length("city") BETWEEN 1 AND 100`)
export class CounsellingInstitution {
  /** E.g. `CSR-NIS` (centre for social work, Niš). */
  @PrimaryColumn({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  city: string;

  /** An inactive institution takes no new counselling measures. */
  @Column({ type: 'boolean', default: true })
  active: boolean;

  @VersionColumn({ default: 1 })
  version: number;
}

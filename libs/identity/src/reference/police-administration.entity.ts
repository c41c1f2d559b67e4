import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** One of the 27 police administrations (reference data, seeded by a migration). */
@Entity({ name: 'police_administrations' })
@Check('police_administrations_code_check', `"code" ~ '^PU-[A-Z]+(-[A-Z]+)*$'`)
export class PoliceAdministration {
  @PrimaryColumn({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  name: string;
}

import { Check, Column, Entity, PrimaryColumn, VersionColumn } from 'typeorm';

/**
 * An office of the probation service (Poverenička služba) of the
 * Administration for Enforcement of Criminal Sanctions (UIKS): reference data,
 * seeded by a migration and edited by admins with history. A person reports
 * to the office serving a police administration of their addresses.
 */
@Entity({ name: 'uiks_offices' })
@Check('uiks_offices_code_check', `"code" ~ '^UIKS-[A-Z]+(-[A-Z]+)*$'`)
@Check('uiks_offices_name_check', `length("name") BETWEEN 1 AND 200`)
export class UiksOffice {
  @PrimaryColumn({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  name: string;

  /** The police administrations it serves (each a known code, checked by a trigger). */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  policeAdministrations: string[];

  /** An inactive office serves no one and takes no new clerks. */
  @Column({ type: 'boolean', default: true })
  active: boolean;

  @VersionColumn({ default: 1 })
  version: number;
}

import { Column, Entity, PrimaryColumn, VersionColumn } from 'typeorm';

/** An offence of the Criminal Code covered by the law (reference data, seeded by a migration, edited by admins). */
@Entity({ name: 'offences' })
export class Offence {
  /** The article, e.g. `180` or `185a`. */
  @PrimaryColumn({ type: 'text' })
  article: string;

  @Column({ type: 'text' })
  title: string;

  /** Paragraphs of the article that are covered; empty: the whole article. */
  @Column({ type: 'integer', array: true, default: () => "'{}'" })
  paragraphs: number[];

  /**
   * Covered only when the victim is a juvenile (the article is about anyone);
   * false for the articles that are by definition about a child or a minor.
   */
  @Column({ type: 'boolean', default: true })
  juvenileOnly: boolean;

  @VersionColumn({ default: 1 })
  version: number;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An offence of the Criminal Code covered by the law (reference data, seeded by a migration). */
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
}

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
import { Person } from './person.entity';

/** A photograph, stored in the database with the rest of the record (transactional, never deleted). */
@Entity({ name: 'photos' })
@Check('photos_content_type_check', `"content_type" IN ('image/jpeg', 'image/png')`)
@Check('photos_size_check', `"size_bytes" BETWEEN 1 AND 5242880`)
@Index(['personId', 'takenAt'])
export class Photo {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  personId: string;

  @ManyToOne(() => Person, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<Person>;

  @Column({ type: 'text' })
  contentType: 'image/jpeg' | 'image/png';

  @Column({ type: 'integer' })
  sizeBytes: number;

  /** SHA-256 of the bytes, hex. */
  @Column({ type: 'text' })
  sha256: string;

  @Column({ type: 'bytea', select: false })
  data: Buffer;

  @CreateDateColumn({ type: 'timestamptz' })
  takenAt: Date;
}

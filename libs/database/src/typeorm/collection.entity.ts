import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row per collection; `data` holds the rest of the collection JSON (fields, rules, options). */
@Entity({ name: '_collections' })
export class CollectionEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text', unique: true })
  name!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'boolean', default: false })
  system!: boolean;

  @Column({ type: 'text', default: '{}' })
  data!: string;

  @Column({ type: 'text' })
  created!: string;

  @Column({ type: 'text' })
  updated!: string;
}

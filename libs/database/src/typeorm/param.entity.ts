import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Key/value application parameters, e.g. `settings`. */
@Entity({ name: '_params' })
export class ParamEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text', default: 'null' })
  value!: string;

  @Column({ type: 'text' })
  created!: string;

  @Column({ type: 'text' })
  updated!: string;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';
import { moneyColumn } from '@coffee/database';

/**
 * A subscription plan. Platform-wide reference data (not tenant-owned), seeded
 * by a migration. A null limit means unlimited.
 */
@Entity({ name: 'plans' })
export class PlanEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  code!: string;

  @Column({ type: 'varchar', length: 80 })
  name!: string;

  /** Minor units (cents). */
  @Column(moneyColumn())
  priceMonthly!: number;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  @Column({ type: 'int', nullable: true })
  maxUsers!: number | null;

  @Column({ type: 'int', nullable: true })
  maxMenuItems!: number | null;

  @Column({ type: 'int', nullable: true })
  maxOrdersPerMonth!: number | null;

  @Column({ type: 'int', nullable: true })
  maxApiKeys!: number | null;

  /** Feature codes, comma-separated in a TEXT column: the same on MariaDB and SQLite. */
  @Column({ type: 'simple-array' })
  features!: string[];

  @Column({ type: 'int', default: 0 })
  position!: number;
}

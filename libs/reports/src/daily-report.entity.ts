import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The stored daily report of a restaurant and local date; generating it again replaces it. */
@Entity({ name: 'daily_reports' })
export class DailyReportEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  restaurantId!: string;

  @PrimaryColumn({ type: 'varchar', length: 10 })
  businessDate!: string;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  /** The report's numbers as JSON (a SalesReport): written and read whole, never queried inside. */
  @Column({ type: 'text' })
  report!: string;

  @Column({ type: 'datetime', precision: 6 })
  generatedAt!: Date;
}

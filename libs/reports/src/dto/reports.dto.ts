import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const DATE_MESSAGE = (field: string): string => `${field} must be a date written YYYY-MM-DD`;

export class DashboardQueryDto {
  @ApiPropertyOptional({
    example: '2026-03-01',
    description: "First local date (restaurant's time zone); default today",
  })
  @IsOptional()
  @IsString()
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE('from') })
  from?: string;

  @ApiPropertyOptional({ example: '2026-03-31', description: 'Last local date, included; default today' })
  @IsOptional()
  @IsString()
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE('to') })
  to?: string;
}

export class DailyReportRequestDto {
  @ApiProperty({ example: '2026-03-01', description: "A past or current local date (restaurant's time zone)" })
  @IsString()
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE('date') })
  date!: string;
}

class CategorySalesResponse {
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'null: lines without a recorded category' })
  categoryId!: string | null;
  @ApiProperty({ description: "The category's current name (deleted ones keep theirs)" }) name!: string;
  @ApiProperty({ description: 'Σ line totals, minor units' }) revenue!: number;
  @ApiProperty() quantity!: number;
}

class ItemSalesResponse {
  @ApiProperty({ format: 'uuid' }) menuItemId!: string;
  @ApiProperty({ description: 'The name on its latest paid line in the range' }) name!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty({ description: 'Σ line totals, minor units' }) revenue!: number;
}

class HourSalesResponse {
  @ApiProperty({ minimum: 0, maximum: 23, description: 'Local hour of payment' }) hour!: number;
  @ApiProperty() orders!: number;
  @ApiProperty({ description: 'Net revenue, minor units' }) revenue!: number;
}

/** Sales over paid orders whose payment falls in the range; integer minor units of the restaurant's currency. */
export class SalesReportResponse {
  @ApiProperty({ description: 'Σ(subtotal − discount): net of tax and tips' }) revenue!: number;
  @ApiProperty() tax!: number;
  @ApiProperty() tips!: number;
  @ApiProperty({ description: 'Paid orders' }) orders!: number;
  @ApiProperty({ description: 'round(revenue / orders); 0 without orders' }) averageTicket!: number;
  @ApiProperty({ type: [CategorySalesResponse], description: 'By revenue, highest first' })
  byCategory!: CategorySalesResponse[];
  @ApiProperty({ type: [ItemSalesResponse], description: 'The 10 best-selling items by revenue' })
  topItems!: ItemSalesResponse[];
  @ApiProperty({ type: [HourSalesResponse], description: 'All 24 hours of the day, summed over the range' })
  byHour!: HourSalesResponse[];
}

export class DailyReportResponse extends SalesReportResponse {
  @ApiProperty({ example: '2026-03-01' }) date!: string;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
}

export class JobAcceptedResponse {
  @ApiProperty({ description: 'Poll GET /reports/jobs/{jobId}' }) jobId!: string;
}

export class ReportJobResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['waiting', 'active', 'delayed', 'completed', 'failed'] }) state!: string;
  @ApiPropertyOptional({ description: 'What the job returned, once completed' }) result?: unknown;
  @ApiPropertyOptional({ description: 'Why it failed, once failed' }) error?: string;
}

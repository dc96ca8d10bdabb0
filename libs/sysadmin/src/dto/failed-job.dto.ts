import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageMetaResponse, PageQueryDto } from '@coffee/common';
import { JOB_QUEUE, QUEUES, type JobName, type QueueName } from '@coffee/queue';

const JOB_NAMES = Object.keys(JOB_QUEUE) as JobName[];

export class ListFailedJobsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: QUEUES, description: 'One queue; every queue by default' })
  @IsOptional()
  @IsIn(QUEUES, { message: `queue must be one of ${QUEUES.join(', ')}` })
  queue?: QueueName;

  @ApiPropertyOptional({ enum: ['-finishedOn'], default: '-finishedOn', description: 'Most recently failed first' })
  @IsOptional()
  @IsIn(['-finishedOn'], { message: 'sort must be -finishedOn' })
  declare sort?: string;
}

export class FailedJobResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: QUEUES }) queue!: QueueName;
  @ApiProperty({ enum: JOB_NAMES }) name!: JobName;
  @ApiProperty({ description: 'The error of the last attempt' }) failedReason!: string;
  @ApiProperty({ type: 'integer', description: 'Attempts made, the last included' }) attemptsMade!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the last attempt ended' })
  finishedOn!: string | null;
}

export class FailedJobPageResponse {
  @ApiProperty({ type: [FailedJobResponse] }) items!: FailedJobResponse[];
  @ApiProperty({ type: PageMetaResponse }) meta!: PageMetaResponse;
}

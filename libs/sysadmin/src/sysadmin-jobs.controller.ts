import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, offsetPage, Roles, type Page } from '@coffee/common';
import { JobQueue } from '@coffee/queue';
import { FailedJobPageResponse, ListFailedJobsQueryDto, type FailedJobResponse } from './dto/failed-job.dto';

/**
 * Background jobs for platform staff. Read through JobQueue, so it shows
 * BullMQ's failed sets in full mode and the API process's own in-process
 * jobs in embedded mode (which do not survive a restart).
 */
@ApiTags('sysadmin')
@ApiErrors('UNAUTHENTICATED', 'FORBIDDEN')
@Roles('sysadmin')
@Controller('sysadmin/jobs')
export class SysadminJobsController {
  constructor(private readonly jobs: JobQueue) {}

  @Get('failed')
  @ApiOkResponse({
    type: FailedJobPageResponse,
    description: 'Jobs that used up their attempts, most recently failed first (kept 7 days, at most 1000 per job)',
  })
  @ApiErrors('VALIDATION_FAILED', 'SERVICE_UNAVAILABLE')
  @ApiOperation({ operationId: 'listFailedJobs', summary: 'Background jobs that used up their attempts' })
  async listFailed(@Query() query: ListFailedJobsQueryDto): Promise<Page<FailedJobResponse>> {
    const { items, total } = await this.jobs.failed(query);
    return offsetPage(items, total, query);
  }
}

import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Roles, type Page } from '@coffee/common';
import { AuditLogService } from './audit-log.service';
import { AuditLogEntryResponse, AuditLogPageResponse, ListAuditLogQueryDto } from './dto/audit-log.dto';
import { PlatformStatsResponse } from './dto/stats.dto';
import { PlatformStatsService } from './platform-stats.service';

@ApiTags('sysadmin')
@ApiErrors('UNAUTHENTICATED', 'FORBIDDEN')
@Roles('sysadmin')
@Controller('sysadmin')
export class SysadminController {
  constructor(
    private readonly stats: PlatformStatsService,
    private readonly auditLog: AuditLogService,
  ) {}

  @Get('stats')
  @ApiOkResponse({ type: PlatformStatsResponse, description: 'Platform totals, computed on each call' })
  @ApiErrors()
  @ApiOperation({ operationId: 'getPlatformStats', summary: 'Platform totals' })
  getStats(): Promise<PlatformStatsResponse> {
    return this.stats.current();
  }

  @Get('audit-log')
  @ApiOkResponse({
    type: AuditLogPageResponse,
    description: 'Audited changes, newest first; `before`/`after` as objects, never a secret or a hash',
  })
  @ApiErrors('VALIDATION_FAILED')
  @ApiOperation({ operationId: 'listAuditLog', summary: 'The audit log' })
  listAuditLog(@Query() query: ListAuditLogQueryDto): Promise<Page<AuditLogEntryResponse>> {
    return this.auditLog.list(query);
  }
}

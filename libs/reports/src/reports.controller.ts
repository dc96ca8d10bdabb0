import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access, ApiErrors } from '@coffee/common';
import { RequestContext } from '@coffee/tenancy';
import { dailyReportCsv, type DailyReport, type SalesReport } from './domain/sales-report';
import {
  DailyReportRequestDto,
  DailyReportResponse,
  DashboardQueryDto,
  JobAcceptedResponse,
  ReportJobResponse,
  SalesReportResponse,
} from './dto/reports.dto';
import { ReportsService, type ReportJobView } from './reports.service';

const READ = Access(['owner', 'manager'], ['reports:read']);

@ApiTags('reports')
@ApiErrors('UNAUTHENTICATED', 'FORBIDDEN', 'TENANT_SUSPENDED', 'CSRF_FAILED')
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly context: RequestContext,
  ) {}

  @Get('dashboard')
  @READ
  @ApiHeader({ name: 'cache-control', required: false, description: '`no-cache` computes past the cached copy' })
  @ApiOkResponse({ type: SalesReportResponse })
  @ApiErrors('VALIDATION_FAILED')
  @ApiOperation({ operationId: 'getSalesDashboard', summary: 'Sales dashboard over a range of local dates' })
  dashboard(@Query() query: DashboardQueryDto, @Headers('cache-control') cacheControl?: string): Promise<SalesReport> {
    return this.reports.dashboard(this.context.tenant(), query, /\bno-cache\b/i.test(cacheControl ?? ''));
  }

  @Post('daily')
  @READ
  @HttpCode(202)
  @ApiAcceptedResponse({ type: JobAcceptedResponse })
  @ApiErrors('VALIDATION_FAILED', 'SERVICE_UNAVAILABLE')
  @ApiOperation({ operationId: 'requestDailyReport', summary: 'Start a daily report job' })
  requestDaily(@Body() dto: DailyReportRequestDto): Promise<{ jobId: string }> {
    return this.reports.requestDaily(this.context.tenant(), dto.date);
  }

  @Get('jobs/:jobId')
  @READ
  @ApiOkResponse({ type: ReportJobResponse })
  @ApiErrors('NOT_FOUND')
  @ApiOperation({ operationId: 'getReportJob', summary: 'The state of a report job' })
  job(@Param('jobId') jobId: string): Promise<ReportJobView> {
    return this.reports.job(this.context.tenant(), jobId);
  }

  @Get('daily/:date')
  @READ
  @ApiParam({ name: 'date', example: '2026-03-01', description: '`YYYY-MM-DD` for JSON, `YYYY-MM-DD.csv` for CSV' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: DailyReportResponse, description: 'The stored report; with `.csv`, the same as CSV' })
  @ApiErrors('NOT_FOUND', 'VALIDATION_FAILED')
  @ApiOperation({ operationId: 'getDailyReport', summary: 'A stored daily report, as JSON or CSV' })
  async daily(
    @Param('date') date: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DailyReport | string> {
    const csv = date.endsWith('.csv');
    const day = csv ? date.slice(0, -'.csv'.length) : date;
    const report = await this.reports.daily(this.context.tenant(), day);
    if (!csv) return report;
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="daily-report-${report.date}.csv"`);
    return dailyReportCsv(report);
  }
}

import { randomUUID } from 'node:crypto';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { AppError, Clock } from '@coffee/common';
import { ReadReplica } from '@coffee/database';
import { businessDate, SalesVersions } from '@coffee/orders';
import { JobQueue } from '@coffee/queue';
import { RestaurantRepository, scopeOf, type TenantPrincipal } from '@coffee/tenancy';
import { DailyReportRepository } from './daily-report.repository';
import { isBusinessDate, resolveRange } from './domain/date-range';
import type { DailyReport, SalesReport } from './domain/sales-report';
import type { DashboardQueryDto } from './dto/reports.dto';
import { SalesReportBuilder } from './sales-report.builder';

/** How long a computed dashboard is served from the cache (a payment retires it at once through the version). */
export const DASHBOARD_TTL_MS = 60_000;

/** Job ids are `<restaurant id>_<uuid>`: the prefix ties a job to its restaurant. */
const JOB_ID = /^([0-9a-f-]{36})_[0-9a-f-]{36}$/;

export interface ReportJobView {
  id: string;
  state: string;
  result?: unknown;
  error?: string;
}

/** The reports routes' logic: the dashboard (cached), daily report jobs and stored reports. */
@Injectable()
export class ReportsService {
  private readonly logger = new Logger(ReportsService.name);

  constructor(
    private readonly builder: SalesReportBuilder,
    private readonly reports: DailyReportRepository,
    private readonly restaurants: RestaurantRepository,
    private readonly versions: SalesVersions,
    private readonly queue: JobQueue,
    private readonly clock: Clock,
    private readonly replica: ReadReplica,
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
  ) {}

  /**
   * The dashboard for local dates from…to, computed from the rollups and
   * cached per restaurant under a key holding the sales version, which every
   * payment bumps: a cached answer is never older than the last payment the
   * cache could see, and expires anyway after {@link DASHBOARD_TTL_MS}. The
   * rollups are read from a replica when one is configured and caught up.
   * `fresh` (request `Cache-Control: no-cache`) skips the cached copy.
   */
  async dashboard(principal: TenantPrincipal, query: DashboardQueryDto, fresh = false): Promise<SalesReport> {
    const scope = scopeOf(principal);
    const restaurant = await this.restaurant(principal);
    const range = resolveRange(query.from, query.to, businessDate(this.clock.now(), restaurant.timezone));
    if (!range.ok) throw AppError.validation(range.errors);
    let key: string | null = null;
    try {
      const version = await this.versions.current(scope.restaurantId);
      key = `reports:dashboard:${scope.restaurantId}:${version}:${range.from}:${range.to}`;
    } catch (error) {
      this.logger.warn({ err: error }, 'Sales version unavailable; computing the dashboard uncached');
    }
    if (key && !fresh) {
      const cached = await this.cache.get<SalesReport>(key).catch(() => undefined);
      if (cached) return cached;
    }
    // On a replica once it has every payment committed before this request (so never older than `version`).
    const report = await this.replica.readIn(scope, (readScope) => this.builder.build(readScope, range.from, range.to));
    if (key) await this.cache.set(key, report, DASHBOARD_TTL_MS).catch(() => undefined);
    return report;
  }

  /** Queues `reports.daily` for a local date between the restaurant's first day and today. */
  async requestDaily(principal: TenantPrincipal, date: string): Promise<{ jobId: string }> {
    const restaurant = await this.restaurant(principal);
    if (!isBusinessDate(date)) throw AppError.validation([{ field: 'date', message: 'date is not a calendar date' }]);
    const today = businessDate(this.clock.now(), restaurant.timezone);
    if (date > today) throw AppError.validation([{ field: 'date', message: 'date is in the future' }]);
    if (date < businessDate(restaurant.createdAt, restaurant.timezone))
      throw AppError.validation([{ field: 'date', message: 'date is before the restaurant existed' }]);
    const { id } = await this.queue.enqueue(
      'reports.daily',
      { restaurantId: restaurant.id, date },
      { jobId: `${restaurant.id}_${randomUUID()}` },
    );
    return { jobId: id };
  }

  /** A report job of the caller's restaurant; any other id (another restaurant's included) is 404. */
  async job(principal: TenantPrincipal, jobId: string): Promise<ReportJobView> {
    const owner = JOB_ID.exec(jobId)?.[1];
    if (owner !== principal.restaurantId) throw AppError.notFound('Job');
    const job = await this.queue.getJob(jobId);
    if (!job || !job.name.startsWith('reports.')) throw AppError.notFound('Job');
    return {
      id: job.id,
      state: job.state,
      ...(job.result !== undefined && { result: job.result }),
      ...(job.error !== undefined && { error: job.error }),
    };
  }

  async daily(principal: TenantPrincipal, date: string): Promise<DailyReport> {
    if (!isBusinessDate(date)) throw AppError.validation([{ field: 'date', message: 'date must be YYYY-MM-DD' }]);
    const row = await this.reports.find(scopeOf(principal), date);
    if (!row) throw AppError.notFound('Daily report');
    return {
      date: row.businessDate,
      currency: row.currency,
      generatedAt: row.generatedAt.toISOString(),
      ...(JSON.parse(row.report) as SalesReport),
    };
  }

  private async restaurant(principal: TenantPrincipal) {
    const restaurant = await this.restaurants.findById(principal.restaurantId);
    if (!restaurant) throw AppError.notFound('Restaurant');
    return restaurant;
  }
}

import { Injectable } from '@nestjs/common';
import type { AuditLogEntity } from '@coffee/audit';
import { AppError, offsetPage, parseSort, type FieldError, type Page } from '@coffee/common';
import { AuditLogRepository, type AuditLogFilters } from './audit-log.repository';
import type { AuditLogEntryResponse, ListAuditLogQueryDto } from './dto/audit-log.dto';

/**
 * An ISO 8601 date or date-time as an instant. A date alone is its midnight
 * UTC and a date-time without an offset is UTC, never the server's local time.
 */
function instant(text: string): Date {
  const zoned = /T/.test(text) && !/([zZ]|[+-]\d\d(:?\d\d)?)$/.test(text) ? `${text}Z` : text;
  return new Date(zoned);
}

/** before/after are stored as JSON text; a row that is not an object reads as null rather than failing the page. */
function parsed(json: string | null): Record<string, unknown> | null {
  if (json === null) return null;
  try {
    const value: unknown = JSON.parse(json);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function toEntry(row: AuditLogEntity): AuditLogEntryResponse {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actorId: row.actorId,
    actorRole: row.actorRole,
    restaurantId: row.restaurantId,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    before: parsed(row.before),
    after: parsed(row.after),
    requestId: row.requestId,
    ip: row.ip,
  };
}

/** The audit log, newest first, for platform staff. */
@Injectable()
export class AuditLogService {
  constructor(private readonly entries: AuditLogRepository) {}

  async list(query: ListAuditLogQueryDto): Promise<Page<AuditLogEntryResponse>> {
    const { direction } = parseSort(query.sort, ['at'], { field: 'at', direction: 'DESC' });
    const [rows, total] = await this.entries.page(this.filters(query), direction, query);
    return offsetPage(rows.map(toEntry), total, query);
  }

  private filters(query: ListAuditLogQueryDto): AuditLogFilters {
    const errors: FieldError[] = [];
    const from = query.from === undefined ? undefined : instant(query.from);
    const to = query.to === undefined ? undefined : instant(query.to);
    if (from && Number.isNaN(from.getTime())) errors.push({ field: 'from', message: 'from is not a real date' });
    if (to && Number.isNaN(to.getTime())) errors.push({ field: 'to', message: 'to is not a real date' });
    if (errors.length === 0 && from && to && from > to)
      errors.push({ field: 'from', message: 'from must not be after to' });
    if (errors.length > 0) throw AppError.validation(errors);
    return {
      ...(query.restaurantId && { restaurantId: query.restaurantId.toLowerCase() }),
      ...(query.actorId && { actorId: query.actorId.toLowerCase() }),
      ...(query.action && { action: query.action }),
      ...(from && { from }),
      ...(to && { to }),
    };
  }
}

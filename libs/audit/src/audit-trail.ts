import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '@coffee/common';
import { newId } from '@coffee/database';
import { RequestContext } from '@coffee/tenancy';
import { AuditLogEntity, type AuditAction } from './audit-log.entity';

/** A change to record. Actor, request id and IP come from the request context unless given. */
export interface AuditEntry {
  action: AuditAction;
  restaurantId: string | null;
  targetType: string;
  targetId: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** For events without a signed-in caller (a failed login names the account it was for). */
  actor?: { id: string | null; role: string | null };
}

/** Property names that never reach the log, at any depth, whatever a caller passes. */
const SECRET_KEYS = /password|hash|secret|token|^key$/i;

function redact(value: Record<string, unknown> | null | undefined): string | null {
  if (!value) return null;
  return JSON.stringify(value, (key, inner: unknown) => (key && SECRET_KEYS.test(key) ? undefined : inner));
}

/**
 * Writes audit rows. Always inside the transaction of the change it records
 * (it takes that transaction's manager), so a change that rolls back leaves no
 * row and a committed change always has one.
 */
@Injectable()
export class AuditTrail {
  constructor(
    private readonly context: RequestContext,
    private readonly clock: Clock,
  ) {}

  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    const principal = this.context.principal;
    const actor = entry.actor ?? {
      // An API key acts as itself: its id, with the role `integration`.
      id: principal?.userId ?? principal?.apiKeyId ?? null,
      role: principal?.role ?? null,
    };
    await manager.getRepository(AuditLogEntity).insert({
      id: newId(),
      at: this.clock.now(),
      actorId: actor.id,
      actorRole: actor.role,
      restaurantId: entry.restaurantId,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      before: redact(entry.before),
      after: redact(entry.after),
      requestId: this.context.requestId?.slice(0, 128) ?? null,
      ip: this.context.ip?.slice(0, 64) ?? null,
    });
  }
}

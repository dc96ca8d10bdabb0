import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { Counter } from 'prom-client';
import { AuditTrail } from '@coffee/audit';
import { AppError, Clock, offsetPage, type ApiKeyScope, type Page } from '@coffee/common';
import { TransactionRunner, withManager } from '@coffee/database';
import { MetricsService } from '@coffee/metrics';
import { PlanLimits, scopeOf, UsageCounters, type TenantPrincipal, type TenantStanding } from '@coffee/tenancy';
import {
  toApiKeyResponse,
  type ApiKeyResponse,
  type CreateApiKeyDto,
  type CreatedApiKeyResponse,
  type ListApiKeysQueryDto,
} from '../dto/api-key.dto';
import { ApiKeyRepository, TOUCH_EVERY_MS } from './api-key.repository';

export const API_KEY_PREFIX = 'ck_live_';
const LOOKUP_CHARS = 12;
const KEY_SHAPE = /^ck_live_[A-Za-z0-9_-]{43}$/;
/** How long a prefix with no live key is remembered: short, since revocation and creation never reuse prefixes. */
const UNKNOWN_PREFIX_TTL_MS = 60_000;
/** At most this many unknown prefixes are remembered per process (about 1 MB); the least recently seen go first. */
const UNKNOWN_PREFIX_MAX = 10_000;

function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export interface VerifiedApiKey {
  id: string;
  restaurantId: string;
  scopes: ApiKeyScope[];
  /** The restaurant's standing, read with the key. */
  standing: TenantStanding;
}

/**
 * Integrators' keys: `ck_live_` + 32 random bytes. The first characters are the
 * lookup prefix (indexed); the whole key is checked against its SHA-256 hash in
 * constant time. Keys are high-entropy, so a fast hash is the right one.
 */
@Injectable()
export class ApiKeysService implements OnModuleInit {
  private readonly logger = new Logger(ApiKeysService.name);
  private readonly unknownHits: Counter;
  private readonly unknownPrefixes = new LRUCache<string, true>({
    max: UNKNOWN_PREFIX_MAX,
    ttl: UNKNOWN_PREFIX_TTL_MS,
  });

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly transactions: TransactionRunner,
    private readonly limits: PlanLimits,
    private readonly usage: UsageCounters,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    metrics: MetricsService,
  ) {
    this.unknownHits = metrics.counter(
      'api_key_unknown_prefix_cache_hits_total',
      'API keys refused from the cache of unknown prefixes, without a database query',
    );
  }

  onModuleInit(): void {
    this.usage.register('apiKeys', (scope) => this.keys.countActive(scope));
  }

  /** Keys not revoked count against the plan's `maxApiKeys`. */
  async create(principal: TenantPrincipal, dto: CreateApiKeyDto): Promise<CreatedApiKeyResponse> {
    const key = API_KEY_PREFIX + randomBytes(32).toString('base64url');
    const saved = await this.transactions.run(async (manager) => {
      const tx = withManager(scopeOf(principal), manager);
      await this.limits.assertRoomFor(tx, 'apiKeys');
      const inserted = await this.keys.insert(tx, {
        name: dto.name,
        prefix: key.slice(0, API_KEY_PREFIX.length + LOOKUP_CHARS),
        keyHash: hashKey(key),
        scopes: [...new Set(dto.scopes)].join(' '),
        createdBy: principal.userId,
      });
      await this.audit.record(manager, {
        action: 'api_key.created',
        restaurantId: tx.restaurantId,
        targetType: 'api_key',
        targetId: inserted.id,
        after: { name: inserted.name, prefix: inserted.prefix, scopes: inserted.scopeList() },
      });
      return inserted;
    });
    return {
      id: saved.id,
      name: saved.name,
      scopes: saved.scopeList(),
      prefix: saved.prefix,
      key,
      createdAt: saved.createdAt.toISOString(),
    };
  }

  async list(principal: TenantPrincipal, query: ListApiKeysQueryDto): Promise<Page<ApiKeyResponse>> {
    const [rows, total] = await this.keys.listActive(scopeOf(principal), query);
    return offsetPage(rows.map(toApiKeyResponse), total, query);
  }

  async revoke(principal: TenantPrincipal, id: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      const tx = withManager(scopeOf(principal), manager);
      const key = await this.keys.findActive(tx, id);
      if (!key || !(await this.keys.revoke(tx, id, this.clock.now()))) throw AppError.notFound('API key');
      await this.audit.record(manager, {
        action: 'api_key.revoked',
        restaurantId: tx.restaurantId,
        targetType: 'api_key',
        targetId: id,
        before: { name: key.name, prefix: key.prefix, scopes: key.scopeList() },
      });
    });
  }

  /**
   * The key's restaurant and scopes, or null for an unknown, malformed or
   * revoked key. Prefixes with no live key are remembered for a minute in this
   * process's memory, so replaying random keys costs no database query, and a
   * live key costs no cache round trip either (a shared cache would add one to
   * every integrator request). Each instance learns a prefix once; prefixes
   * are random and never reused, so nothing needs to be told to forget one.
   */
  async verify(presented: string): Promise<VerifiedApiKey | null> {
    if (!KEY_SHAPE.test(presented)) return null;
    const prefix = presented.slice(0, API_KEY_PREFIX.length + LOOKUP_CHARS);
    if (this.unknownPrefixes.get(prefix)) {
      this.unknownHits.inc();
      return null;
    }
    const stored = await this.keys.findLiveByPrefix(prefix);
    if (!stored) {
      this.unknownPrefixes.set(prefix, true);
      return null;
    }
    const expected = Buffer.from(stored.keyHash, 'hex');
    const actual = Buffer.from(hashKey(presented), 'hex');
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
    const now = new Date();
    // The row just read says whether the minute is up: no UPDATE round trip on most requests.
    if (!stored.lastUsedAt || now.getTime() - stored.lastUsedAt.getTime() >= TOUCH_EVERY_MS) {
      this.keys
        .touch(stored.id, now)
        .catch((error: unknown) => this.logger.warn({ err: error }, 'Could not record API key use'));
    }
    return { id: stored.id, restaurantId: stored.restaurantId, scopes: stored.scopes, standing: stored.standing };
  }
}

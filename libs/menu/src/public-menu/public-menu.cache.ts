import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { RestaurantRepository } from '@coffee/tenancy';
import { MenuVersions } from './menu-versions';
import { PublicMenuBuilder } from './public-menu.builder';

/**
 * A rendered menu: the JSON bytes to send (serialized and UTF-8 encoded once,
 * not per request) and its ETag; `body` null means 404. A Buffer rather than
 * a string: Fastify then neither measures the string's UTF-8 length for
 * Content-Length nor Node encodes it again for every answer (the menu is ~12 KB;
 * Node still sends headers and body in one write, the socket being corked).
 */
export interface RenderedMenu {
  body: Buffer | null;
  etag: string;
}

interface LocalEntry extends RenderedMenu {
  restaurantId: string | null;
  version: string | null;
  checkedAt: number;
  builtAt: number;
}

/** How often an instance asks Redis whether the menu changed: well inside the 1 s visibility rule. */
export const REVALIDATE_MS = 250;
/** Without Redis answers, a local copy is still trusted this long. */
const OFFLINE_MAX_AGE_MS = 1000;
const MAX_LOCAL_ENTRIES = 10_000;
/**
 * Unknown slugs are remembered this long, in their own bounded map: a random
 * slug costs one database query per period, and a flood of them never pushes
 * real menus out of the local cache. A restaurant created under a slug that
 * was just asked for shows after at most this long.
 */
export const UNKNOWN_SLUG_TTL_MS = 10_000;
const MAX_UNKNOWN_SLUGS = 10_000;
const MISSING: RenderedMenu = { body: null, etag: '"missing"' };
/** Shared rendered copies expire on their own; versioned keys make stale ones unreachable anyway. */
const SHARED_TTL_SECONDS = 3600;

/**
 * The public menu's cache, in two layers:
 * - per instance, the rendered bytes and ETag, revalidated against the
 *   restaurant's menu version in Redis at most every 250 ms (one GET);
 * - in Redis, the rendered bytes under a versioned key, shared by instances.
 * Misses for one restaurant are computed once per instance (single flight). A
 * Redis failure is logged and the menu is built from the database.
 */
@Injectable()
export class PublicMenuCache {
  private readonly logger = new Logger(PublicMenuCache.name);
  private readonly local = new Map<string, LocalEntry>();
  private readonly inflight = new Map<string, Promise<RenderedMenu>>();
  /** Slug → when it stops being known as unknown (insertion order is age order). */
  private readonly unknown = new Map<string, number>();
  private lastFailureLog = 0;

  constructor(
    private readonly versions: MenuVersions,
    private readonly builder: PublicMenuBuilder,
    private readonly restaurants: RestaurantRepository,
  ) {}

  /** The local copy if it was revalidated within REVALIDATE_MS: the hot path, with no promise. */
  fresh(slug: string): RenderedMenu | undefined {
    const entry = this.local.get(slug);
    return entry && Date.now() - entry.checkedAt < REVALIDATE_MS ? entry : undefined;
  }

  async get(slug: string): Promise<RenderedMenu> {
    const fresh = this.fresh(slug);
    if (fresh) return fresh;
    if (this.knownUnknown(slug)) return MISSING;
    const entry = this.local.get(slug);
    const running = this.inflight.get(slug);
    if (running) return running;
    const work = this.revalidate(slug, entry).finally(() => this.inflight.delete(slug));
    this.inflight.set(slug, work);
    return work;
  }

  private async revalidate(slug: string, previous: LocalEntry | undefined): Promise<RenderedMenu> {
    const now = Date.now();
    const restaurantId = previous?.restaurantId ?? (await this.restaurants.findBySlug(slug))?.id;
    if (!restaurantId) {
      if (this.unknown.size >= MAX_UNKNOWN_SLUGS) this.unknown.delete(this.unknown.keys().next().value ?? slug);
      this.unknown.set(slug, now + UNKNOWN_SLUG_TTL_MS);
      return MISSING;
    }

    let version: string | null = null;
    try {
      version = await this.versions.current(restaurantId);
    } catch (error) {
      this.warn(error);
      if (previous && now - previous.builtAt < OFFLINE_MAX_AGE_MS) return previous;
    }
    if (previous && version !== null && previous.version === version) {
      previous.checkedAt = now;
      return previous;
    }
    const shared = version !== null ? await this.readShared(restaurantId, version) : null;
    const rendered = shared ?? render(await this.builder.build(restaurantId));
    if (!shared && version !== null) await this.writeShared(restaurantId, version, rendered);
    return this.remember(slug, { restaurantId, version, ...rendered, checkedAt: now, builtAt: now });
  }

  private knownUnknown(slug: string): boolean {
    const until = this.unknown.get(slug);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.unknown.delete(slug);
    return false;
  }

  private remember(slug: string, entry: LocalEntry): LocalEntry {
    // Only real restaurants get here (unknown slugs have their own map); still bounded.
    if (this.local.size >= MAX_LOCAL_ENTRIES && !this.local.has(slug)) this.local.clear();
    this.local.set(slug, entry);
    return entry;
  }

  private async readShared(restaurantId: string, version: string): Promise<RenderedMenu | null> {
    const redis = this.versions.shared;
    if (!redis) return null;
    try {
      // Stored as `<etag>\n<json>`, so a hit is one GET and no re-serialization.
      const raw = await redis.getBuffer(this.versions.key(restaurantId, `public-v2:${version}`));
      if (!raw) return null;
      const newline = raw.indexOf(0x0a);
      return { etag: raw.toString('latin1', 0, newline), body: raw.subarray(newline + 1) };
    } catch (error) {
      this.warn(error);
      return null;
    }
  }

  private async writeShared(restaurantId: string, version: string, rendered: RenderedMenu): Promise<void> {
    const redis = this.versions.shared;
    if (!redis) return;
    try {
      if (!rendered.body) return;
      const value = Buffer.concat([Buffer.from(`${rendered.etag}\n`, 'latin1'), rendered.body]);
      await redis.set(this.versions.key(restaurantId, `public-v2:${version}`), value, 'EX', SHARED_TTL_SECONDS);
    } catch (error) {
      this.warn(error);
    }
  }

  private warn(error: unknown): void {
    if (Date.now() - this.lastFailureLog < 10_000) return;
    this.lastFailureLog = Date.now();
    this.logger.warn({ err: error }, 'Menu cache unavailable; serving the public menu from the database');
  }
}

function render(menu: object | null): RenderedMenu {
  if (!menu) return MISSING;
  const body = Buffer.from(JSON.stringify(menu));
  return { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
}

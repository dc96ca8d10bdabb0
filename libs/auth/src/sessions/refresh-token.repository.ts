import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, LessThan, Not, type Repository } from 'typeorm';
import type { Role } from '@coffee/common';
import { rawDate } from '@coffee/database';
import type { RestaurantStatus, SubscriptionStanding } from '@coffee/tenancy';
import { RefreshTokenEntity } from './refresh-token.entity';

/** What an access token's holder is right now, read from the database on each request. */
export interface LiveSession {
  role: Role;
  isActive: boolean;
  restaurantId: string | null;
  /** Null for a sysadmin (no restaurant). */
  restaurantStatus: RestaurantStatus | null;
  subscription: SubscriptionStanding | null;
}

/*
 * One round trip for everything an access token can lose between two requests:
 * its session (refresh-token family) revoked by logout, logout-all, a password
 * change or reuse detection; the user's current role and active flag; the
 * restaurant's status and its subscription's standing. Plain SQL (identical on MySQL and SQLite) so the hot
 * path builds no query. The family and user indexes serve the EXISTS, the
 * primary keys the rest.
 */
const LIVE_SESSION_SQL = `SELECT u.role AS role, u.is_active AS isActive, u.restaurant_id AS restaurantId, r.status AS restaurantStatus,
  s.status AS subscriptionStatus, s.past_due_since AS pastDueSince
FROM users u LEFT JOIN restaurants r ON r.id = u.restaurant_id LEFT JOIN subscriptions s ON s.restaurant_id = u.restaurant_id
WHERE u.id = ? AND EXISTS (
  SELECT 1 FROM refresh_tokens t WHERE t.family_id = ? AND t.user_id = u.id AND t.revoked_at IS NULL
)`;

@Injectable()
export class RefreshTokenRepository {
  constructor(@InjectRepository(RefreshTokenEntity) private readonly tokens: Repository<RefreshTokenEntity>) {}

  async insert(
    data: Pick<RefreshTokenEntity, 'familyId' | 'userId' | 'tokenHash' | 'expiresAt'>,
  ): Promise<RefreshTokenEntity> {
    return this.tokens.save(this.tokens.create(data));
  }

  findByHash(tokenHash: string): Promise<RefreshTokenEntity | null> {
    return this.tokens.findOneBy({ tokenHash });
  }

  /**
   * Marks a live token as used. Only one caller can win: the conditional update
   * is the lock, so two parallel refreshes with one token never both succeed.
   */
  async claim(id: string, now: Date): Promise<boolean> {
    const result = await this.tokens.update({ id, rotatedAt: IsNull(), revokedAt: IsNull() }, { rotatedAt: now });
    return (result.affected ?? 0) === 1;
  }

  /** The session's user as it is now, or null once the session is revoked (or the user is gone). */
  async liveSession(userId: string, familyId: string): Promise<LiveSession | null> {
    const rows: {
      role: Role;
      isActive: number | boolean | string;
      restaurantId: string | null;
      restaurantStatus: RestaurantStatus | null;
      subscriptionStatus: SubscriptionStanding['status'] | null;
      pastDueSince: unknown;
    }[] = await this.tokens.query(LIVE_SESSION_SQL, [userId, familyId]);
    const row = rows[0];
    if (!row) return null;
    return {
      role: row.role,
      isActive: Number(row.isActive) === 1,
      restaurantId: row.restaurantId,
      restaurantStatus: row.restaurantStatus,
      subscription: row.subscriptionStatus
        ? { status: row.subscriptionStatus, pastDueSince: rawDate(row.pastDueSince) }
        : null,
    };
  }

  async revokeFamily(familyId: string, now: Date): Promise<void> {
    await this.tokens.update({ familyId, revokedAt: IsNull() }, { revokedAt: now });
  }

  /** Revokes every session of a user, except `keepFamilyId` when given. */
  async revokeUser(userId: string, now: Date, keepFamilyId?: string): Promise<void> {
    await this.tokens.update(
      { userId, revokedAt: IsNull(), ...(keepFamilyId ? { familyId: Not(keepFamilyId) } : {}) },
      { revokedAt: now },
    );
  }

  /**
   * Deletes tokens that expired before `now`, rotated, revoked or unused alike,
   * at most `batchSize` per statement so a backlog never holds long locks. An
   * expired token can neither refresh nor keep a session alive, so nothing
   * reads it again; a revoked token that has not expired stays, so presenting
   * it still ends in 401 by the same path as before. Spans all users by design.
   */
  async purgeExpired(now: Date, batchSize = 500): Promise<number> {
    let purged = 0;
    for (;;) {
      const expired = await this.tokens.find({
        select: { id: true },
        where: { expiresAt: LessThan(now) },
        // Oldest first, along ix_refresh_tokens_expires_at: each batch reads only rows it deletes.
        order: { expiresAt: 'ASC' },
        take: batchSize,
      });
      if (expired.length === 0) return purged;
      const result = await this.tokens.delete({ id: In(expired.map((row) => row.id)) });
      purged += result.affected ?? expired.length;
      if (expired.length < batchSize) return purged;
    }
  }
}

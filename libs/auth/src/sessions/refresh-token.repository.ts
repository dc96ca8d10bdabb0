import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Not, type Repository } from 'typeorm';
import { RefreshTokenEntity } from './refresh-token.entity';

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
}

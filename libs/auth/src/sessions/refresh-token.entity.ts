import { Column, Entity, ForeignKey, Index } from 'typeorm';
import { BaseEntity } from '@coffee/database';

/**
 * One refresh token, stored as a SHA-256 hash. Tokens descending from one
 * sign-in share a family; presenting a rotated token again revokes the family.
 */
@Entity({ name: 'refresh_tokens' })
export class RefreshTokenEntity extends BaseEntity {
  @Index('ix_refresh_tokens_family')
  @Column({ type: 'varchar', length: 36 })
  familyId!: string;

  @Index('ix_refresh_tokens_user')
  @ForeignKey('UserEntity', { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @Column({ type: 'varchar', length: 36 })
  userId!: string;

  @Index('uq_refresh_tokens_hash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  tokenHash!: string;

  /** The hourly purge deletes by it. */
  @Index('ix_refresh_tokens_expires_at')
  @Column({ type: 'datetime', precision: 6 })
  expiresAt!: Date;

  /** Set when this token was exchanged for a new one. */
  @Column({ type: 'datetime', precision: 6, nullable: true })
  rotatedAt!: Date | null;

  /** Set when the token (or its whole family) was revoked. */
  @Column({ type: 'datetime', precision: 6, nullable: true })
  revokedAt!: Date | null;
}

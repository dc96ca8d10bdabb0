import { Column, Entity, Index } from 'typeorm';
import type { ApiKeyScope } from '@coffee/common';
import { TenantOwnedEntity } from '@coffee/database';

/** An integrator's key: only its prefix and a SHA-256 hash are stored; the key is shown once. */
@Entity({ name: 'api_keys' })
@Index('ix_api_keys_restaurant', ['restaurantId', 'createdAt'])
export class ApiKeyEntity extends TenantOwnedEntity {
  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** `ck_live_` plus the first characters of the secret: the lookup key, safe to show. */
  @Index('uq_api_keys_prefix', { unique: true })
  @Column({ type: 'varchar', length: 24 })
  prefix!: string;

  @Column({ type: 'varchar', length: 64 })
  keyHash!: string;

  /** Space-separated scopes. */
  @Column({ type: 'varchar', length: 255 })
  scopes!: string;

  @Column({ type: 'varchar', length: 36, nullable: true })
  createdBy!: string | null;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  lastUsedAt!: Date | null;

  @Column({ type: 'datetime', precision: 6, nullable: true })
  revokedAt!: Date | null;

  scopeList(): ApiKeyScope[] {
    return this.scopes.split(' ').filter((scope) => scope.length > 0) as ApiKeyScope[];
  }
}

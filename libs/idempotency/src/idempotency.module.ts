import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { IdempotencyKeyRepository } from './idempotency-key.repository';
import { PurgeExpiredIdempotencyKeysHandler } from './purge-expired-keys.handler';

@Module({
  imports: [TypeOrmModule.forFeature([IdempotencyKeyEntity])],
  providers: [IdempotencyKeyRepository, PurgeExpiredIdempotencyKeysHandler],
  exports: [IdempotencyKeyRepository],
})
export class IdempotencyModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PurgeRefreshTokensHandler } from './purge-refresh-tokens.handler';
import { RefreshTokenEntity } from './refresh-token.entity';
import { RefreshTokenRepository } from './refresh-token.repository';

/**
 * Refresh-token storage and its purge job without the rest of auth (no
 * routes, no guards): the worker imports this alone, the API through
 * AuthModule, which runs the job in process in embedded mode.
 */
@Module({
  imports: [TypeOrmModule.forFeature([RefreshTokenEntity])],
  providers: [RefreshTokenRepository, PurgeRefreshTokensHandler],
  exports: [RefreshTokenRepository],
})
export class SessionMaintenanceModule {}

import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { authConfig, type AuthConfig } from '@coffee/config';
import { UsersModule } from '@coffee/users';
import { ApiKeyEntity } from './api-keys/api-key.entity';
import { ApiKeyRepository } from './api-keys/api-key.repository';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './guards/auth.guard';
import { Authenticator } from './guards/authenticator';
import { AccessTokens } from './sessions/access-tokens';
import { CsrfTokens } from './sessions/csrf-tokens';
import { SessionMaintenanceModule } from './sessions/session-maintenance.module';
import { SessionsService } from './sessions/sessions.service';
import { AuthFailureLimit } from './throttling/auth-failure-limit';
import { LoginThrottle } from './throttling/login-throttle';
import { RateLimitStoreModule } from './throttling/rate-limit-store.module';
import { SharedThrottlerStorage } from './throttling/throttler.storage';
import { CallerThrottlerGuard } from './throttling/throttler.guard';

const UNTHROTTLED = /^\/(health|metrics)(\/|$|\?)/;

@Module({
  imports: [
    UsersModule,
    SessionMaintenanceModule,
    RateLimitStoreModule,
    TypeOrmModule.forFeature([ApiKeyEntity]),
    ThrottlerModule.forRootAsync({
      imports: [RateLimitStoreModule],
      inject: [authConfig.KEY, SharedThrottlerStorage],
      useFactory: (config: AuthConfig, storage: SharedThrottlerStorage) => ({
        throttlers: [{ name: 'default', limit: config.throttleLimit, ttl: config.throttleTtlMs }],
        storage,
        skipIf: (context) => UNTHROTTLED.test(context.switchToHttp().getRequest<{ url: string }>().url),
      }),
    }),
  ],
  controllers: [AuthController, ApiKeysController],
  providers: [
    AccessTokens,
    CsrfTokens,
    SessionsService,
    LoginThrottle,
    AuthFailureLimit,
    Authenticator,
    ApiKeyRepository,
    ApiKeysService,
    // Order matters: authenticate first, so the throttler can key on the caller.
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: CallerThrottlerGuard },
  ],
  exports: [ApiKeysService],
})
export class AuthModule {}

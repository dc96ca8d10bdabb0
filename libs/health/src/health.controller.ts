import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { Public } from '@coffee/common';
import { appConfig, type AppConfig } from '@coffee/config';
import { EmbeddedStorageState } from '@coffee/database';
import { RedisHealthIndicator } from './redis.health';
import { ShutdownState } from './shutdown-state';

export const DEPENDENCY_TIMEOUT_MS = 1000;

/** Kubernetes probes: liveness never touches dependencies, readiness checks them with 1 s timeouts. */
@ApiExcludeController()
@Public()
@Controller('health')
export class HealthController {
  private readonly startedAt = Date.now();

  constructor(
    @Inject(appConfig.KEY) private readonly config: AppConfig,
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly shutdown: ShutdownState,
    private readonly storage: EmbeddedStorageState,
    private readonly indicators: HealthIndicatorService,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.check(false);
  }

  @Get()
  @HealthCheck()
  full(): Promise<HealthCheckResult> {
    return this.check(true);
  }

  private check(withApp: boolean): Promise<HealthCheckResult> {
    if (this.shutdown.isShuttingDown) {
      throw new ServiceUnavailableException({
        status: 'error',
        info: {},
        error: { app: { status: 'down', message: 'shutting down' } },
        details: { app: { status: 'down', message: 'shutting down' } },
      });
    }
    return this.health.check([
      () => this.database.pingCheck('database').withTimeout(DEPENDENCY_TIMEOUT_MS),
      ...(this.storage.applies ? [() => this.storageCheck()] : []),
      ...(this.redis.configured ? [() => this.redis.pingCheck('redis', DEPENDENCY_TIMEOUT_MS)] : []),
      ...(withApp
        ? [
            () => ({
              app: {
                status: 'up' as const,
                version: this.config.version,
                uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
              },
            }),
          ]
        : []),
    ]);
  }

  /** Embedded mode: down while writes cannot reach the database file. */
  private storageCheck(): HealthIndicatorResult<'storage'> {
    this.storage.probe();
    const failure = this.storage.failingBecause;
    const session = this.indicators.check('storage');
    return failure === undefined ? session.up() : session.down({ message: failure });
  }
}

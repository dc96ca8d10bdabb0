import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnModuleDestroy } from '@nestjs/common';
import { appConfig, type AppConfig } from '@coffee/config';

/**
 * Knows when the process is going away. Readiness turns 503 as soon as
 * shutdown starts (the first hook Nest runs), before the HTTP server stops
 * accepting connections, so load balancers stop sending traffic first.
 */
@Injectable()
export class ShutdownState implements OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(ShutdownState.name);
  private shuttingDown = false;

  constructor(@Inject(appConfig.KEY) private readonly config: AppConfig) {}

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  onModuleDestroy(): void {
    this.shuttingDown = true;
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    if (signal) this.logger.log({ signal }, 'Shutting down: readiness is now 503, draining requests');
    if (this.config.shutdownDelayMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, this.config.shutdownDelayMs));
    }
  }
}

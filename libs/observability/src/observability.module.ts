import { Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { flushObservability } from './observability';

/** Sends the error events and spans still buffered when the app shuts down (SIGTERM ends with process.exit). */
@Injectable()
export class ObservabilityShutdown implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await flushObservability();
  }
}

@Module({ providers: [ObservabilityShutdown] })
export class ObservabilityModule {}

import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { HandlesJob } from './handles-job.decorator';
import type { JobContext, JobHandler, JobName, JobPayload } from './jobs';

/** Finds every `@HandlesJob` provider once at boot and dispatches jobs to them. */
@Injectable()
export class JobHandlerRegistry implements OnModuleInit {
  private readonly handlers = new Map<JobName, JobHandler<JobName>>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders({ metadataKey: HandlesJob.KEY })) {
      const name = this.discovery.getMetadataByDecorator(HandlesJob, wrapper);
      if (!name || !wrapper.instance) continue;
      if (this.handlers.has(name)) throw new Error(`Two handlers for job ${name}`);
      this.handlers.set(name, wrapper.instance as JobHandler<JobName>);
    }
  }

  has(name: JobName): boolean {
    return this.handlers.has(name);
  }

  async run<N extends JobName>(name: N, payload: JobPayload<N>, context: JobContext): Promise<unknown> {
    const handler = this.handlers.get(name);
    if (!handler) throw new Error(`No handler for job ${name}`);
    return handler.handle(payload, context);
  }
}

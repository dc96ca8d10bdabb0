import { Module } from '@nestjs/common';
import { WebhookDeliveriesService } from './delivery/webhook-deliveries.service';
import { WebhookEndpointsService } from './endpoints/webhook-endpoints.service';
import { WebhookJobsModule } from './webhook-jobs.module';
import { WebhooksController } from './webhooks.controller';

/** Owners' webhook endpoints (`/api/v1/webhooks`), their delivery log, and the jobs that deliver. */
@Module({
  imports: [WebhookJobsModule],
  controllers: [WebhooksController],
  providers: [WebhookEndpointsService, WebhookDeliveriesService],
})
export class WebhooksModule {}

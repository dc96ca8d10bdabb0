import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QueueModule } from '@coffee/queue';
import { DeliverWebhookUseCase } from './delivery/deliver-webhook.usecase';
import { RelayOutboxUseCase } from './delivery/relay-outbox.usecase';
import { WebhookDeliveryAttemptEntity, WebhookDeliveryEntity } from './delivery/webhook-delivery.entities';
import { WebhookDeliveryRepository } from './delivery/webhook-delivery.repository';
import { WebhookDeliverHandler, WebhookRelayHandler } from './delivery/webhook-job.handlers';
import { WebhookTargetGuard } from './delivery/webhook-target';
import { HostResolver, HttpWebhookTransport, SystemHostResolver, WebhookTransport } from './delivery/webhook-transport';
import { WebhookEndpointEntity } from './endpoints/webhook-endpoint.entity';
import { WebhookEndpointRepository } from './endpoints/webhook-endpoint.repository';
import { WebhookOutboxModule } from './webhook-outbox.module';

/**
 * The relay and delivery jobs without the routes: the worker imports this
 * alone; the API gets it through WebhooksModule and runs the jobs itself in
 * embedded mode. Needs the global AuditModule (auto-disable is audited).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([WebhookEndpointEntity, WebhookDeliveryEntity, WebhookDeliveryAttemptEntity]),
    QueueModule,
    WebhookOutboxModule,
  ],
  providers: [
    WebhookEndpointRepository,
    WebhookDeliveryRepository,
    WebhookTargetGuard,
    { provide: HostResolver, useClass: SystemHostResolver },
    { provide: WebhookTransport, useClass: HttpWebhookTransport },
    RelayOutboxUseCase,
    DeliverWebhookUseCase,
    WebhookRelayHandler,
    WebhookDeliverHandler,
  ],
  exports: [WebhookEndpointRepository, WebhookDeliveryRepository, WebhookTargetGuard, RelayOutboxUseCase],
})
export class WebhookJobsModule {}

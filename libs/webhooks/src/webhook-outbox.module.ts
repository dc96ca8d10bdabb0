import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QueueModule } from '@coffee/queue';
import { IntegrationEvents } from '@coffee/tenancy';
import { OutboxEventEntity } from './outbox/outbox-event.entity';
import { OutboxRepository } from './outbox/outbox.repository';
import { OutboxWriter } from './outbox/outbox-writer';

/**
 * Global because it provides IntegrationEvents, which the features whose
 * changes are events (orders, menu, subscriptions) inject without depending
 * on this library. Every process that runs those features imports it.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([OutboxEventEntity]), QueueModule],
  providers: [OutboxRepository, OutboxWriter, { provide: IntegrationEvents, useExisting: OutboxWriter }],
  exports: [IntegrationEvents, OutboxRepository],
})
export class WebhookOutboxModule {}

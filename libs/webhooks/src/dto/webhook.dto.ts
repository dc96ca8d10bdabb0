import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  MaxLength,
} from 'class-validator';
import { PageMetaResponse, PageQueryDto, Trim } from '@coffee/common';
import { INTEGRATION_EVENT_TYPES, type IntegrationEventType } from '@coffee/tenancy';
import type { WebhookDeliveryAttemptEntity } from '../delivery/webhook-delivery.entities';
import type { WebhookEndpointEntity } from '../endpoints/webhook-endpoint.entity';

const URL_OPTIONS = { protocols: ['http', 'https'], require_protocol: true, require_tld: false, require_host: true };
const URL_MESSAGE = 'url must be an http(s) URL';

export class CreateWebhookDto {
  @ApiProperty({
    example: 'https://pos.example.com/hooks/coffee',
    maxLength: 2048,
    description: 'http(s). Must resolve to public addresses only (private, loopback and link-local are refused).',
  })
  @IsString()
  @MaxLength(2048)
  @IsUrl(URL_OPTIONS, { message: URL_MESSAGE })
  url!: string;

  @ApiProperty({ enum: INTEGRATION_EVENT_TYPES, isArray: true, example: ['order.created', 'order.status_changed'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(INTEGRATION_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(INTEGRATION_EVENT_TYPES, { each: true })
  events!: IntegrationEventType[];

  @ApiPropertyOptional({ maxLength: 255, example: 'Kitchen display' })
  @IsOptional()
  @Trim()
  @IsString()
  @Length(0, 255)
  description?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  isEnabled?: boolean;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional({ maxLength: 2048 })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @IsUrl(URL_OPTIONS, { message: URL_MESSAGE })
  url?: string;

  @ApiPropertyOptional({ enum: INTEGRATION_EVENT_TYPES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(INTEGRATION_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(INTEGRATION_EVENT_TYPES, { each: true })
  events?: IntegrationEventType[];

  @ApiPropertyOptional({ maxLength: 255 })
  @IsOptional()
  @Trim()
  @IsString()
  @Length(0, 255)
  description?: string;

  @ApiPropertyOptional({
    description: 'true re-enables an endpoint (also one the server disabled) and resets its failure count',
  })
  @IsOptional()
  @IsBoolean()
  isEnabled?: boolean;
}

export class ListWebhooksQueryDto extends PageQueryDto {}
export class ListDeliveriesQueryDto extends PageQueryDto {}

export class WebhookResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() url!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: INTEGRATION_EVENT_TYPES, isArray: true }) events!: IntegrationEventType[];
  @ApiProperty() isEnabled!: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'Set when the server disabled the endpoint' })
  disabledReason!: string | null;
  @ApiProperty({ description: 'Deliveries in a row that failed for good' }) consecutiveFailures!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class CreatedWebhookResponse extends WebhookResponse {
  @ApiProperty({
    description: 'The signing secret (`whsec_…`). Shown only in this response; store it now.',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  })
  secret!: string;
}

export class DeliveryAttemptResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', description: 'The delivery (one event for this endpoint); redeliver by this id' })
  deliveryId!: string;
  @ApiProperty({ format: 'uuid', description: 'The event id, sent as `webhook-id`' }) eventId!: string;
  @ApiProperty({ enum: INTEGRATION_EVENT_TYPES }) eventType!: string;
  @ApiProperty({ description: '1 for the first attempt' }) attempt!: number;
  @ApiProperty() succeeded!: boolean;
  @ApiProperty({ nullable: true, type: Number, description: 'null when no answer came' }) statusCode!: number | null;
  @ApiProperty() durationMs!: number;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The first 1 KiB of the answer' })
  responseBody!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class RedeliveryResponse {
  @ApiProperty({ format: 'uuid' }) deliveryId!: string;
  @ApiProperty({ description: 'The attempt number this redelivery runs as' }) attempt!: number;
}

export function toWebhookResponse(endpoint: WebhookEndpointEntity): WebhookResponse {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    events: endpoint.eventList(),
    isEnabled: endpoint.isEnabled,
    disabledReason: endpoint.disabledReason,
    consecutiveFailures: endpoint.consecutiveFailures,
    createdAt: endpoint.createdAt.toISOString(),
    updatedAt: endpoint.updatedAt.toISOString(),
  };
}

export function toDeliveryAttemptResponse(row: WebhookDeliveryAttemptEntity): DeliveryAttemptResponse {
  return {
    id: row.id,
    deliveryId: row.deliveryId,
    eventId: row.eventId,
    eventType: row.eventType,
    attempt: row.attempt,
    succeeded: row.succeeded,
    statusCode: row.statusCode,
    durationMs: row.durationMs,
    error: row.error,
    responseBody: row.responseBody,
    createdAt: row.createdAt.toISOString(),
  };
}

export class WebhookPageResponse {
  @ApiProperty({ type: [WebhookResponse] }) items!: WebhookResponse[];
  @ApiProperty({ type: PageMetaResponse }) meta!: PageMetaResponse;
}

export class DeliveryAttemptPageResponse {
  @ApiProperty({ type: [DeliveryAttemptResponse] }) items!: DeliveryAttemptResponse[];
  @ApiProperty({ type: PageMetaResponse }) meta!: PageMetaResponse;
}

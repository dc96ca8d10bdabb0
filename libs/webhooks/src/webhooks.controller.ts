import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors, IdParam, Roles, type Page } from '@coffee/common';
import { RequestContext } from '@coffee/tenancy';
import { WebhookDeliveriesService } from './delivery/webhook-deliveries.service';
import {
  CreatedWebhookResponse,
  CreateWebhookDto,
  DeliveryAttemptPageResponse,
  DeliveryAttemptResponse,
  ListDeliveriesQueryDto,
  ListWebhooksQueryDto,
  RedeliveryResponse,
  UpdateWebhookDto,
  WebhookPageResponse,
  WebhookResponse,
} from './dto/webhook.dto';
import { WebhookEndpointsService } from './endpoints/webhook-endpoints.service';

@ApiTags('webhooks')
@ApiErrors('UNAUTHENTICATED', 'FORBIDDEN', 'TENANT_SUSPENDED', 'CSRF_FAILED')
@Roles('owner')
@Controller('webhooks')
export class WebhooksController {
  constructor(
    private readonly endpoints: WebhookEndpointsService,
    private readonly deliveries: WebhookDeliveriesService,
    private readonly context: RequestContext,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: CreatedWebhookResponse, description: 'The signing secret is in this response only' })
  @ApiErrors('VALIDATION_FAILED')
  @ApiOperation({ operationId: 'createWebhook', summary: 'Create a webhook endpoint (its secret is shown once)' })
  create(@Body() dto: CreateWebhookDto): Promise<CreatedWebhookResponse> {
    return this.endpoints.create(this.context.tenant(), dto);
  }

  @Get()
  @ApiOkResponse({ type: WebhookPageResponse, description: 'Endpoints, newest first, without secrets' })
  @ApiErrors('VALIDATION_FAILED')
  @ApiOperation({ operationId: 'listWebhooks', summary: 'List webhook endpoints' })
  list(@Query() query: ListWebhooksQueryDto): Promise<Page<WebhookResponse>> {
    return this.endpoints.list(this.context.tenant(), query);
  }

  @Get(':id')
  @ApiOkResponse({ type: WebhookResponse })
  @ApiErrors('NOT_FOUND')
  @ApiOperation({ operationId: 'getWebhook', summary: 'Get a webhook endpoint' })
  get(@IdParam() id: string): Promise<WebhookResponse> {
    return this.endpoints.get(this.context.tenant(), id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: WebhookResponse })
  @ApiErrors('NOT_FOUND', 'VALIDATION_FAILED')
  @ApiOperation({ operationId: 'updateWebhook', summary: 'Update a webhook endpoint (URL, events, enabled)' })
  update(@IdParam() id: string, @Body() dto: UpdateWebhookDto): Promise<WebhookResponse> {
    return this.endpoints.update(this.context.tenant(), id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted, with its delivery log' })
  @ApiErrors('NOT_FOUND')
  @ApiOperation({ operationId: 'deleteWebhook', summary: 'Delete a webhook endpoint and its delivery log' })
  async remove(@IdParam() id: string): Promise<void> {
    await this.endpoints.remove(this.context.tenant(), id);
  }

  @Get(':id/deliveries')
  @ApiOkResponse({
    type: DeliveryAttemptPageResponse,
    description: 'The delivery log: one entry per attempt, newest first',
  })
  @ApiErrors('NOT_FOUND', 'VALIDATION_FAILED')
  @ApiOperation({ operationId: 'listWebhookDeliveries', summary: 'List the delivery attempts of a webhook endpoint' })
  deliveriesOf(@IdParam() id: string, @Query() query: ListDeliveriesQueryDto): Promise<Page<DeliveryAttemptResponse>> {
    return this.deliveries.log(this.context.tenant(), id, query);
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: RedeliveryResponse,
    description: 'The attempt is queued; its result appears in the log',
  })
  @ApiErrors('NOT_FOUND', 'CONFLICT')
  @ApiOperation({ operationId: 'redeliverWebhook', summary: 'Send a delivery again' })
  redeliver(@IdParam() id: string, @IdParam('deliveryId') deliveryId: string): Promise<RedeliveryResponse> {
    return this.deliveries.redeliver(this.context.tenant(), id, deliveryId);
  }
}

import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access, ApiErrors, IdParam, type Page } from '@coffee/common';
import { IdempotencyKeyHeader, IdempotencyKeyPipe } from '@coffee/idempotency';
import { RequestContext } from '@coffee/tenancy';
import { ChangeOrderStatusUseCase } from './change-status.usecase';
import {
  ChangeStatusDto,
  KitchenOrdersResponse,
  ListOrdersQueryDto,
  OrderHistoryResponse,
  OrderPageResponse,
  OrderResponse,
  PlaceOrderDto,
} from './dto/order.dto';
import { CHANGE_STATUS_EXAMPLES, PLACE_ORDER_EXAMPLES } from './dto/order.examples';
import { OrdersService, type HistoryEntry } from './orders.service';
import { PlaceOrderUseCase } from './place-order.usecase';

const READ = Access(['owner', 'manager', 'staff'], ['orders:read']);
const WRITE = Access(['owner', 'manager', 'staff'], ['orders:write']);

@ApiTags('orders')
@ApiErrors('UNAUTHENTICATED', 'FORBIDDEN', 'TENANT_SUSPENDED', 'CSRF_FAILED')
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly place: PlaceOrderUseCase,
    private readonly changeStatus: ChangeOrderStatusUseCase,
    private readonly orders: OrdersService,
    private readonly context: RequestContext,
  ) {}

  @Post()
  @WRITE
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description:
      'Unique per order attempt, reused on every retry of it: a replay with the same body returns the first ' +
      'answer (200); another body is 409 `IDEMPOTENCY_KEY_REUSED`. Kept at least 24 hours, per restaurant.',
    schema: { type: 'string', minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9_-]{8,128}$' },
    example: 'pos-7f3c2a91-order-1042',
  })
  @ApiBody({ type: PlaceOrderDto, examples: PLACE_ORDER_EXAMPLES })
  @ApiCreatedResponse({ type: OrderResponse, description: '201 when placed, 200 when replayed' })
  @ApiErrors(
    'IDEMPOTENCY_KEY_MISSING',
    'IDEMPOTENCY_KEY_REUSED',
    'IDEMPOTENCY_KEY_IN_USE',
    'VALIDATION_FAILED',
    'SERVICE_UNAVAILABLE',
  )
  @ApiOperation({ operationId: 'placeOrder', summary: 'Place an order (idempotent with Idempotency-Key)' })
  async create(
    @IdempotencyKeyHeader(IdempotencyKeyPipe) key: string,
    @Body() dto: PlaceOrderDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderResponse> {
    const placed = await this.place.execute(this.context.tenant(), key, dto);
    void reply.status(placed.replayed ? 200 : 201);
    return placed.order;
  }

  @Get()
  @READ
  @ApiOkResponse({
    type: OrderPageResponse,
    description:
      'Newest first unless `sort=createdAt`; `meta.nextCursor` pages by keyset in the same sort (then `total` is null)',
  })
  @ApiErrors('VALIDATION_FAILED')
  @ApiOperation({ operationId: 'listOrders', summary: 'List orders (cursor or offset paging)' })
  list(@Query() query: ListOrdersQueryDto): Promise<Page<OrderResponse>> {
    return this.orders.list(this.context.tenant(), query);
  }

  @Get('kitchen')
  @READ
  @ApiOkResponse({
    type: KitchenOrdersResponse,
    description: 'Pending, preparing and ready orders, oldest first, with their lines',
  })
  @ApiOperation({ operationId: 'listKitchenOrders', summary: 'Open orders for the kitchen display' })
  kitchen(): Promise<{ items: OrderResponse[] }> {
    return this.orders.kitchen(this.context.tenant());
  }

  @Get(':id')
  @READ
  @ApiOkResponse({ type: OrderResponse })
  @ApiErrors('NOT_FOUND')
  @ApiOperation({ operationId: 'getOrder', summary: 'Get an order with its lines' })
  get(@IdParam() id: string): Promise<OrderResponse> {
    return this.orders.get(this.context.tenant(), id);
  }

  @Get(':id/history')
  @READ
  @ApiOkResponse({ type: OrderHistoryResponse, description: 'Every status change, creation first' })
  @ApiErrors('NOT_FOUND')
  @ApiOperation({ operationId: 'getOrderHistory', summary: 'The status changes of an order' })
  history(@IdParam() id: string): Promise<{ items: HistoryEntry[] }> {
    return this.orders.history(this.context.tenant(), id);
  }

  @Post(':id/status')
  @WRITE
  @ApiBody({ type: ChangeStatusDto, examples: CHANGE_STATUS_EXAMPLES })
  @ApiOkResponse({ type: OrderResponse })
  @ApiErrors('NOT_FOUND', 'INVALID_TRANSITION', 'CONFLICT', 'VALIDATION_FAILED')
  @ApiOperation({ operationId: 'changeOrderStatus', summary: 'Move an order to another status' })
  async status(
    @IdParam() id: string,
    @Body() dto: ChangeStatusDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderResponse> {
    const order = await this.changeStatus.execute(this.context.tenant(), id, dto);
    void reply.status(200);
    return order;
  }
}

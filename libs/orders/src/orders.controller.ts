import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access, ApiErrors, IdParam, type Page } from '@coffee/common';
import { IdempotencyKeyHeader, IdempotencyKeyPipe } from '@coffee/idempotency';
import { RequestContext } from '@coffee/tenancy';
import { ChangeOrderStatusUseCase } from './change-status.usecase';
import { ChangeStatusDto, ListOrdersQueryDto, OrderResponse, PlaceOrderDto } from './dto/order.dto';
import { OrdersService, type HistoryEntry } from './orders.service';
import { PlaceOrderUseCase } from './place-order.usecase';

const READ = Access(['owner', 'manager', 'staff'], ['orders:read']);
const WRITE = Access(['owner', 'manager', 'staff'], ['orders:write']);

@ApiTags('orders')
@ApiCookieAuth('cookie')
@ApiBearerAuth('bearer')
@ApiSecurity('api-key')
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
    description: '8-128 characters of A-Z a-z 0-9 _ -; a replay with the same body returns the first answer',
  })
  @ApiCreatedResponse({ type: OrderResponse, description: '201 when placed, 200 when replayed' })
  @ApiErrors(
    'IDEMPOTENCY_KEY_MISSING',
    'IDEMPOTENCY_KEY_REUSED',
    'IDEMPOTENCY_KEY_IN_USE',
    'VALIDATION_FAILED',
    'SERVICE_UNAVAILABLE',
  )
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
    description:
      'Newest first unless `sort=createdAt`; `meta.nextCursor` pages by keyset in the same sort (then `total` is null)',
  })
  @ApiErrors('VALIDATION_FAILED')
  list(@Query() query: ListOrdersQueryDto): Promise<Page<OrderResponse>> {
    return this.orders.list(this.context.tenant(), query);
  }

  @Get('kitchen')
  @READ
  @ApiOkResponse({ description: '`{ items }`: pending, preparing and ready orders, oldest first, with their lines' })
  kitchen(): Promise<{ items: OrderResponse[] }> {
    return this.orders.kitchen(this.context.tenant());
  }

  @Get(':id')
  @READ
  @ApiOkResponse({ type: OrderResponse })
  @ApiErrors('NOT_FOUND')
  get(@IdParam() id: string): Promise<OrderResponse> {
    return this.orders.get(this.context.tenant(), id);
  }

  @Get(':id/history')
  @READ
  @ApiOkResponse({ description: '`{ items: [{ from, to, by, at, reason }] }`, creation first' })
  @ApiErrors('NOT_FOUND')
  history(@IdParam() id: string): Promise<{ items: HistoryEntry[] }> {
    return this.orders.history(this.context.tenant(), id);
  }

  @Post(':id/status')
  @WRITE
  @ApiOkResponse({ type: OrderResponse })
  @ApiErrors('NOT_FOUND', 'INVALID_TRANSITION', 'CONFLICT', 'VALIDATION_FAILED')
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

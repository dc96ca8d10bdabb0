import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdempotencyModule } from '@coffee/idempotency';
import { MenuModule } from '@coffee/menu';
import { TablesModule } from '@coffee/tables';
import { ChangeOrderStatusUseCase } from './change-status.usecase';
import { OrderCounterEntity, OrderEntity, OrderLineEntity, OrderStatusChangeEntity } from './order.entities';
import { OrderRepository } from './order.repository';
import { OrdersController } from './orders.controller';
import { OrdersService } from './orders.service';
import { PlaceOrderUseCase } from './place-order.usecase';
import { SalesModule } from './sales/sales.module';

@Module({
  imports: [
    TypeOrmModule.forFeature([OrderEntity, OrderLineEntity, OrderStatusChangeEntity, OrderCounterEntity]),
    IdempotencyModule,
    MenuModule,
    TablesModule,
    SalesModule,
  ],
  controllers: [OrdersController],
  providers: [OrderRepository, OrdersService, PlaceOrderUseCase, ChangeOrderStatusUseCase],
  exports: [PlaceOrderUseCase, ChangeOrderStatusUseCase],
})
export class OrdersModule {}

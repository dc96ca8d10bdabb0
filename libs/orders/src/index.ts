export * from './change-status.usecase';
export * from './domain/order-status';
export * from './domain/pricing';
export * from './dto/order.dto';
export * from './order.entities';
export * from './orders.module';
export * from './place-order.usecase';

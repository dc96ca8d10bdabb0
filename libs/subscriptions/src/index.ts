export * from './domain/subscription-status';
export * from './plan.dto';
export * from './plan.entity';
export * from './subscriptions.module';
export * from './subscriptions.service';

export * from './idempotency-key.entity';
export * from './idempotency-key.pipe';
export * from './idempotency-key.repository';
export * from './idempotency.module';
export * from './purge-expired-keys.handler';

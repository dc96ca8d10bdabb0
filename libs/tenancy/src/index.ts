export * from './integration-events';
export * from './plan-limits';
export * from './request-context';
export * from './restaurant.entity';
export * from './restaurant.repository';
export * from './tenancy.module';
export * from './tenant-standing';
export * from './tenant-status.service';

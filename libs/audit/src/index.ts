export * from './audit-log.entity';
export * from './audit-trail';
export * from './audit.module';

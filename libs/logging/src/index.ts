export * from './logging.module';
export * from './pino-options';
export * from './request-log';

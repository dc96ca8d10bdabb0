export * from './logging.module';
export * from './pino-options';

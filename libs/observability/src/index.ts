export * from './observability';
export * from './observability.module';
export type * from './telemetry';

export * from './api-keys/api-key.entity';
export * from './api-keys/api-keys.service';
export * from './auth.constants';
export * from './auth.module';
export * from './guards/csrf-exempt.decorator';
export * from './sessions/purge-refresh-tokens.handler';
export * from './sessions/refresh-token.entity';
export * from './sessions/session-maintenance.module';

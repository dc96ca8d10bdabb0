export * from './api-keys/api-key.entity';
export * from './api-keys/api-keys.service';
export * from './auth.constants';
export * from './auth.module';
export * from './guards/csrf-exempt.decorator';
export * from './sessions/refresh-token.entity';

export * from './data-source.options';
export * from './database.module';
export * from './embedded-persistence';
export * from './entities/base.entity';
export * from './migrations';
export * from './migrations/columns';
export * from './naming.strategy';
export * from './transactions';

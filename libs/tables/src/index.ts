export * from './table.dto';
export * from './table.entity';
export * from './tables.module';
export * from './tables.service';

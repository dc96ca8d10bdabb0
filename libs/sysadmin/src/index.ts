export * from './dto/create-restaurant.dto';
export * from './sysadmin.module';

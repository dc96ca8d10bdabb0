export * from './dto/audit-log.dto';
export * from './dto/create-restaurant.dto';
export * from './dto/failed-job.dto';
export * from './dto/restaurant-admin.dto';
export * from './dto/stats.dto';
export * from './sysadmin-restaurants.service';
export * from './sysadmin.module';

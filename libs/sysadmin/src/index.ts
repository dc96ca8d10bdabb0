export * from './dto/create-restaurant.dto';
export * from './sysadmin-restaurants.service';
export * from './sysadmin.module';

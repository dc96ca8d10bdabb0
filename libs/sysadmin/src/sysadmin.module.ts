import { Module } from '@nestjs/common';
import { UsersModule } from '@coffee/users';
import { SysadminRestaurantsService } from './sysadmin-restaurants.service';
import { SysadminController } from './sysadmin.controller';

@Module({
  imports: [UsersModule],
  controllers: [SysadminController],
  providers: [SysadminRestaurantsService],
  exports: [SysadminRestaurantsService],
})
export class SysadminModule {}

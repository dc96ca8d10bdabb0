import { Module } from '@nestjs/common';
import { AppCacheModule } from '@coffee/cache';
import { CoffeeConfigModule } from '@coffee/config';
import { DatabaseModule } from '@coffee/database';
import { LoggingModule } from '@coffee/logging';
import { RedisModule } from '@coffee/redis';
import { TenancyModule } from '@coffee/tenancy';
import { UsersModule } from '@coffee/users';

/** What operator commands need: configuration, the database and the users library. */
@Module({
  imports: [CoffeeConfigModule, LoggingModule, TenancyModule, DatabaseModule, RedisModule, AppCacheModule, UsersModule],
})
export class CliModule {}

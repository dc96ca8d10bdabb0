import { Module } from '@nestjs/common';
import { HitCounter } from './hit-counter';
import { SharedThrottlerStorage } from './throttler.storage';

/** The shared counters behind both the general throttler and the sign-in limit. */
@Module({ providers: [HitCounter, SharedThrottlerStorage], exports: [HitCounter, SharedThrottlerStorage] })
export class RateLimitStoreModule {}

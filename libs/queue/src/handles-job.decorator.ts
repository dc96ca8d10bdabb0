import { DiscoveryService } from '@nestjs/core';
import type { JobName } from './jobs';

/** Marks a provider as the handler of one job name; drivers find handlers by this mark. */
export const HandlesJob = DiscoveryService.createDecorator<JobName>();

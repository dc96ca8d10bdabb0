import { Global, Module } from '@nestjs/common';
import { QueueModule } from '@coffee/queue';
import { DependencyMetrics } from './dependency.metrics';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

@Global()
@Module({
  imports: [QueueModule],
  controllers: [MetricsController],
  providers: [MetricsService, DependencyMetrics],
  exports: [MetricsService],
})
export class MetricsModule {}

import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { LoggerModule, PinoLogger } from 'nestjs-pino';
import { FASTIFY_ONLY_ROUTES } from '@coffee/common';
import { appConfig, type AppConfig } from '@coffee/config';
import { buildPinoParams, requestLogLevel } from './pino-options';
import { requestLogMiddleware } from './request-log';

/**
 * nestjs-pino provides the loggers (Nest's Logger, PinoLogger) on one root pino
 * logger; the per-request log is this module's own middleware (see
 * requestLogMiddleware), not pino-http's, which made child loggers per request.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (app: AppConfig) => buildPinoParams(app),
    }),
  ],
  exports: [LoggerModule],
})
export class LoggingModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(requestLogMiddleware(() => PinoLogger.root, requestLogLevel))
      .exclude(...FASTIFY_ONLY_ROUTES)
      .forRoutes('{*path}');
  }
}

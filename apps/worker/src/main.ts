// First of all: a process started without heap flags restarts itself with them
// (the image's command has them), before anything is loaded; see heap-defaults.ts.
import { applyHeapDefaults } from '@coffee/runtime';
applyHeapDefaults();
// Compiled code is cached on disk (under os.tmpdir()), so every later start
// (a scale-out, a restart, a CLI call) skips most JS compilation.
import { enableCompileCache } from 'node:module';
enableCompileCache();
// Then, before anything it instruments is loaded: see instrument.ts.
import './instrument';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import {
  appConfigFrom,
  ConfigValidationError,
  currentEnvironment,
  loadDotEnvFile,
  redisConfigFrom,
} from '@coffee/config';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  loadDotEnvFile();
  let env;
  try {
    env = currentEnvironment();
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  if (!redisConfigFrom(env).enabled) {
    process.stderr.write(
      'The worker needs Redis (REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES: full mode). In embedded mode the API runs background jobs itself.\n',
    );
    process.exit(1);
  }
  const config = appConfigFrom(env);
  const app = await NestFactory.create<NestFastifyApplication>(WorkerModule, new FastifyAdapter({ logger: false }), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await app.listen({ port: config.workerPort, host: config.host });
  app.get(Logger).log(`Worker running; probes on http://${config.host}:${config.workerPort}/health/live`);
}

bootstrap().catch((error: unknown) => {
  // A failed start is reported and ends the process (an orchestrator restarts it), never an unhandled rejection.
  process.stderr.write(
    `Worker failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});

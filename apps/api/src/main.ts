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
import { Logger } from 'nestjs-pino';
import { appConfigFrom, ConfigValidationError, currentEnvironment, loadDotEnvFile } from '@coffee/config';
import { createApiApp } from './create-api-app';
import { enableGracefulShutdown } from './http-server';

async function bootstrap(): Promise<void> {
  loadDotEnvFile();
  let config;
  try {
    config = appConfigFrom(currentEnvironment());
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const app = await createApiApp(config);
  enableGracefulShutdown(app, config);
  await app.listen({ port: config.port, host: config.host });
  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  app
    .get(Logger)
    .log(
      `Coffee Shop Admin API listening on http://${shown}:${config.port} (docs: http://${shown}:${config.port}/docs)`,
    );
}

void bootstrap();

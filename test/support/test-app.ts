import type { ModuleMetadata } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { Server } from 'node:http';
import { ApiModule } from '../../apps/api/src/api.module';
import { configureHttpServer, createFastifyAdapter } from '../../apps/api/src/http-server';
import { appConfig, type AppConfig } from '@coffee/config';
import { applyEnv, baseEnv } from './env';

export interface TestApi {
  app: NestFastifyApplication;
  server: Server;
  close(): Promise<void>;
}

/**
 * The real API module in this process, configured exactly as `main.ts` does,
 * on the database and Redis of the current mode.
 */
export interface ProviderOverride {
  provide: unknown;
  useValue: unknown;
}

export async function startTestApi(
  env: Record<string, string | undefined> = {},
  extra: Pick<ModuleMetadata, 'imports' | 'controllers'> & { overrides?: ProviderOverride[] } = {},
): Promise<TestApi> {
  const restoreEnv = applyEnv({ ...baseEnv(), ...env });
  try {
    const builder = Test.createTestingModule({
      imports: [ApiModule, ...(extra.imports ?? [])],
      controllers: extra.controllers ?? [],
    });
    for (const override of extra.overrides ?? [])
      builder.overrideProvider(override.provide).useValue(override.useValue);
    const moduleRef = await builder.compile();
    const config = moduleRef.get<AppConfig>(appConfig.KEY);
    const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(config), {
      bodyParser: false,
      bufferLogs: true,
    });
    await configureHttpServer(app, config);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return {
      app,
      server: app.getHttpServer(),
      close: async () => {
        await app.close();
        restoreEnv();
      },
    };
  } catch (error) {
    restoreEnv();
    throw error;
  }
}

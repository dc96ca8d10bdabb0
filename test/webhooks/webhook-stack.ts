import { randomBytes } from 'node:crypto';
import { FULL_MODE } from '../support/env';
import { spawnApp, type RunningProcess } from '../support/processes';
import { startTestApi, type ProviderOverride, type TestApi } from '../support/test-app';

export interface WebhookStack {
  api: TestApi;
  close(): Promise<void>;
}

/**
 * The API, and in full mode a worker process beside it (BullMQ delivers
 * there), both with `env` and a Redis key prefix of their own, so no other
 * suite's worker takes these jobs. Provider overrides reach the in-process API
 * only: suites that need them run their deliveries in embedded mode.
 */
export async function startWebhookStack(
  env: Record<string, string>,
  overrides: ProviderOverride[] = [],
): Promise<WebhookStack> {
  if (!FULL_MODE) {
    const api = await startTestApi(env, { overrides });
    return { api, close: () => api.close() };
  }
  const prefix = `wh-${randomBytes(4).toString('hex')}`;
  const api = await startTestApi({ ...env, REDIS_KEY_PREFIX: prefix }, { overrides });
  let worker: RunningProcess | undefined;
  try {
    worker = await spawnApp('worker', { ...env, REDIS_KEY_PREFIX: prefix, DB_MIGRATE_ON_START: 'false' });
  } catch (error) {
    await api.close();
    throw error;
  }
  return {
    api,
    close: async () => {
      await worker?.stop();
      await api.close();
    },
  };
}

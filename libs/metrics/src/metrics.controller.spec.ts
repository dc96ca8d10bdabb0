import type { FastifyReply } from 'fastify';
import { AppError } from '@coffee/common';
import { appConfigFrom, validateEnvironment, type AppConfig } from '@coffee/config';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

const STRONG = 'q8Zr4v1XkP0tLm7sWc2bNe9yHd3uGa6j';

function controllerFor(env: Record<string, string>): MetricsController {
  const config: AppConfig = appConfigFrom(validateEnvironment(env));
  return new MetricsController(new MetricsService(), config);
}

function fakeReply(): FastifyReply & { body?: unknown } {
  const reply = {
    header: () => reply,
    send: (body: unknown) => {
      reply.body = body;
      return reply;
    },
  } as unknown as FastifyReply & { body?: unknown };
  return reply;
}

describe('MetricsController', () => {
  it.each(['production', 'staging'])('refuses a scrape in %s when no METRICS_TOKEN is set', async (nodeEnv) => {
    const controller = controllerFor({ NODE_ENV: nodeEnv, JWT_SECRET: STRONG });
    await expect(controller.scrape(undefined, fakeReply())).rejects.toThrow(AppError);
  });

  it('needs the token when one is set', async () => {
    const controller = controllerFor({ NODE_ENV: 'production', JWT_SECRET: STRONG, METRICS_TOKEN: STRONG });
    await expect(controller.scrape('Bearer wrong', fakeReply())).rejects.toThrow(AppError);
    const reply = fakeReply();
    await controller.scrape(`Bearer ${STRONG}`, reply);
    expect(reply.body).toEqual(expect.stringContaining('process_cpu'));
  });

  it('is open in development and test without a token', async () => {
    const reply = fakeReply();
    await controllerFor({ NODE_ENV: 'test' }).scrape(undefined, reply);
    expect(reply.body).toEqual(expect.stringContaining('process_cpu'));
  });
});

import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { eventually } from '../support/processes';
import type { BrowserSession } from '../support/session';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';
import { startWebhookStack, type WebhookStack } from './webhook-stack';

export interface Delivered {
  id: string;
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

export interface LogEntry {
  deliveryId: string;
  eventId: string;
  eventType: string;
  attempt: number;
  succeeded: boolean;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  responseBody: string | null;
}

/** Retries 200 ms, then 1 s after a failure: three attempts; an endpoint goes off after 2 failed deliveries. */
export const WEBHOOK_TEST_ENV = {
  WEBHOOK_ALLOW_PRIVATE: 'true',
  WEBHOOK_RETRY_DELAYS_MS: '200,1000',
  WEBHOOK_DISABLE_AFTER_FAILURES: '2',
};

/** Waits (polling, no fixed sleep) until the receiver holds at least `count` requests. */
export const receivedAtLeast = (receiver: WebhookReceiver, count: number) =>
  eventually(() => Promise.resolve(receiver.received.length >= count ? receiver.received.slice() : undefined), 300);

export const bodyOf = (receiver: WebhookReceiver, index: number): Delivered =>
  JSON.parse(receiver.received[index].body) as Delivered;

export const ALL_EVENTS = [
  'order.created',
  'order.status_changed',
  'menu.item_availability_changed',
  'subscription.changed',
];

/**
 * A webhook suite's stack (the API, and a worker in full mode) for the
 * enclosing describe, with receivers closed after it, and the calls its tests
 * share. Call it inside `describe`.
 */
export function useWebhookSuite() {
  let stack: WebhookStack | undefined;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    stack = await startWebhookStack(WEBHOOK_TEST_ENV);
  });

  afterAll(async () => {
    await Promise.all(receivers.map((receiver) => receiver.close()));
    await stack?.close();
  });

  const api = () => {
    if (!stack) throw new Error('the webhook stack has not started');
    return stack.api;
  };

  return {
    app: (): INestApplication => api().app,
    server: (): Server => api().server,

    async receiver(): Promise<WebhookReceiver> {
      const started = await startWebhookReceiver();
      receivers.push(started);
      return started;
    },

    async endpointFor(
      owner: BrowserSession,
      url: string,
      events = ALL_EVENTS,
    ): Promise<{ id: string; secret: string }> {
      const res = await owner.post('/api/v1/webhooks', { url, events, description: 'Test receiver' }).expect(201);
      return { id: res.body.id as string, secret: res.body.secret as string };
    },

    log: async (owner: BrowserSession, endpointId: string): Promise<LogEntry[]> =>
      (await owner.get(`/api/v1/webhooks/${endpointId}/deliveries?limit=100`).expect(200)).body.items as LogEntry[],
  };
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a receiver got; `at` is performance.now() at arrival. */
export interface ReceivedWebhook {
  at: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Answers the next requests with these statuses, in order; then 200. */
  failNext(...statuses: number[]): void;
  /** Answers every request with this status from now on (null: back to 200). */
  always(status: number | null): void;
  close(): Promise<void>;
}

/** This suite's ports (the machine's helpers each have a range); the first free one is taken. */
const PORTS = { first: 40_400, last: 40_499 };

/** A webhook receiver on 127.0.0.1 that records every request and answers as scripted. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const script: number[] = [];
  let fixed: number | null = null;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ at: performance.now(), headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = script.shift() ?? fixed ?? 200;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : `nope ${status}`);
    });
  });
  await listenInRange(server);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    failNext: (...statuses) => script.push(...statuses),
    always: (status) => (fixed = status),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Listens on 127.0.0.1 on a free port of this suite's range. */
export async function listenInRange(server: Server): Promise<void> {
  const offset = Math.floor(Math.random() * (PORTS.last - PORTS.first + 1));
  for (let i = 0; i <= PORTS.last - PORTS.first; i++) {
    const port = PORTS.first + ((offset + i) % (PORTS.last - PORTS.first + 1));
    const listening = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (listening) return;
  }
  throw new Error('no free port for the webhook receiver');
}

/**
 * Verifies a delivery as a receiver following the Standard Webhooks
 * specification would, written from the specification and independent of the
 * server's signer: the signed content is `id.timestamp.body`, the key is the
 * base64 part of `whsec_…`, the signature header lists `v1,<base64>` entries
 * separated by spaces, and a timestamp more than 5 minutes away is refused.
 */
export function verifyStandardWebhook(
  secret: string,
  headers: IncomingHttpHeaders,
  body: string,
  nowSeconds: number,
): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') return false;
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > 300) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.split(' ').some((entry) => {
    const [version, value] = entry.split(',', 2);
    if (version !== 'v1' || !value) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

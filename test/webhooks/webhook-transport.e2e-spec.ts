import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpWebhookTransport, RESPONSE_BODY_LIMIT, type ReceiverAnswer } from '@coffee/webhooks';
import { listenInRange } from '../support/webhook-receiver';

/**
 * The real HTTP transport against a local server: it connects to the address
 * it is given (not to what the host name resolves to), follows no redirect,
 * keeps 1 KiB of the answer and gives up at its timeout.
 */
describe('webhook HTTP transport', () => {
  let server: Server;
  let port: number;
  const seen: { host: string | undefined; body: string }[] = [];
  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
    '/ok': (_req, res) => res.writeHead(200).end('fine'),
    '/redirect': (_req, res) => res.writeHead(302, { location: '/ok' }).end(),
    '/large': (_req, res) => res.writeHead(500).end('x'.repeat(64 * 1024)),
    '/silent': () => undefined,
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        seen.push({ host: req.headers.host, body: Buffer.concat(chunks).toString() });
        (routes[req.url ?? ''] ?? routes['/ok'])(req, res);
      });
    });
    await listenInRange(server);
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const send = (path: string, timeoutMs = 5000): Promise<ReceiverAnswer> =>
    new HttpWebhookTransport().post({
      // A name that resolves nowhere: only the pinned address can reach the server.
      url: new URL(`http://hooks.pinned.invalid:${port}${path}`),
      address: { address: '127.0.0.1', family: 4 },
      headers: { 'content-type': 'application/json' },
      body: '{"hello":"world"}',
      timeoutMs,
    });

  it('connects to the checked address, keeping the URL host in the Host header', async () => {
    await expect(send('/ok')).resolves.toEqual({ statusCode: 200, body: 'fine' });
    expect(seen.at(-1)).toEqual({ host: `hooks.pinned.invalid:${port}`, body: '{"hello":"world"}' });
  });

  it('does not follow a redirect', async () => {
    const before = seen.length;
    await expect(send('/redirect')).resolves.toEqual({ statusCode: 302, body: '' });
    expect(seen.length).toBe(before + 1);
  });

  it('keeps only the first 1 KiB of a large answer', async () => {
    const answer = await send('/large');
    expect(answer.statusCode).toBe(500);
    expect(answer.body).toBe('x'.repeat(RESPONSE_BODY_LIMIT));
  });

  it('gives up when no answer comes within the timeout', async () => {
    await expect(send('/silent', 300)).rejects.toMatchObject({ cause: { name: 'TimeoutError' } });
  });
});

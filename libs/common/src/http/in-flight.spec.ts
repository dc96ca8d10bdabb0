import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { installEarlyAnswers } from './early-answers';
import { installRequestDrain } from './in-flight';

/** A route whose handler runs until released, like a placement waiting for a row lock. */
async function serverWithSlowHandler(answerEarly: boolean) {
  const fastify = Fastify();
  const inFlight = installRequestDrain(fastify);
  installEarlyAnswers(fastify, {});
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let started!: () => void;
  const handlerStarted = new Promise<void>((resolve) => (started = resolve));
  fastify.get('/slow', { config: { answerEarly } }, async () => {
    started();
    await released;
    return { done: true };
  });
  await fastify.listen({ port: 0, host: '127.0.0.1' });
  const { port } = fastify.server.address() as AddressInfo;
  return { fastify, inFlight, release, handlerStarted, port };
}

describe('installRequestDrain', () => {
  // Nest handlers are counted the same way by InFlightInterceptor (covered end to end by the SIGTERM e2e test).
  it.each([true])(
    'makes close() wait for an early-answered handler whose client left (answerEarly: %p)',
    async (answerEarly) => {
      const { fastify, inFlight, release, handlerStarted, port } = await serverWithSlowHandler(answerEarly);
      const client = request({ port, host: '127.0.0.1', path: '/slow' });
      client.on('error', () => undefined);
      client.end();
      await handlerStarted;
      // A reset, as a browser or a load balancer gives up: the server's socket closes at once.
      client.socket?.resetAndDestroy();

      const events: string[] = [];
      const closed = fastify.close().then(() => events.push('closed'));
      // The server stops accepting at once; close() itself waits for the handler.
      await new Promise<void>((resolve) => {
        const check = () => (fastify.server.listening ? setImmediate(check) : resolve());
        check();
      });
      expect(inFlight.size).toBeGreaterThan(0);
      events.push('handler released');
      release();
      await closed;
      expect(events).toEqual(['handler released', 'closed']);
      expect(inFlight.size).toBe(0);
    },
  );
});

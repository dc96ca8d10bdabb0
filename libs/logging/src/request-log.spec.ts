import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { pinoHttp, type Options } from 'pino-http';
import { appConfigFrom, validateEnvironment } from '@coffee/config';
import { buildPinoParams, requestLogLevel } from './pino-options';
import { assignRequestLogFields, requestLogMiddleware } from './request-log';

type Line = Record<string, unknown> & { msg: string; level: number; req?: { id?: string } };

/**
 * The request log through a real HTTP server and the application's own pino
 * options (as nestjs-pino builds its root logger from them): what an operator
 * reads on stdout.
 */
describe('requestLogMiddleware', () => {
  const lines: Line[] = [];
  let logger: Logger;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const text of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(text) as Line);
        done();
      },
    });
    const app = appConfigFrom(
      validateEnvironment({
        NODE_ENV: 'production',
        JWT_SECRET: 'q8Zr4v1XkP0tLm7sWc2bNe9yHd3uGa6j',
        LOG_LEVEL: 'info',
      }),
    );
    logger = pinoHttp(buildPinoParams(app).pinoHttp as Options, sink).logger;
    const middleware = requestLogMiddleware(() => logger, requestLogLevel);
    // The routes a test needs: a tenant's request that logs midway, a failure, an anonymous one.
    const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
      const path = req.url ?? '';
      if (path.startsWith('/tenant/')) {
        const tenant = path.slice('/tenant/'.length);
        assignRequestLogFields({ restaurantId: `r-${tenant}`, userId: `u-${tenant}`, apiKeyId: null });
        // Interleaves with the other requests in flight: each line must keep its own request's fields.
        await new Promise((resolve) => setTimeout(resolve, 5));
        logger.warn({ body: { password: 'hunter2hunter2', token: 'tok-secret' } }, `midway ${tenant}`);
      }
      res.statusCode = path === '/boom' ? 500 : 200;
      res.end('{}');
    };
    server = createServer((req, res) => {
      (req as IncomingMessage & { id: string }).id = String(req.headers['x-request-id']);
      middleware(req, res, () => void handle(req, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const get = (path: string, requestId: string) =>
    fetch(`${url}${path}`, {
      headers: { 'x-request-id': requestId, authorization: 'Bearer secret-jwt', cookie: 'access_token=secret-cookie' },
    });
  const linesOf = (requestId: string) => lines.filter((line) => line.req?.id === requestId);
  const settled = async (requestId: string, count: number) => {
    for (let i = 0; i < 200 && linesOf(requestId).length < count; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    return linesOf(requestId);
  };

  it('logs each request once with its id, tenant and user, and tags lines logged while it runs', async () => {
    await Promise.all(['a', 'b', 'c'].map((tenant) => get(`/tenant/${tenant}`, `req-${tenant}`)));
    for (const tenant of ['a', 'b', 'c']) {
      const [midway, completed, ...more] = await settled(`req-${tenant}`, 2);
      expect(more).toEqual([]);
      expect(midway).toMatchObject({
        level: 40,
        msg: `midway ${tenant}`,
        req: { id: `req-${tenant}`, method: 'GET', url: `/tenant/${tenant}`, remoteAddress: '127.0.0.1' },
        restaurantId: `r-${tenant}`,
        userId: `u-${tenant}`,
        apiKeyId: null,
      });
      expect(completed).toMatchObject({
        level: 30,
        msg: 'request completed',
        req: { id: `req-${tenant}`, method: 'GET', url: `/tenant/${tenant}` },
        restaurantId: `r-${tenant}`,
        userId: `u-${tenant}`,
        res: { statusCode: 200 },
        responseTime: expect.any(Number) as number,
      });
    }
  });

  it('keeps credentials out of every line', async () => {
    await get('/tenant/d', 'req-d');
    const text = JSON.stringify(await settled('req-d', 2));
    for (const secret of ['secret-jwt', 'secret-cookie', 'hunter2', 'tok-secret']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
  });

  it('logs an anonymous request without caller fields, and a 500 as an error', async () => {
    await get('/anonymous', 'req-anon');
    await get('/boom', 'req-boom');
    const [anonymous] = await settled('req-anon', 1);
    expect(anonymous).toMatchObject({ level: 30, msg: 'request completed', res: { statusCode: 200 } });
    expect(anonymous).not.toHaveProperty('restaurantId');
    const [boom] = await settled('req-boom', 1);
    expect(boom).toMatchObject({
      level: 50,
      msg: 'request errored',
      res: { statusCode: 500 },
      err: { message: 'failed with status code 500' },
    });
  });

  it('adds nothing to lines logged outside a request', () => {
    assignRequestLogFields({ restaurantId: 'nobody' });
    logger.info('outside');
    const outside = lines.find((line) => line.msg === 'outside');
    expect(outside).toBeDefined();
    expect(outside).not.toHaveProperty('req');
    expect(outside).not.toHaveProperty('restaurantId');
  });
});

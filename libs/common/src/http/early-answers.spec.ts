import Fastify from 'fastify';
import { installEarlyAnswers, staticSecurityHeaders } from './early-answers';

describe('staticSecurityHeaders', () => {
  it('collects the headers helmet would set for the options, once', () => {
    const headers = staticSecurityHeaders({ contentSecurityPolicy: false, xFrameOptions: { action: 'deny' } });
    expect(headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' });
    expect(headers).not.toHaveProperty('content-security-policy');
  });

  it('fails at boot on invalid options', () => {
    expect(() => staticSecurityHeaders({ referrerPolicy: { policy: 'nonsense' as never } })).toThrow();
  });
});

describe('installEarlyAnswers', () => {
  async function server() {
    const fastify = Fastify({ genReqId: () => 'req-1' });
    installEarlyAnswers(fastify, { 'x-content-type-options': 'nosniff' });
    const later: string[] = [];
    fastify.addHook('onRequest', (request, _reply, done) => {
      later.push(request.url);
      done();
    });
    fastify.get('/hot', { config: { answerEarly: true } }, (_request, reply) => reply.send({ hot: true }));
    fastify.get('/normal', () => ({ hot: false }));
    await fastify.ready();
    return { fastify, later };
  }

  it('answers marked routes from the first hook, with the security headers and the request id', async () => {
    const { fastify, later } = await server();
    const res = await fastify.inject('/hot');
    expect(res.json()).toEqual({ hot: true });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-request-id']).toBe('req-1');
    expect(res.headers.vary).toBe('Origin');
    expect(later).toEqual([]);
  });

  it('sends a request with an Origin header through the remaining hooks (CORS), even on a marked route', async () => {
    const { fastify, later } = await server();
    const res = await fastify.inject({ url: '/hot', headers: { origin: 'https://elsewhere.example' } });
    expect(res.json()).toEqual({ hot: true });
    expect(res.headers['x-content-type-options']).toBeUndefined();
    expect(later).toEqual(['/hot']);
  });

  it('sends what a marked handler returns, and passes its errors to the error handler', async () => {
    const fastify = Fastify();
    installEarlyAnswers(fastify, {});
    fastify.setErrorHandler((error: Error, _request, reply) => reply.status(418).send({ failed: error.message }));
    const early = { config: { answerEarly: true } };
    fastify.get('/async', early, () => Promise.resolve({ via: 'promise' }));
    fastify.get('/sync', early, () => ({ via: 'value' }));
    fastify.get('/rejects', early, () => Promise.reject(new Error('async boom')));
    fastify.get('/throws', early, () => {
      throw new Error('sync boom');
    });
    await fastify.ready();
    expect((await fastify.inject('/async')).json()).toEqual({ via: 'promise' });
    expect((await fastify.inject('/sync')).json()).toEqual({ via: 'value' });
    for (const [path, message] of [
      ['/rejects', 'async boom'],
      ['/throws', 'sync boom'],
    ]) {
      const res = await fastify.inject(path);
      expect(res.statusCode).toBe(418);
      expect(res.json()).toEqual({ failed: message });
    }
  });

  it('lets every other route through the remaining hooks', async () => {
    const { fastify, later } = await server();
    const res = await fastify.inject('/normal');
    expect(res.json()).toEqual({ hot: false });
    expect(res.headers['x-request-id']).toBe('req-1');
    expect(res.headers['x-content-type-options']).toBeUndefined();
    expect(later).toEqual(['/normal']);
  });
});

import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Answer this route from the first `onRequest` hook: before Nest
     * middleware (middie), cookie parsing and the per-request helmet hook.
     * For hot, public, cookie-free routes whose handler needs none of them.
     */
    answerEarly?: boolean;
  }
}

/**
 * The headers helmet sets for these options, computed once. They do not
 * depend on the request (no CSP nonces), so an early-answered route sends
 * them without running helmet per request.
 */
export function staticSecurityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  } as unknown as ServerResponse;
  helmet(options)({} as never, response, (error?: unknown) => {
    // Only invalid options fail, and they fail at boot.
    if (error) throw error instanceof Error ? error : new Error('Invalid helmet options');
  });
  return headers;
}

/**
 * The first `onRequest` hook: it tags every response with its request id and
 * answers routes marked `answerEarly` at once, with the given security headers
 * and none of the later hooks (Nest's adapter hooks, middleware, cookies,
 * helmet). A request with an `Origin` header takes the full pipeline instead,
 * so CORS answers it exactly as every other route; without one CORS would only
 * add `Vary: Origin`, which is set here. `onSend`/`onResponse` hooks (metrics)
 * still run, and Fastify answers 503 itself once the server is closing.
 */
export function installEarlyAnswers(fastify: FastifyInstance, securityHeaders: Record<string, string>): void {
  const earlyHeaders = { ...securityHeaders, vary: 'Origin' };
  fastify.addHook('onRequest', function (request, reply, done) {
    void reply.header('x-request-id', request.id);
    if (request.routeOptions.config.answerEarly !== true || request.headers.origin !== undefined) return done();
    void reply.headers(earlyHeaders);
    // The handler's outcome is settled as Fastify would: a returned value is
    // sent, a throw goes to the error handler.
    const settle = (value: unknown) => {
      if (!reply.sent && value !== undefined && value !== reply) void reply.send(value);
    };
    try {
      const result: unknown = request.routeOptions.handler.call(this, request, reply);
      if (result instanceof Promise) {
        // Counted until it settles: it may still use the database after its client left.
        const release = this.inFlight?.hold();
        result.then(settle, (error: unknown) => void reply.send(error)).finally(release);
      } else settle(result);
    } catch (error) {
      void reply.send(error);
    }
  });
}

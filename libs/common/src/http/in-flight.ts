import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { finalize, type Observable } from 'rxjs';

declare module 'fastify' {
  interface FastifyInstance {
    /** Set by {@link installRequestDrain}; absent on servers that do not drain (the worker's probes). */
    inFlight?: InFlightRequests;
  }
}

/**
 * Counts the work a server still has to finish: open responses and running
 * handlers. A handler keeps running after its client disconnects (a placement
 * waiting for a row lock), so the response alone is not enough to know that
 * the database pool may close.
 */
export class InFlightRequests {
  private count = 0;
  private waiters: (() => void)[] = [];

  get size(): number {
    return this.count;
  }

  /** Counts one piece of work until the returned function is called (once; later calls do nothing). */
  hold(): () => void {
    this.count += 1;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.count -= 1;
      if (this.count === 0) for (const wake of this.waiters.splice(0)) wake();
    };
  }

  /** Resolves once nothing is held. */
  idle(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

/**
 * Counts every request from its first hook until its response is closed
 * (sent or aborted), and makes `fastify.close()` wait for the count to reach
 * zero after the server has stopped accepting connections: Fastify runs
 * `onClose` hooks once its HTTP server is closed, and Nest closes the database
 * pool, Redis and the queues only after `fastify.close()` returns. Install it
 * before any other `onRequest` hook. Handlers are counted by
 * {@link InFlightInterceptor} (Nest routes) and by the early-answer hook.
 */
export function installRequestDrain(fastify: FastifyInstance, inFlight = new InFlightRequests()): InFlightRequests {
  fastify.decorate('inFlight', inFlight);
  fastify.addHook('onRequest', (_request, reply, done) => {
    reply.raw.once('close', inFlight.hold());
    done();
  });
  fastify.addHook('onClose', () => inFlight.idle());
  return inFlight;
}

/** Counts a Nest handler (with its interceptors) until it settles, even after its client went away. */
@Injectable()
export class InFlightInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const inFlight = context.switchToHttp().getRequest<FastifyRequest>().server.inFlight;
    if (!inFlight) return next.handle();
    return next.handle().pipe(finalize(inFlight.hold()));
  }
}

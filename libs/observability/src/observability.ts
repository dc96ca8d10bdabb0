import type { Telemetry } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { ConfigValidationError, currentEnvironment, loadDotEnvFile, observabilityConfigFrom } from '@coffee/config';
import type * as ErrorTrackingModule from './error-tracking';
import type { ErrorTracker, JobFailure, RequestTags, ServiceName, Tracing } from './telemetry';
import type * as TracingModule from './tracing';

let errorTracker: ErrorTracker | null = null;
let tracing: Tracing | null = null;

/**
 * Starts error tracking (SENTRY_DSN) and tracing (OTEL_EXPORTER_OTLP_ENDPOINT),
 * each only when its variable is set. Call it before anything else is loaded:
 * tracing patches `http`, `mysql2` and `ioredis` as they are required. With
 * neither variable set it loads none of the SDKs (they are required here, not
 * imported), so startup time and memory are those of an app without them.
 */
export function startObservability(service: ServiceName): void {
  loadDotEnvFile();
  let config;
  try {
    config = observabilityConfigFrom(currentEnvironment());
  } catch (error) {
    // The entry point validates the environment again and reports every problem.
    if (error instanceof ConfigValidationError) return;
    throw error;
  }
  // Tracing first, so that what loads after it (the error-tracking SDK too) loads with its patches in place.
  if (config.tracing && !tracing) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when configured (see above)
    const { startTracing } = require('./tracing') as typeof TracingModule;
    tracing = startTracing(config.tracing, service);
  }
  if (config.errorTracking && !errorTracker) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when configured (see above)
    const { startErrorTracking } = require('./error-tracking') as typeof ErrorTrackingModule;
    errorTracker = startErrorTracking(config.errorTracking, service);
  }
}

/** Names the restaurant and caller on the request's error events and its trace span. */
export function tagRequest(tags: RequestTags): void {
  errorTracker?.tagRequest(tags);
  tracing?.tagRequest(tags);
}

/** Reports a job that used up its attempts, with its queue, name and id. Never throws. */
export function reportJobFailure(error: unknown, job: JobFailure): void {
  if (!errorTracker) return;
  try {
    errorTracker.captureJobFailure(error, job);
  } catch {
    // Error tracking must not change how the queue handles the failure.
  }
}

/** Gives each request's span its route (`GET /api/v1/orders/:id`); adds nothing when tracing is off. */
export function traceRoutes(fastify: FastifyInstance): void {
  tracing?.traceRoutes(fastify);
}

/** BullMQ's `telemetry` option for a Queue or Worker: spans for adding and processing jobs, or none. */
export function bullmqTelemetry(): Telemetry | undefined {
  return tracing?.bullmqTelemetry();
}

/** Sends the error events and spans still buffered, waiting at most `timeoutMs` (an unreachable collector); at shutdown. */
export async function flushObservability(timeoutMs = 2000): Promise<void> {
  if (!errorTracker && !tracing) return;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([Promise.allSettled([errorTracker?.close(timeoutMs), tracing?.shutdown()]), deadline]);
  clearTimeout(timer);
}

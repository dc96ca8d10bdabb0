import type { Telemetry } from 'bullmq';
import type { FastifyInstance } from 'fastify';

/** The `service.name` of each deployable, and the `service` tag of its error events. */
export type ServiceName = 'coffee-api' | 'coffee-worker';

/** Who a request acts for, from its verified credentials (the same ids as its log lines). */
export interface RequestTags {
  restaurantId: string | null;
  userId: string | null;
  apiKeyId: string | null;
}

/** A job that used up its attempts. */
export interface JobFailure {
  queue: string;
  name: string;
  id: string;
  attempts: number;
  /** The tenant, when the job's payload names one. */
  restaurantId: string | null;
}

/** Error tracking (SENTRY_DSN), once started. */
export interface ErrorTracker {
  tagRequest(tags: RequestTags): void;
  captureJobFailure(error: unknown, job: JobFailure): void;
  /** Sends what is queued; called at shutdown. */
  close(timeoutMs: number): Promise<void>;
}

/** Tracing (OTEL_EXPORTER_OTLP_ENDPOINT), once started. */
export interface Tracing {
  tagRequest(tags: RequestTags): void;
  traceRoutes(fastify: FastifyInstance): void;
  bullmqTelemetry(): Telemetry;
  /** Exports the spans still buffered; called at shutdown. */
  shutdown(): Promise<void>;
}

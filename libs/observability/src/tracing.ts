import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { getRPCMetadata, RPCType, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { MySQL2Instrumentation } from '@opentelemetry/instrumentation-mysql2';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type Sampler,
} from '@opentelemetry/sdk-trace';
import type { Telemetry } from 'bullmq';
import { BullMQOtel } from 'bullmq-otel';
import type { TraceSampler, TracingConfig } from '@coffee/config';
import type { ServiceName, Tracing } from './telemetry';

/** Span attributes naming who a request acts for (the log lines' `restaurantId`, `userId`, `apiKeyId`). */
export const TENANT_ATTRIBUTES = {
  restaurantId: 'coffee.restaurant_id',
  userId: 'coffee.user_id',
  apiKeyId: 'coffee.api_key_id',
} as const;

/** Probes and scrapes: frequent, and nothing to learn from their traces. */
const UNTRACED_PATHS = /^\/(health(\/live|\/ready)?|metrics)(\?|$)/;

function samplerFor(name: TraceSampler, ratio: number): Sampler {
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}

/**
 * OpenTelemetry traces over OTLP/HTTP (JSON): a server span per request (the
 * route and the tenant as attributes), a span per mysql2 query (TypeORM's
 * driver; literals masked) and per ioredis command inside one (the command
 * name only), and BullMQ's spans for adding and processing jobs, linked across
 * the API and the worker. Outgoing HTTP (the error tracker's own reports) is
 * not traced. Loaded only when OTEL_EXPORTER_OTLP_ENDPOINT is set.
 */
export function startTracing(config: TracingConfig, service: ServiceName): Tracing {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    sampler: samplerFor(config.sampler, config.ratio),
    spanProcessors: [
      new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: config.tracesUrl, headers: config.headers }) }),
    ],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        disableOutgoingRequestInstrumentation: true,
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.test(request.url ?? ''),
      }),
      new MySQL2Instrumentation({ maskStatement: true }),
      new IORedisInstrumentation({ dbStatementSerializer: (command) => command }),
    ],
  });
  let telemetry: Telemetry | undefined;

  return {
    tagRequest({ restaurantId, userId, apiKeyId }) {
      const span = getRPCMetadata(context.active())?.span;
      if (!span) return;
      if (restaurantId) span.setAttribute(TENANT_ATTRIBUTES.restaurantId, restaurantId);
      if (userId) span.setAttribute(TENANT_ATTRIBUTES.userId, userId);
      if (apiKeyId) span.setAttribute(TENANT_ATTRIBUTES.apiKeyId, apiKeyId);
    },
    traceRoutes(fastify) {
      // The http instrumentation names the server span `<METHOD> <route>` and sets
      // `http.route` from this metadata when the response ends.
      fastify.addHook('onRequest', (request, _reply, done) => {
        const metadata = getRPCMetadata(context.active());
        if (metadata?.type === RPCType.HTTP && request.routeOptions.url) metadata.route = request.routeOptions.url;
        done();
      });
    },
    bullmqTelemetry() {
      telemetry ??= new BullMQOtel({ tracerName: service });
      return telemetry;
    },
    shutdown: () => provider.shutdown(),
  };
}

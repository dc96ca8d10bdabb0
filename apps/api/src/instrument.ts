/**
 * The first module main.ts loads (its first import), so error tracking and
 * tracing start before Nest, Fastify, mysql2 and ioredis are required: tracing
 * patches those modules as they load. A side-effect import at the top of the
 * CommonJS build does this in every way the API is started (npm scripts, the
 * Dockerfile, the tests) without `node --import`/`--require` flags to remember.
 * With neither SENTRY_DSN nor OTEL_EXPORTER_OTLP_ENDPOINT set it loads no SDK.
 */
import { startObservability } from '@coffee/observability';

startObservability('coffee-api');

import * as Sentry from '@sentry/node';
import { databaseErrorForReport, onUnexpectedError } from '@coffee/common';
import type { ErrorTrackingConfig } from '@coffee/config';
import { SAFE_REQUEST_HEADERS, scrubEvent } from './scrub';
import type { ErrorTracker, ServiceName } from './telemetry';

/**
 * Sentry for errors only (no Sentry tracing: spans go to the OTLP collector).
 * The integrations are listed rather than taken by default: each request gets
 * its own scope (the http integration, without spans, breadcrumbs, sessions or
 * bodies), uncaught exceptions and unhandled rejections are reported and still
 * end the process as Node would, and nothing captures errors on its own from
 * the web framework: the problem filter reports the 500s, and only them.
 * Loaded only when SENTRY_DSN is set.
 */
export function startErrorTracking(config: ErrorTrackingConfig, service: ServiceName): ErrorTracker {
  Sentry.init({
    dsn: config.dsn,
    environment: config.environment,
    release: config.release,
    initialScope: { tags: { service } },
    defaultIntegrations: false,
    integrations: [
      Sentry.httpIntegration({
        spans: false,
        breadcrumbs: false,
        sessions: false,
        tracePropagation: false,
        maxRequestBodySize: 'none',
      }),
      Sentry.requestDataIntegration(),
      Sentry.linkedErrorsIntegration(),
      Sentry.dedupeIntegration(),
      Sentry.onUncaughtExceptionIntegration(),
      Sentry.onUnhandledRejectionIntegration({ mode: 'strict' }),
      Sentry.nodeContextIntegration(),
      Sentry.contextLinesIntegration(),
    ],
    // Rewrites modules as they load, for Sentry's own tracing, which is not used.
    enableRuntimeChannelInjection: false,
    sendClientReports: false,
    maxBreadcrumbs: 0,
    dataCollection: {
      userInfo: false,
      cookies: false,
      httpHeaders: { request: { allow: SAFE_REQUEST_HEADERS }, response: false },
      httpBodies: [],
      urlQueryParams: false,
      databaseQueryData: false,
      queues: false,
      stackFrameVariables: false,
    },
    beforeSend: scrubEvent,
  });

  // The 500s (see onUnexpectedError); a database error without its literals, statement and parameters.
  onUnexpectedError((error, { requestId, method, route }) => {
    Sentry.withScope((scope) => {
      scope.setTag('requestId', requestId);
      if (route) scope.setTransactionName(`${method} ${route}`);
      Sentry.captureException(databaseErrorForReport(error));
    });
  });

  return {
    tagRequest({ restaurantId, userId, apiKeyId }) {
      const scope = Sentry.getIsolationScope();
      if (restaurantId) scope.setTag('restaurantId', restaurantId);
      if (userId) {
        scope.setTag('userId', userId);
        scope.setUser({ id: userId });
      }
      if (apiKeyId) scope.setTag('apiKeyId', apiKeyId);
    },
    captureJobFailure(error, job) {
      Sentry.withScope((scope) => {
        scope.setTags({ queue: job.queue, job: job.name, jobId: job.id, attempts: job.attempts });
        if (job.restaurantId) scope.setTag('restaurantId', job.restaurantId);
        scope.setTransactionName(`job ${job.name}`);
        Sentry.captureException(databaseErrorForReport(error));
      });
    },
    async close(timeoutMs) {
      await Sentry.close(timeoutMs);
    },
  };
}

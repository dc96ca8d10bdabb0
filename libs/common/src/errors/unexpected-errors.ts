/** A request that ended in an unexpected error (500 INTERNAL). */
export interface UnexpectedErrorContext {
  requestId: string;
  method: string;
  /** The matched route's pattern (`/api/v1/orders/:id`); undefined when no route matched. */
  route: string | undefined;
}

export type UnexpectedErrorListener = (error: unknown, context: UnexpectedErrorContext) => void;

let listener: UnexpectedErrorListener | undefined;

/**
 * Subscribes error tracking (SENTRY_DSN) to the unexpected errors requests end
 * with: the 500s, which the problem filter also logs with their stack. A 4xx
 * is the client's doing and a 503 an outage (a dependency down, its retries
 * used up) that the logs, readiness and the metrics show; neither is passed
 * on, so an outage does not flood the tracker. One listener; without one
 * nothing happens.
 */
export function onUnexpectedError(next: UnexpectedErrorListener | undefined): void {
  listener = next;
}

/** Tells the listener, if any; a failing listener never changes the answer. */
export function notifyUnexpectedError(error: unknown, context: UnexpectedErrorContext): void {
  try {
    listener?.(error, context);
  } catch {
    // Error tracking is best effort.
  }
}

import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { healthReportOf, resolveProblem, toProblemDetails } from './problem';
import { notifyUnexpectedError } from './unexpected-errors';

const logger = new Logger('Errors');

/**
 * Writes any error as `application/problem+json`. Used by the Nest filter and by
 * Fastify's own error and not-found handlers, so that every 4xx/5xx the server
 * sends has the same shape, even for requests refused before Nest sees them.
 */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, exception: unknown): FastifyReply {
  const { error, unexpected } = resolveProblem(exception, { bodyLimit: request.routeOptions.bodyLimit });
  const requestId = String(request.id);
  if (unexpected) {
    logger.error({ err: exception, requestId, url: request.url }, 'Unhandled error while serving a request');
    // A 503 (a dependency down, retries used up) is the designed answer to an outage, not a defect.
    if (error.status === 500) {
      notifyUnexpectedError(exception, { requestId, method: request.method, route: request.routeOptions.url });
    }
  } else if (error.status >= 500) {
    logger.warn({ err: error.cause ?? exception, requestId, url: request.url }, error.message);
  }
  const instance = request.url.split('?')[0] ?? request.url;
  const problem = toProblemDetails(error, instance, requestId);
  const report = healthReportOf(exception);
  const body = report ? { ...problem, ...report } : problem;
  if (reply.sent) return reply;
  return reply
    .status(error.status)
    .headers(error.headers)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send(JSON.stringify(body));
}

/** The one global exception filter: every error becomes problem+json. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), exception);
  }
}

import { HttpException } from '@nestjs/common';
import { AppError, type FieldError } from './app-error';
import { DB_CONNECTION_FAILURE_CODES, errorCodeOf, isStorageFailure } from './database-errors';
import { ERROR_TITLES, problemType, type ErrorCode } from './error-codes';

/** RFC 9457 problem details, as the contract shapes them. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: ErrorCode;
  requestId: string;
  errors?: FieldError[];
}

export interface ResolvedProblem {
  error: AppError;
  /** True when the failure is ours (5xx), so it must be logged with its stack. */
  unexpected: boolean;
}

const STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'VALIDATION_FAILED',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/** Fastify's own error codes for requests it refuses before any handler runs. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_BAD_URL: 'BAD_REQUEST',
  // A path parameter longer than any id names no resource, like a malformed id (IdPipe).
  FST_ERR_MAX_PARAM_LENGTH: 'NOT_FOUND',
  FST_ERR_ASYNC_CONSTRAINT: 'BAD_REQUEST',
};

const FASTIFY_DETAILS: Partial<Record<ErrorCode, string>> = {
  UNSUPPORTED_MEDIA_TYPE: 'The request body must be application/json',
  PAYLOAD_TOO_LARGE: 'The request body is larger than this route accepts',
  NOT_FOUND: 'No such resource',
};

/** What the request was refused against, when the error alone does not say. */
export interface ProblemContext {
  /** The route's body limit in bytes. */
  bodyLimit?: number;
}

function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** Driver errors that mean "the database is not there", not "the query is wrong". */
const UNAVAILABLE_ERRNOS = new Set([
  ...DB_CONNECTION_FAILURE_CODES,
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  // The database circuit breaker is open, or the pool gave no connection in time (libs/database).
  'CIRCUIT_OPEN',
  'POOL_ACQUIRE_TIMEOUT',
  'POOL_QUEUE_FULL',
]);

/** An unavailable dependency may say when to try again (the database breaker: its next probe). */
function retryAfterOf(error: unknown): number | undefined {
  const seconds = (error as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

function fromHttpException(exception: HttpException): AppError {
  const status = exception.getStatus();
  const code = STATUS_CODES[status] ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
  const response = exception.getResponse();
  let detail = ERROR_TITLES[code];
  if (code === 'NOT_FOUND') detail = 'No such resource';
  else if (typeof response === 'string') detail = response;
  else if (code !== 'INTERNAL' && typeof (response as { message?: unknown }).message === 'string')
    detail = (response as { message: string }).message;
  // The throttler has already set Retry-After and the rate-limit headers on the reply.
  return new AppError(code, detail);
}

/**
 * Maps anything thrown while serving a request to the AppError the client sees.
 * Unknown errors become `INTERNAL` with a generic detail: no stack, SQL or
 * internals ever reach the client.
 */
export function resolveProblem(exception: unknown, context: ProblemContext = {}): ResolvedProblem {
  const resolved = classify(exception);
  // Fastify and Nest word an over-limit body generically; the client needs the number.
  if (resolved.error.code === 'PAYLOAD_TOO_LARGE' && context.bodyLimit !== undefined) {
    const detail = `The request body is larger than ${formatBytes(context.bodyLimit)}, the limit of this route`;
    return { error: new AppError('PAYLOAD_TOO_LARGE', detail), unexpected: false };
  }
  return resolved;
}

function classify(exception: unknown): ResolvedProblem {
  if (exception instanceof AppError) return { error: exception, unexpected: exception.status >= 500 };
  if (exception instanceof HttpException) {
    const error = fromHttpException(exception);
    return { error, unexpected: error.status >= 500 && error.code !== 'SERVICE_UNAVAILABLE' };
  }
  const code = errorCodeOf(exception);
  if (code && code in FASTIFY_CODES) {
    const mapped = FASTIFY_CODES[code];
    const detail = FASTIFY_DETAILS[mapped] ?? (exception as Error).message;
    return { error: new AppError(mapped, detail), unexpected: false };
  }
  if (exception instanceof SyntaxError || (exception as { statusCode?: number } | null)?.statusCode === 400) {
    return { error: new AppError('BAD_REQUEST', 'The request body is not valid JSON'), unexpected: false };
  }
  if (isStorageFailure(exception)) {
    // EmbeddedStorageState logs the failure once; each refused write is not news.
    return { error: AppError.storageUnavailable(exception), unexpected: false };
  }
  if (code && UNAVAILABLE_ERRNOS.has(code)) {
    return { error: AppError.serviceUnavailable(undefined, exception, retryAfterOf(exception)), unexpected: false };
  }
  const statusCode = (exception as { statusCode?: unknown } | null)?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    const mapped = STATUS_CODES[statusCode] ?? 'BAD_REQUEST';
    return { error: new AppError(mapped, (exception as Error).message || ERROR_TITLES[mapped]), unexpected: false };
  }
  return { error: new AppError('INTERNAL', 'An unexpected error occurred', { cause: exception }), unexpected: true };
}

/**
 * Terminus answers a failed health check with a 503 whose body is the report
 * (`{ status: 'error', info, error, details }`); probes and operators read that
 * shape, so it is kept and the problem fields are added beside it.
 */
export function healthReportOf(exception: unknown): Record<string, unknown> | undefined {
  if (!(exception instanceof HttpException) || exception.getStatus() !== 503) return undefined;
  const body = exception.getResponse();
  if (typeof body !== 'object' || body === null) return undefined;
  const report = body as Record<string, unknown>;
  return report.status === 'error' && typeof report.details === 'object' ? report : undefined;
}

export function toProblemDetails(error: AppError, instance: string, requestId: string): ProblemDetails {
  const body: ProblemDetails = {
    type: problemType(error.code),
    title: error.title,
    status: error.status,
    detail: error.message,
    instance,
    code: error.code,
    requestId,
  };
  if (error.errors) body.errors = error.errors;
  return body;
}

import { ERROR_STATUS, ERROR_TITLES, type ErrorCode } from './error-codes';

export interface FieldError {
  field: string;
  message: string;
}

/** The most `errors[]` entries a 422 lists. */
export const MAX_LISTED_ERRORS = 50;

export interface AppErrorOptions {
  errors?: FieldError[];
  /** Extra response headers, e.g. `Retry-After`. */
  headers?: Record<string, string>;
  cause?: unknown;
}

/**
 * A failure the client can act on: an HTTP status, a stable `code` and a
 * human-readable `detail`. Features name their failures with factories that
 * return AppErrors (`OrderErrors.invalidTransition(from, to)`).
 */
export class AppError extends Error {
  readonly status: number;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;

  constructor(
    readonly code: ErrorCode,
    detail?: string,
    options: AppErrorOptions = {},
  ) {
    super(detail ?? ERROR_TITLES[code], { cause: options.cause });
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }

  get title(): string {
    return ERROR_TITLES[this.code];
  }

  static notFound(what = 'Resource'): AppError {
    return new AppError('NOT_FOUND', `${what} not found`);
  }

  static conflict(detail: string): AppError {
    return new AppError('CONFLICT', detail);
  }

  static forbidden(detail = 'You may not do this'): AppError {
    return new AppError('FORBIDDEN', detail);
  }

  static unauthenticated(detail = 'Authentication required'): AppError {
    return new AppError('UNAUTHENTICATED', detail);
  }

  /**
   * 422 listing the invalid fields: at most MAX_LISTED_ERRORS of them, so a
   * body with thousands of bad fields gets a small answer; `detail` gives the total.
   */
  static validation(errors: FieldError[]): AppError {
    const total = errors.length;
    let detail = total === 1 ? '1 field is invalid' : `${total} fields are invalid`;
    if (total > MAX_LISTED_ERRORS) detail += `; the first ${MAX_LISTED_ERRORS} are listed`;
    return new AppError('VALIDATION_FAILED', detail, { errors: errors.slice(0, MAX_LISTED_ERRORS) });
  }

  static serviceUnavailable(
    detail = 'A dependency is unavailable; try again shortly',
    cause?: unknown,
    retryAfterSeconds = 5,
  ): AppError {
    return new AppError('SERVICE_UNAVAILABLE', detail, {
      headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
      cause,
    });
  }

  /** Embedded mode: the change could not be written to disk, so nothing was stored or acknowledged. */
  static storageUnavailable(cause?: unknown): AppError {
    return new AppError(
      'STORAGE_UNAVAILABLE',
      'The change could not be written to disk and was not stored; try again shortly',
      { headers: { 'Retry-After': '5' }, cause },
    );
  }

  static rateLimited(retryAfterSeconds: number): AppError {
    return new AppError('RATE_LIMITED', 'Too many requests; slow down', {
      headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
    });
  }
}

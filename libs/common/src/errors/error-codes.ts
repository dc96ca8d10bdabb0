/**
 * The contract's stable error codes (API.md, Errors) and the status each one
 * answers with. Clients switch on `code`; never rename one.
 */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  IDEMPOTENCY_KEY_MISSING: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  CSRF_FAILED: 403,
  TENANT_SUSPENDED: 403,
  PLAN_LIMIT_REACHED: 403,
  SUBSCRIPTION_INACTIVE: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  INVALID_TRANSITION: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  IDEMPOTENCY_KEY_IN_USE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  VALIDATION_FAILED: 422,
  ACCOUNT_LOCKED: 423,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
  STORAGE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_TITLES: Record<ErrorCode, string> = {
  BAD_REQUEST: 'Bad request',
  IDEMPOTENCY_KEY_MISSING: 'Idempotency key missing',
  UNAUTHENTICATED: 'Unauthenticated',
  INVALID_CREDENTIALS: 'Invalid credentials',
  FORBIDDEN: 'Forbidden',
  CSRF_FAILED: 'CSRF check failed',
  TENANT_SUSPENDED: 'Restaurant suspended',
  PLAN_LIMIT_REACHED: 'Plan limit reached',
  SUBSCRIPTION_INACTIVE: 'Subscription inactive',
  NOT_FOUND: 'Not found',
  METHOD_NOT_ALLOWED: 'Method not allowed',
  CONFLICT: 'Conflict',
  INVALID_TRANSITION: 'Invalid transition',
  IDEMPOTENCY_KEY_REUSED: 'Idempotency key reused',
  IDEMPOTENCY_KEY_IN_USE: 'Idempotency key in use',
  PAYLOAD_TOO_LARGE: 'Payload too large',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported media type',
  VALIDATION_FAILED: 'Validation failed',
  ACCOUNT_LOCKED: 'Account locked',
  RATE_LIMITED: 'Too many requests',
  INTERNAL: 'Internal server error',
  SERVICE_UNAVAILABLE: 'Service unavailable',
  STORAGE_UNAVAILABLE: 'Storage unavailable',
};

export const PROBLEM_TYPE_BASE = 'https://docs.coffee-admin.dev/problems/';

export function problemType(code: ErrorCode): string {
  return PROBLEM_TYPE_BASE + code.toLowerCase().replace(/_/g, '-');
}

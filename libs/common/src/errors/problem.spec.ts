import { BadRequestException, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { AppError } from './app-error';
import { databaseErrorForReport } from './database-errors';
import { resolveProblem, toProblemDetails } from './problem';

describe('resolveProblem', () => {
  it('keeps an AppError as it is', () => {
    const error = new AppError('INVALID_TRANSITION', 'pending → paid is not allowed');
    expect(resolveProblem(error)).toEqual({ error, unexpected: false });
  });

  it('maps Nest HTTP exceptions by status', () => {
    expect(resolveProblem(new NotFoundException()).error.code).toBe('NOT_FOUND');
    expect(resolveProblem(new BadRequestException('bad')).error).toMatchObject({ code: 'BAD_REQUEST', message: 'bad' });
    expect(resolveProblem(new ServiceUnavailableException()).error.code).toBe('SERVICE_UNAVAILABLE');
  });

  it.each([
    ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['FST_ERR_CTP_BODY_TOO_LARGE', 413, 'PAYLOAD_TOO_LARGE'],
    ['FST_ERR_CTP_INVALID_JSON_BODY', 400, 'BAD_REQUEST'],
  ])('maps Fastify %s to %i %s', (fastifyCode, status, code) => {
    const error = Object.assign(new Error('x'), { code: fastifyCode, statusCode: status });
    expect(resolveProblem(error).error).toMatchObject({ status, code });
  });

  it("names the route's body limit in a 413", () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), {
      code: 'FST_ERR_CTP_BODY_TOO_LARGE',
      statusCode: 413,
    });
    expect(resolveProblem(tooLarge, { bodyLimit: 16 * 1024 }).error.message).toBe(
      'The request body is larger than 16 KiB, the limit of this route',
    );
    expect(resolveProblem(tooLarge, { bodyLimit: 1024 * 1024 }).error.message).toContain('1 MiB');
  });

  it('lists at most 50 validation errors and gives the total in detail', () => {
    const errors = Array.from({ length: 75 }, (_, i) => ({ field: `f${i}`, message: 'f should not exist' }));
    const error = AppError.validation(errors);
    expect(error.errors).toHaveLength(50);
    expect(error.errors?.[49]).toEqual(errors[49]);
    expect(error.message).toBe('75 fields are invalid; the first 50 are listed');
    expect(AppError.validation(errors.slice(0, 50)).message).toBe('50 fields are invalid');
  });

  it('answers 503 when the database is unreachable, looking through TypeORM wrappers', () => {
    const driverError = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const wrapped = Object.assign(new Error('query failed'), { driverError });
    const { error, unexpected } = resolveProblem(wrapped);
    expect(error).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(error.headers['Retry-After']).toBeDefined();
    expect(unexpected).toBe(false);
  });

  it("answers 503 with the breaker's Retry-After while the database circuit is open", () => {
    const open = Object.assign(new Error('circuit open'), { code: 'CIRCUIT_OPEN', retryAfterSeconds: 3 });
    const { error, unexpected } = resolveProblem(open);
    expect(error).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(error.headers['Retry-After']).toBe('3');
    expect(unexpected).toBe(false);
  });

  it.each(['POOL_ACQUIRE_TIMEOUT', 'POOL_QUEUE_FULL'])('answers 503 for %s, not 500', (code) => {
    const { error, unexpected } = resolveProblem(Object.assign(new Error('no connection'), { code }));
    expect(error).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(error.headers['Retry-After']).toBe('5');
    expect(unexpected).toBe(false);
  });

  it('hides unknown errors behind INTERNAL and flags them for logging', () => {
    const { error, unexpected } = resolveProblem(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(error).toMatchObject({ status: 500, code: 'INTERNAL', message: 'An unexpected error occurred' });
    expect(unexpected).toBe(true);
  });
});

describe('toProblemDetails', () => {
  it('builds the contract shape, with errors only when there are some', () => {
    const body = toProblemDetails(
      AppError.validation([{ field: 'price', message: 'price must be a positive integer' }]),
      '/x',
      'rid',
    );
    expect(body).toEqual({
      type: 'https://docs.coffee-admin.dev/problems/validation-failed',
      title: 'Validation failed',
      status: 422,
      detail: '1 field is invalid',
      instance: '/x',
      code: 'VALIDATION_FAILED',
      requestId: 'rid',
      errors: [{ field: 'price', message: 'price must be a positive integer' }],
    });
    expect(toProblemDetails(AppError.notFound('Order'), '/y', 'r')).not.toHaveProperty('errors');
  });
});

describe('databaseErrorForReport', () => {
  it('keeps the kind and the shape of the message and stack, not the literals, statement or parameters', () => {
    const driverError = Object.assign(new Error("Duplicate entry 'ann@cafe.test' for key 'uq_users_email'"), {
      code: 'ER_DUP_ENTRY',
      sql: "INSERT INTO users (email) VALUES ('ann@cafe.test')",
    });
    const failed = new QueryFailedError(
      'INSERT INTO users (email, password_hash) VALUES (?, ?)',
      ['ann@cafe.test', '$argon2id$hash'],
      driverError,
    );
    const report = databaseErrorForReport(failed) as Error;
    expect(report).toBeInstanceOf(Error);
    expect(report).toMatchObject({ name: 'QueryFailedError', message: 'Duplicate entry ? for key ?' });
    expect(report.stack).toContain('QueryFailedError: Duplicate entry ? for key ?');
    expect(Object.keys(report)).toEqual(['name']);
    expect(JSON.stringify({ ...report, message: report.message, stack: report.stack })).not.toMatch(
      /ann@cafe|argon2|INSERT/,
    );
  });

  it('passes any other error through', () => {
    const error = new TypeError('x is undefined');
    expect(databaseErrorForReport(error)).toBe(error);
  });
});

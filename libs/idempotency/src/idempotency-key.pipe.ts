import { createParamDecorator, Injectable, type ExecutionContext, type PipeTransform } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError } from '@coffee/common';

const FORMAT = /^[A-Za-z0-9_-]{8,128}$/;

/** The `Idempotency-Key` header: 8-128 characters of [A-Za-z0-9_-], else 400 IDEMPOTENCY_KEY_MISSING. */
@Injectable()
export class IdempotencyKeyPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    if (typeof value === 'string' && FORMAT.test(value)) return value;
    throw new AppError(
      'IDEMPOTENCY_KEY_MISSING',
      'Send an Idempotency-Key header of 8-128 characters of A-Z, a-z, 0-9, _ and -',
    );
  }
}

/** The raw `Idempotency-Key` header; use it with IdempotencyKeyPipe: `@IdempotencyKeyHeader(IdempotencyKeyPipe)`. */
export const IdempotencyKeyHeader = createParamDecorator(
  (_data: unknown, context: ExecutionContext): unknown =>
    context.switchToHttp().getRequest<FastifyRequest>().headers['idempotency-key'],
);

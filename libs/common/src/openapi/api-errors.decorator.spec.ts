import 'reflect-metadata';
import { DECORATORS } from '@nestjs/swagger';
import { ApiErrors } from './api-errors.decorator';

interface Documented {
  description: string;
  content: { 'application/problem+json': { examples: Record<string, { $ref: string }> } };
}

const responsesOf = (method: unknown): Record<string, Documented> =>
  Reflect.getMetadata(DECORATORS.API_RESPONSE, method as object) as Record<string, Documented>;

const codesAt = (responses: Record<string, Documented>, status: number): string[] =>
  Object.keys(responses[String(status)]?.content['application/problem+json'].examples ?? {});

describe('ApiErrors', () => {
  @ApiErrors('UNAUTHENTICATED', 'FORBIDDEN')
  class Controller {
    @ApiErrors('PLAN_LIMIT_REACHED', 'VALIDATION_FAILED')
    create(): void {}

    list(): void {}
  }

  it("keeps the class's codes beside a method's own for the same status, listed once", () => {
    const responses = responsesOf(Controller.prototype.create);
    expect(codesAt(responses, 403)).toEqual(['FORBIDDEN', 'PLAN_LIMIT_REACHED']);
    expect(codesAt(responses, 401)).toEqual(['UNAUTHENTICATED']);
    expect(codesAt(responses, 422)).toEqual(['VALIDATION_FAILED']);
    expect(responses['403']?.description).toBe(
      '`FORBIDDEN` — Forbidden (https://docs.coffee-admin.dev/problems/forbidden); ' +
        '`PLAN_LIMIT_REACHED` — Plan limit reached (https://docs.coffee-admin.dev/problems/plan-limit-reached)',
    );
  });

  it('documents the class codes on methods without their own, with RATE_LIMITED and INTERNAL on every one', () => {
    const responses = responsesOf(Controller.prototype.list);
    expect(Object.keys(responses).sort()).toEqual(['401', '403', '429', '500']);
    expect(codesAt(responses, 429)).toEqual(['RATE_LIMITED']);
    expect(responses['429']).toHaveProperty(['headers', 'Retry-After']);
    expect(codesAt(responses, 500)).toEqual(['INTERNAL']);
  });

  it('refers each code to its example in components.examples', () => {
    expect(responsesOf(Controller.prototype.create)['422']?.content['application/problem+json'].examples).toEqual({
      VALIDATION_FAILED: { $ref: '#/components/examples/VALIDATION_FAILED' },
    });
  });
});

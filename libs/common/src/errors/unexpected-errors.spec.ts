import { Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './app-error';
import { sendProblem } from './problem-details.filter';
import { onUnexpectedError, type UnexpectedErrorContext } from './unexpected-errors';

function exchange(): { request: FastifyRequest; reply: FastifyReply } {
  const request = {
    id: 'req-1',
    method: 'POST',
    url: '/api/v1/users?x=1',
    routeOptions: { url: '/api/v1/users', bodyLimit: 1024 },
  } as unknown as FastifyRequest;
  const reply = {
    sent: false,
    status: () => reply,
    headers: () => reply,
    header: () => reply,
    send: () => reply,
  } as unknown as FastifyReply;
  return { request, reply };
}

describe('onUnexpectedError', () => {
  const heard: [unknown, UnexpectedErrorContext][] = [];

  beforeAll(() => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    onUnexpectedError((error, context) => heard.push([error, context]));
  });

  afterAll(() => {
    onUnexpectedError(undefined);
    jest.restoreAllMocks();
  });

  beforeEach(() => {
    heard.length = 0;
  });

  it('hears of an unexpected error (500), with the request id, method and route', () => {
    const error = new TypeError('x is undefined');
    const { request, reply } = exchange();
    sendProblem(request, reply, error);
    expect(heard).toEqual([[error, { requestId: 'req-1', method: 'POST', route: '/api/v1/users' }]]);
  });

  it.each([
    ['a 404', AppError.notFound('User')],
    ['a 422', AppError.validation([{ field: 'email', message: 'email must be an email' }])],
    ['a 503 (an outage)', AppError.serviceUnavailable('Database unavailable')],
    ['a database that cannot be reached', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
  ])('hears nothing of %s', (_label, error) => {
    const { request, reply } = exchange();
    sendProblem(request, reply, error);
    expect(heard).toEqual([]);
  });

  it('answers even when the listener throws', () => {
    onUnexpectedError(() => {
      throw new Error('tracker down');
    });
    const { request, reply } = exchange();
    expect(() => sendProblem(request, reply, new Error('boom'))).not.toThrow();
    onUnexpectedError((error, context) => heard.push([error, context]));
  });
});

import { Writable } from 'node:stream';
import pino from 'pino';
import { QueryFailedError } from 'typeorm';
import { AppError } from '@coffee/common';
import { appConfigFrom, validateEnvironment } from '@coffee/config';
import { buildPinoParams, REDACTED_PATHS } from './pino-options';

describe('buildPinoParams', () => {
  const app = appConfigFrom(
    validateEnvironment({ NODE_ENV: 'production', JWT_SECRET: 'q8Zr4v1XkP0tLm7sWc2bNe9yHd3uGa6j' }),
  );
  const options = buildPinoParams(app).pinoHttp as pino.LoggerOptions & {
    customLogLevel: (req: { url: string }, res: { statusCode: number }, err?: Error) => string;
    transport?: unknown;
  };

  it('writes JSON (no pretty transport) outside development', () => {
    expect(options.transport).toBeUndefined();
    const dev = buildPinoParams(appConfigFrom(validateEnvironment({ NODE_ENV: 'development' }))).pinoHttp as {
      transport?: unknown;
    };
    expect(dev.transport).toMatchObject({ target: 'pino-pretty' });
  });

  it('redacts credentials, cookies and secrets wherever they appear', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
    logger.info({
      req: { headers: { authorization: 'Bearer ck_live_abc', cookie: 'access_token=jwt', 'x-csrf-token': 'c' } },
      res: { headers: { 'set-cookie': 'refresh_token=r' } },
      body: { password: 'hunter2hunter2', newPassword: 'n3w-pass-word', token: 't', apiKey: 'ck_live_x' },
    });
    const line = lines.join('');
    for (const secret of ['ck_live_abc', 'access_token=jwt', 'refresh_token=r', 'hunter2', 'n3w-pass', 'ck_live_x']) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain('[redacted]');
  });

  it('keeps probes and scrapes out of info logs, and raises failures', () => {
    expect(options.customLogLevel({ url: '/health/ready' }, { statusCode: 200 })).toBe('debug');
    expect(options.customLogLevel({ url: '/metrics' }, { statusCode: 200 })).toBe('debug');
    expect(options.customLogLevel({ url: '/api/v1/orders' }, { statusCode: 200 })).toBe('info');
    expect(options.customLogLevel({ url: '/health/ready' }, { statusCode: 503 })).toBe('error');
    expect(options.customLogLevel({ url: '/api/v1/orders' }, { statusCode: 404 })).toBe('warn');
    expect(options.customLogLevel({ url: '/api/v1/orders' }, { statusCode: 200 }, new Error('x'))).toBe('error');
  });

  it('logs a database error without its bound parameters or quoted values', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    // pino-http (nestjs-pino) hands the custom serializer pino's serialized copy; a bare pino, the error.
    const serializeError = options.serializers!.err;
    const viaPinoHttp = pino({ serializers: { err: pino.stdSerializers.wrapErrorSerializer(serializeError) } }, sink);
    const bare = pino({ serializers: options.serializers }, sink);
    const hash = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g';
    const driverError = Object.assign(new Error("Duplicate entry 'ann@cafe.test' for key 'uq_users_email'"), {
      code: 'ER_DUP_ENTRY',
      errno: 1062,
      sql: `INSERT INTO users (email, password_hash) VALUES ('ann@cafe.test', '${hash}')`,
      sqlMessage: "Duplicate entry 'ann@cafe.test' for key 'uq_users_email'",
    });
    const failed = new QueryFailedError(
      "INSERT INTO users (email, password_hash, role) VALUES (?, ?, 'owner')",
      ['ann@cafe.test', hash],
      driverError,
    );
    for (const logger of [viaPinoHttp, bare]) {
      logger.error({ err: failed }, 'Unhandled error while serving a request');
      logger.warn({ err: AppError.serviceUnavailable('Database unavailable', failed) }, 'Database unavailable');
    }
    const logged = lines.map((line) => JSON.parse(line) as Record<string, Record<string, unknown>>);
    for (const [direct, wrapped] of [logged.slice(0, 2), logged.slice(2)]) {
      expect(direct?.err).toEqual({
        type: 'QueryFailedError',
        code: 'ER_DUP_ENTRY',
        errno: 1062,
        query: 'INSERT INTO users (email, password_hash, role) VALUES (?, ?, ?)',
        message: 'Duplicate entry ? for key ?',
        stack: expect.stringContaining('QueryFailedError: Duplicate entry ? for key ?'),
      });
      expect(wrapped?.err).toMatchObject({
        type: 'AppError',
        message: 'Database unavailable: Duplicate entry ? for key ?',
        stack: expect.stringContaining('caused by: QueryFailedError: Duplicate entry ? for key ?'),
      });
    }
    for (const secret of [hash, 'ann@cafe.test', 'owner']) expect(lines.join('')).not.toContain(secret);
  });
});

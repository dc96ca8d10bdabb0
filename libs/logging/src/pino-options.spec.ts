import { Writable } from 'node:stream';
import pino from 'pino';
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
});

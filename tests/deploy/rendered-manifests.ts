import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPOSITORY_ROOT } from './deployed-apps';

/** What `kubectl apply -k k8s/overlays/<name>` would apply. */
export const OVERLAYS = ['dev', 'prod'] as const;
export type Overlay = (typeof OVERLAYS)[number];

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/** A rendered object; each test reads the few fields it checks. */
export interface RenderedObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  // The specs of many kinds, read field by field by the tests that check them.
  spec?: any;
}

export interface SchemaResult {
  apiVersion: string;
  kind: string;
  name: string;
  errors: string[];
}

/**
 * The overlay rendered offline, as text: by `kustomize build` when a kustomize binary is on the
 * PATH (.ci/run builds one from the Go module proxy on a machine without kubectl), else by
 * `kubectl kustomize` (the same kustomize, built into kubectl).
 */
export function renderText(overlay: Overlay): string {
  const directory = join(REPOSITORY_ROOT, 'k8s/overlays', overlay);
  const standalone = spawnSync('kustomize', ['version'], { encoding: 'utf8' }).status === 0;
  const [command, args] = standalone
    ? ['kustomize', ['build', directory]]
    : ['kubectl', ['kustomize', directory]];
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) {
    throw new Error(`${command} ${args[0]} k8s/overlays/${overlay} failed: ${result.stderr}`);
  }
  return result.stdout;
}

export function parseRendered(text: string): RenderedObject[] {
  return parseAllDocuments(text).map((document) => document.toJS());
}

export function render(overlay: Overlay): RenderedObject[] {
  return parseRendered(renderText(overlay));
}

/** Each object checked against its Kubernetes or CRD schema by tests/support/k8s-validate.driver. */
export function validateSchemas(yamlText: string): SchemaResult[] {
  const driver = join(REPOSITORY_ROOT, 'tests/support/k8s-validate.driver.ts');
  const result = spawnSync(process.execPath, ['-r', '@swc-node/register', driver], {
    cwd: REPOSITORY_ROOT,
    input: yamlText,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`schema validation failed to run: ${result.stderr}`);
  return (JSON.parse(result.stdout) as { results: SchemaResult[] }).results;
}

/** Kubernetes' label selector semantics (In, NotIn, Exists, DoesNotExist); {} selects all. */
export function selects(selector: LabelSelector, labels: Record<string, string> = {}): boolean {
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(
    ([key, value]) => labels[key] === value,
  );
  return (
    byLabel &&
    (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
      if (operator === 'In') return key in labels && values.includes(labels[key]);
      if (operator === 'NotIn') return !(key in labels) || !values.includes(labels[key]);
      if (operator === 'Exists') return key in labels;
      if (operator === 'DoesNotExist') return !(key in labels);
      throw new Error(`unknown selector operator ${operator}`);
    })
  );
}

export const ofKind = (objects: RenderedObject[], kind: string) =>
  objects.filter((object) => object.kind === kind);

export const named = (objects: RenderedObject[], kind: string, name: string) =>
  objects.find((object) => object.kind === kind && object.metadata.name === name);

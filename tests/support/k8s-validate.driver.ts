// Validates Kubernetes objects against the Kubernetes and CRD schemas (kubernetes-models and its
// Strimzi, CloudNativePG, KEDA and Prometheus Operator packages), in a process of its own: those
// packages are ES modules, which Node's require loads and Jest's cannot. It reads a multi-document
// YAML stream (what `kubectl kustomize` prints) on stdin and prints one JSON line: per object its
// apiVersion, kind, name and schema errors; an object of a kind no package knows is an error too.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The packages export only an `import` condition, so each index is loaded by its file. */
const MODEL_PACKAGES = [
  'kubernetes-models',
  '@kubernetes-models/cloudnative-pg',
  '@kubernetes-models/keda',
  '@kubernetes-models/prometheus-operator',
  '@kubernetes-models/strimzi-kafka-operator',
];
const NODE_MODULES = join(__dirname, '..', '..', 'node_modules');
const load = createRequire(__filename);

interface ModelClass {
  apiVersion: string;
  kind: string;
  new (data: unknown): { validate(): void };
}

interface SchemaError {
  instancePath?: string;
  message?: string;
}

function isModelClass(value: unknown): value is ModelClass {
  const candidate = value as Partial<ModelClass> | null;
  return (
    typeof value === 'function' &&
    typeof candidate?.apiVersion === 'string' &&
    typeof candidate.kind === 'string'
  );
}

/** Every model class of the packages, by `apiVersion kind`; the packages nest group, version. */
function modelsByType(): Map<string, ModelClass> {
  const models = new Map<string, ModelClass>();
  const visit = (namespace: object, depth: number) => {
    for (const value of Object.values(namespace)) {
      if (isModelClass(value)) models.set(`${value.apiVersion} ${value.kind}`, value);
      else if (depth < 3 && value && typeof value === 'object') visit(value, depth + 1);
    }
  };
  for (const name of MODEL_PACKAGES) visit(load(join(NODE_MODULES, name, 'index.js')) as object, 0);
  return models;
}

function schemaErrors(model: ModelClass | undefined, object: Record<string, unknown>): string[] {
  if (!model) return [`no schema for ${String(object.apiVersion)} ${String(object.kind)}`];
  try {
    new model(object).validate();
    return [];
  } catch (error) {
    const details = (error as { errors?: SchemaError[] }).errors;
    if (!details) return [String(error)];
    return details.map((detail) => `${detail.instancePath || '/'} ${detail.message ?? ''}`.trim());
  }
}

const models = modelsByType();
const objects = parseAllDocuments(readFileSync(0, 'utf8'))
  .map((document) => document.toJS() as Record<string, unknown> | null)
  .filter((object): object is Record<string, unknown> => object !== null);
const results = objects.map((object) => ({
  apiVersion: object.apiVersion,
  kind: object.kind,
  name: (object.metadata as { name?: string } | undefined)?.name,
  errors: schemaErrors(models.get(`${String(object.apiVersion)} ${String(object.kind)}`), object),
}));
console.log(JSON.stringify({ modelCount: models.size, results }));

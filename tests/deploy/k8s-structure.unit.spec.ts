import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { ALL_TOPICS, CONSUMER_GROUPS, TOPICS } from '@rtp/contracts';
import {
  DEPLOYED_APPS,
  REPOSITORY_ROOT,
  defaultPort,
  readRepositoryFile,
  requiredSettings,
} from './deployed-apps';
import { OVERLAYS, Overlay, RenderedObject, render } from './rendered-manifests';

interface EnvironmentVariable {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}

interface Container {
  image: string;
  env?: EnvironmentVariable[];
  ports?: Array<{ name?: string; containerPort: number }>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  readinessProbe?: { httpGet?: { path: string } };
  livenessProbe?: { httpGet?: { path: string } };
}

/** The parts of each kind's spec that these tests read. */
interface Manifest {
  kind: string;
  metadata: { name: string };
  spec: {
    template?: { spec: { containers: Container[] } };
    topicName?: string;
    partitions?: number;
    scaleTargetRef?: { name: string };
    maxReplicaCount?: number;
    triggers?: Array<{ type: string; metadata: Record<string, string> }>;
  };
}

const SECRET_EXAMPLE = 'secret.example.yaml';
/** Settings that carry credentials: they come from a Secret, never from the manifest itself. */
const SECRET_SETTINGS = [
  'DATABASE_URL',
  'READ_DATABASE_URL',
  'ADMIN_API_KEY',
  'LEDGER_INTERNAL_API_KEY',
  'PARTNER_BANK_API_KEY',
  'PARTNER_WEBHOOK_SECRET',
  'SANDBOX_BANK_API_KEY',
  'SANDBOX_BANK_ADMIN_KEY',
  'SANDBOX_BANK_WEBHOOK_SECRET',
];

const BASE = 'k8s/base';
/** Only development runs the sandbox bank (k8s/components/sandbox-bank). */
const APPS_BY_OVERLAY: Record<Overlay, string[]> = {
  dev: DEPLOYED_APPS.map((app) => app.name),
  prod: DEPLOYED_APPS.map((app) => app.name).filter((name) => name !== 'sandbox-bank'),
};
/** The groups KEDA scales, with every topic each consumes (the services' PartitionRunner topics). */
const SCALED_CONSUMERS = [
  { scaledObject: 'ledger', group: CONSUMER_GROUPS.ledger, topics: [TOPICS.ledgerCommands] },
  {
    scaledObject: 'gateway-projections',
    group: CONSUMER_GROUPS.gatewayProjections,
    topics: [TOPICS.ledgerEvents],
  },
  {
    scaledObject: 'partner-adapter',
    group: CONSUMER_GROUPS.partnerAdapter,
    topics: [TOPICS.ledgerEvents, TOPICS.reconciliationCommands],
  },
  {
    scaledObject: 'reconciler',
    group: CONSUMER_GROUPS.reconciler,
    topics: [
      TOPICS.ledgerEvents,
      TOPICS.partnerEvents,
      TOPICS.partnerStatements,
      TOPICS.reconciliationCommands,
    ],
  },
];

const kustomization = parse(readRepositoryFile(join(BASE, 'kustomization.yaml'))) as {
  resources: string[];
};
const topicPartitions = Number(DEPLOYED_APPS[0].shape.TOPIC_PARTITIONS.parse(undefined));

function deploymentsOf(manifests: Manifest[]) {
  return manifests
    .filter((manifest) => manifest.kind === 'Deployment')
    .map((deployment) => {
      const container = deployment.spec.template?.spec.containers[0] ?? { image: '' };
      // The image names the app (deploy/Dockerfile, built with APP=<app>), so it decides the
      // shape; an overlay may put it in a registry (registry.example.com/rtp/<app>:<tag>).
      const appName = /(?:^|\/)rtp\/([a-z-]+):/.exec(container.image)?.[1];
      const app = DEPLOYED_APPS.find((candidate) => candidate.name === appName);
      return { name: deployment.metadata.name, container, app };
    });
}

describe('k8s/base', () => {
  it('applies every manifest except the secret example', () => {
    const notApplied = ['kustomization.yaml', SECRET_EXAMPLE];
    const expected = readdirSync(join(REPOSITORY_ROOT, BASE)).filter(
      (file) => file.endsWith('.yaml') && !notApplied.includes(file),
    );
    expect([...kustomization.resources].sort()).toEqual(expected.sort());
  });
});

describe.each(OVERLAYS)('k8s/overlays/%s', (overlay) => {
  const manifests = render(overlay) as RenderedObject[] as Manifest[];
  const ofKind = (kind: string) => manifests.filter((manifest) => manifest.kind === kind);
  const deployments = deploymentsOf(manifests);

  it('runs exactly its apps, each in at least one Deployment', () => {
    const running = new Set(deployments.map((deployment) => deployment.app?.name));
    expect([...running].sort()).toEqual([...APPS_BY_OVERLAY[overlay]].sort());
  });

  describe.each(deployments)('the $name Deployment', ({ container, app }) => {
    const names = (container.env ?? []).map((variable) => variable.name);

    it('runs the image of a known app', () => {
      expect(app).toBeDefined();
    });

    it('sets only settings that its config shape reads', () => {
      expect(names.filter((name) => !(name in (app?.shape ?? {})))).toEqual([]);
    });

    it('sets every setting that its config shape requires', () => {
      const required = requiredSettings(app?.shape ?? {});
      expect(required.filter((name) => !names.includes(name))).toEqual([]);
    });

    it('takes credentials from Secrets', () => {
      const inline = (container.env ?? []).filter(
        (variable) => SECRET_SETTINGS.includes(variable.name) && !variable.valueFrom?.secretKeyRef,
      );
      expect(inline.map((variable) => variable.name)).toEqual([]);
    });

    it('listens on all interfaces, on the default of its port setting', () => {
      const port = app ? defaultPort(app) : Number.NaN;
      const value = (name: string) =>
        container.env?.find((variable) => variable.name === name)?.value;
      expect({ host: value('HOST'), port: Number(value(app?.portSetting ?? '') ?? port) }).toEqual({
        host: '0.0.0.0',
        port,
      });
      expect(container.ports).toEqual([{ name: 'http', containerPort: port }]);
    });

    it('probes /health/ready for readiness and /health/live for liveness', () => {
      const readiness = container.readinessProbe?.httpGet?.path;
      const liveness = container.livenessProbe?.httpGet?.path;
      expect([readiness, liveness]).toEqual(['/health/ready', '/health/live']);
    });

    it('requests and limits cpu and memory', () => {
      expect(container.resources).toEqual({
        requests: { cpu: expect.any(String), memory: expect.any(String) },
        limits: { cpu: expect.any(String), memory: expect.any(String) },
      });
    });
  });

  it.each(ALL_TOPICS)('declares the topic %s with the partition count the services use', (name) => {
    const declared = ofKind('KafkaTopic').find((manifest) => manifest.spec.topicName === name);
    expect(declared?.spec.partitions).toBe(topicPartitions);
  });

  it.each(SCALED_CONSUMERS)(
    'scales $scaledObject on the lag of $group on each of its topics, up to the partition count',
    (expected) => {
      const scaled = ofKind('ScaledObject').find(
        (manifest) => manifest.metadata.name === expected.scaledObject,
      );
      const triggers = scaled?.spec.triggers ?? [];
      const partitions = expected.topics.map(
        (topic) =>
          ofKind('KafkaTopic').find((manifest) => manifest.spec.topicName === topic)?.spec
            .partitions,
      );
      expect({
        target: scaled?.spec.scaleTargetRef?.name,
        types: [...new Set(triggers.map((trigger) => trigger.type))],
        groups: [...new Set(triggers.map((trigger) => trigger.metadata.consumerGroup))],
        topics: triggers.map((trigger) => trigger.metadata.topic).sort(),
        idleConsumers: [...new Set(triggers.map((t) => t.metadata.allowIdleConsumers))],
        maxReplicaCount: scaled?.spec.maxReplicaCount,
      }).toEqual({
        target: expected.scaledObject,
        types: ['kafka'],
        groups: [expected.group],
        topics: [...expected.topics].sort(),
        idleConsumers: ['false'],
        maxReplicaCount: Math.min(...partitions.map(Number)),
      });
      expect(scaled?.spec.maxReplicaCount).toBe(topicPartitions);
    },
  );

  it('declares every Secret the Deployments read in the secret example, with its keys', () => {
    const examples = parseAllDocuments(readRepositoryFile(join(BASE, SECRET_EXAMPLE))).map(
      (document) => document.toJS() as { metadata: { name: string }; stringData?: object },
    );
    const declared = new Set(
      examples.flatMap((secret) =>
        Object.keys(secret.stringData ?? {}).map((key) => `${secret.metadata.name}/${key}`),
      ),
    );
    // Generated by CloudNativePG (postgres.yaml), not by hand.
    declared.add('payments-db-app/uri');
    const referenced = deployments.flatMap(({ container }) =>
      (container.env ?? []).flatMap(({ valueFrom }) =>
        valueFrom?.secretKeyRef
          ? [`${valueFrom.secretKeyRef.name}/${valueFrom.secretKeyRef.key}`]
          : [],
      ),
    );
    expect(referenced.filter((reference) => !declared.has(reference))).toEqual([]);
  });

  const environmentOf = (app: string, name: string) =>
    deployments
      .find((deployment) => deployment.app?.name === app)
      ?.container.env?.find((variable) => variable.name === name);

  it('points the partner adapter at the sandbox bank in dev only, else at HTTPS', () => {
    const url = environmentOf('partner-adapter', 'PARTNER_BANK_URL')?.value ?? '';
    expect(url).toMatch(overlay === 'dev' ? /^http:\/\/sandbox-bank:3004$/ : /^https:\/\//);
  });

  (overlay === 'dev' ? it : it.skip)(
    'gives the partner adapter and the sandbox bank the same API key and webhook secret',
    () => {
      const source = (app: string, name: string) =>
        deployments
          .find((deployment) => deployment.app?.name === app)
          ?.container.env?.find((variable) => variable.name === name)?.valueFrom?.secretKeyRef;
      expect(source('partner-adapter', 'PARTNER_BANK_API_KEY')).toEqual(
        source('sandbox-bank', 'SANDBOX_BANK_API_KEY'),
      );
      expect(source('partner-adapter', 'PARTNER_WEBHOOK_SECRET')).toEqual(
        source('sandbox-bank', 'SANDBOX_BANK_WEBHOOK_SECRET'),
      );
      expect(source('partner-adapter', 'PARTNER_WEBHOOK_SECRET')).toBeDefined();
    },
  );
});

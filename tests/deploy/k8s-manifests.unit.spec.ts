import {
  OVERLAYS,
  RenderedObject,
  named,
  ofKind,
  parseRendered,
  renderText,
  selects,
  validateSchemas,
} from './rendered-manifests';

const SCALED_KINDS = ['ScaledObject', 'HorizontalPodAutoscaler'];

describe.each(OVERLAYS)('k8s/overlays/%s, rendered', (overlay) => {
  const text = renderText(overlay);
  const objects = parseRendered(text);
  const deployments = ofKind(objects, 'Deployment');
  const podLabels = (deployment: RenderedObject) =>
    deployment.spec.template.metadata.labels as Record<string, string>;

  it('is valid, object by object, against the Kubernetes and CRD schemas', () => {
    const results = validateSchemas(text);
    expect(results).toHaveLength(objects.length);
    expect(results.filter((result) => result.errors.length > 0)).toEqual([]);
  });

  it('puts every object in the payments namespace, labelled as part of the platform', () => {
    const misplaced = objects
      .filter((object) => object.kind !== 'Namespace')
      .filter(
        (object) =>
          object.metadata.namespace !== 'payments' ||
          object.metadata.labels?.['app.kubernetes.io/part-of'] !== 'realtime-payments',
      );
    expect(misplaced.map((object) => `${object.kind}/${object.metadata.name}`)).toEqual([]);
  });

  it('carries no Secret: Deployments reference Secrets created out of band', () => {
    expect(ofKind(objects, 'Secret')).toEqual([]);
  });

  it.each(deployments.map((deployment) => deployment.metadata.name))(
    'gives the %s Deployment a PodDisruptionBudget of one pod at a time',
    (name) => {
      const labels = podLabels(named(objects, 'Deployment', name) as RenderedObject);
      const budgets = ofKind(objects, 'PodDisruptionBudget').filter((budget) =>
        selects(budget.spec.selector, labels),
      );
      expect(budgets.map((budget) => budget.spec.maxUnavailable)).toEqual([1]);
    },
  );

  it('leaves the replica count of every autoscaled Deployment to its autoscaler', () => {
    const targets = SCALED_KINDS.flatMap((kind) => ofKind(objects, kind)).map(
      (scaler) => scaler.spec.scaleTargetRef.name as string,
    );
    const fixed = targets.filter((name) => named(objects, 'Deployment', name)?.spec.replicas);
    expect({ targets: new Set(targets).size, fixed }).toEqual({
      targets: targets.length,
      fixed: [],
    });
    expect(targets).toEqual(expect.arrayContaining(['ledger', 'partner-adapter', 'reconciler']));
  });

  it('scales the gateway API on CPU with a HorizontalPodAutoscaler', () => {
    const autoscaler = named(objects, 'HorizontalPodAutoscaler', 'gateway');
    expect({
      target: autoscaler?.spec.scaleTargetRef,
      metric: autoscaler?.spec.metrics?.[0]?.resource?.name,
      bounded: autoscaler?.spec.minReplicas <= autoscaler?.spec.maxReplicas,
    }).toEqual({
      target: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'gateway' },
      metric: 'cpu',
      bounded: true,
    });
  });

  it.each(deployments.map((deployment) => deployment.metadata.name))(
    'scrapes the %s pods through a Service and a ServiceMonitor on the http port',
    (name) => {
      const labels = podLabels(named(objects, 'Deployment', name) as RenderedObject);
      const services = ofKind(objects, 'Service').filter((service) =>
        selects({ matchLabels: service.spec.selector }, labels),
      );
      const monitored = services.filter((service) =>
        ofKind(objects, 'ServiceMonitor').some(
          (monitor) =>
            selects(monitor.spec.selector, service.metadata.labels) &&
            monitor.spec.endpoints.some(
              (endpoint: { port: string; path: string }) =>
                endpoint.port === 'http' && endpoint.path === '/metrics',
            ),
        ),
      );
      expect(monitored).toHaveLength(1);
    },
  );

  it('runs Kafka in KRaft mode on node pools that are controllers and brokers', () => {
    const kafka = named(objects, 'Kafka', 'payments-kafka');
    const pools = ofKind(objects, 'KafkaNodePool');
    expect(kafka?.metadata.annotations).toMatchObject({
      'strimzi.io/kraft': 'enabled',
      'strimzi.io/node-pools': 'enabled',
    });
    expect(pools.flatMap((pool) => pool.spec.roles).sort()).toEqual(['broker', 'controller']);
    expect(pools.map((pool) => pool.metadata.labels?.['strimzi.io/cluster'])).toEqual([
      'payments-kafka',
    ]);
  });

  it('replicates every topic no wider than the brokers, with a reachable in-sync minimum', () => {
    const brokers = ofKind(objects, 'KafkaNodePool')
      .filter((pool) => pool.spec.roles.includes('broker'))
      .reduce((sum, pool) => sum + Number(pool.spec.replicas), 0);
    const misfits = ofKind(objects, 'KafkaTopic').filter(({ spec }) => {
      const minimum = Number(spec.config['min.insync.replicas']);
      // One replica lost must not stop writes, unless there is only one.
      return (
        spec.replicas > brokers || (spec.replicas > 1 ? minimum >= spec.replicas : minimum !== 1)
      );
    });
    expect(misfits.map((topic) => topic.metadata.name)).toEqual([]);
  });

  it('runs PostgreSQL with replicas, so that payments-db-ro has someone behind it', () => {
    expect(named(objects, 'Cluster', 'payments-db')?.spec.instances).toBeGreaterThanOrEqual(2);
  });
});

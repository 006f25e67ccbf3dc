import { Endpoint, connectionAllowed } from './network-policy-evaluator';
import { OVERLAYS, RenderedObject, named, ofKind, render } from './rendered-manifests';

const KAFKA_BROKER: Endpoint = {
  namespace: 'payments',
  labels: {
    'strimzi.io/cluster': 'payments-kafka',
    'strimzi.io/kind': 'Kafka',
    'strimzi.io/broker-role': 'true',
  },
};
const POSTGRES: Endpoint = { namespace: 'payments', labels: { 'cnpg.io/cluster': 'payments-db' } };
const DNS: Endpoint = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };
const PROMETHEUS: Endpoint = {
  namespace: 'monitoring',
  labels: { 'app.kubernetes.io/name': 'prometheus' },
};
const KEDA: Endpoint = { namespace: 'keda', labels: { 'app.kubernetes.io/name': 'keda-operator' } };
const INTERNET: Endpoint = { ip: '203.0.113.10' };
const PRIVATE_ADDRESS: Endpoint = { ip: '10.0.0.5' };
const METADATA_ADDRESS: Endpoint = { ip: '169.254.169.254' };
const CLIENTS = ['gateway', 'gateway-projections', 'ledger', 'partner-adapter', 'reconciler'];

/** Each Deployment's pods as the policies see them: template labels and named ports. */
function podOf(objects: RenderedObject[], name: string): Endpoint & { port: number } {
  const template = named(objects, 'Deployment', name)?.spec.template;
  const ports: Array<{ name: string; containerPort: number }> = template.spec.containers[0].ports;
  return {
    namespace: 'payments',
    labels: template.metadata.labels,
    ports: Object.fromEntries(ports.map((port) => [port.name, port.containerPort])),
    port: ports[0].containerPort,
  };
}

describe.each(OVERLAYS)('the NetworkPolicies of k8s/overlays/%s', (overlay) => {
  const objects = render(overlay);
  const deployments = ofKind(objects, 'Deployment').map((deployment) => deployment.metadata.name);
  const pod = (name: string) => podOf(objects, name);
  const allowed = (client: Endpoint, server: Endpoint, port: number, protocol?: string) =>
    connectionAllowed(objects, client, server, port, protocol);

  it('deny everything by default, in both directions', () => {
    const denyAll = ofKind(objects, 'NetworkPolicy').filter(
      ({ spec }) =>
        Object.keys(spec.podSelector).length === 0 &&
        [...spec.policyTypes].sort().join() === 'Egress,Ingress' &&
        !spec.ingress &&
        !spec.egress,
    );
    expect(denyAll).toHaveLength(1);
  });

  it.each(CLIENTS)('let %s reach Kafka and PostgreSQL, and resolve names', (name) => {
    expect({
      kafka: allowed(pod(name), KAFKA_BROKER, 9092),
      postgres: allowed(pod(name), POSTGRES, 5432),
      dns: allowed(pod(name), DNS, 53, 'UDP'),
    }).toEqual({ kafka: true, postgres: true, dns: true });
  });

  it('let KEDA read the consumer groups from Kafka, and nothing else from outside', () => {
    expect(allowed(KEDA, KAFKA_BROKER, 9092)).toBe(true);
    expect(allowed(INTERNET, KAFKA_BROKER, 9092)).toBe(false);
    expect(allowed(INTERNET, POSTGRES, 5432)).toBe(false);
  });

  it('let Prometheus scrape every service on its http port', () => {
    const scraped = deployments.filter((name) => allowed(PROMETHEUS, pod(name), pod(name).port));
    expect(scraped.sort()).toEqual([...deployments].sort());
  });

  it('open only the gateway and the partner adapter (bank webhooks) to the outside', () => {
    const open = deployments.filter((name) => allowed(INTERNET, pod(name), pod(name).port));
    expect(open.sort()).toEqual(['gateway', 'partner-adapter']);
  });

  it('let the gateway deliver webhooks to public addresses only', () => {
    expect({
      public: allowed(pod('gateway'), INTERNET, 443),
      publicOtherPort: allowed(pod('gateway-projections'), INTERNET, 8443),
      private: allowed(pod('gateway'), PRIVATE_ADDRESS, 443),
      metadata: allowed(pod('gateway'), METADATA_ADDRESS, 80),
      ledger: allowed(pod('gateway'), pod('ledger'), pod('ledger').port),
    }).toEqual({
      public: true,
      publicOtherPort: true,
      private: false,
      metadata: false,
      ledger: false,
    });
  });

  it('let the partner adapter call the bank over HTTPS, and the ledger and reconciler nothing outside', () => {
    expect(allowed(pod('partner-adapter'), INTERNET, 443)).toBe(true);
    expect(allowed(pod('partner-adapter'), INTERNET, 80)).toBe(false);
    expect(allowed(pod('ledger'), INTERNET, 443)).toBe(false);
    expect(allowed(pod('reconciler'), INTERNET, 443)).toBe(false);
    expect(allowed(pod('reconciler'), pod('partner-adapter'), pod('partner-adapter').port)).toBe(
      false,
    );
  });

  if (overlay === 'dev') {
    it('let the partner adapter and the sandbox bank talk to each other, and no one else', () => {
      const bank = pod('sandbox-bank');
      const adapter = pod('partner-adapter');
      expect({
        adapterToBank: allowed(adapter, bank, bank.port),
        bankWebhooks: allowed(bank, adapter, adapter.port),
        bankToPostgres: allowed(bank, POSTGRES, 5432),
        bankToKafka: allowed(bank, KAFKA_BROKER, 9092),
        gatewayToBank: allowed(pod('gateway'), bank, bank.port),
        internetToBank: allowed(INTERNET, bank, bank.port),
      }).toEqual({
        adapterToBank: true,
        bankWebhooks: true,
        bankToPostgres: true,
        bankToKafka: false,
        gatewayToBank: false,
        internetToBank: false,
      });
    });
  }
});

import { LabelSelector, RenderedObject, ofKind, selects } from './rendered-manifests';

/** A pod (namespace, labels, named ports) or an address outside the cluster (ip). */
export interface Endpoint {
  namespace?: string;
  labels?: Record<string, string>;
  ports?: Record<string, number>;
  ip?: string;
}

interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

interface PolicyPort {
  protocol?: string;
  port?: number | string;
}

interface Rule {
  peers?: Peer[];
  ports?: PolicyPort[];
}

const NS = 'payments';

function rulesOf(policy: RenderedObject, type: 'Ingress' | 'Egress'): Rule[] {
  const rules: Array<{ from?: Peer[]; to?: Peer[]; ports?: PolicyPort[] }> =
    (type === 'Ingress' ? policy.spec.ingress : policy.spec.egress) ?? [];
  return rules.map((rule) => ({
    peers: type === 'Ingress' ? rule.from : rule.to,
    ports: rule.ports,
  }));
}

function ipv4(address: string): number {
  return address.split('.').reduce((value, part) => value * 256 + Number(part), 0);
}

function inCidr(address: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipv4(address) / size) === Math.floor(ipv4(base) / size);
}

function peerMatches(peer: Peer, endpoint: Endpoint, policyNamespace: string): boolean {
  if (peer.ipBlock) {
    if (!endpoint.ip) return false;
    const { cidr, except = [] } = peer.ipBlock;
    return inCidr(endpoint.ip, cidr) && !except.some((range) => inCidr(endpoint.ip ?? '', range));
  }
  if (endpoint.ip || !endpoint.namespace) return false;
  const namespaceLabels = { 'kubernetes.io/metadata.name': endpoint.namespace };
  const namespaceOk = peer.namespaceSelector
    ? selects(peer.namespaceSelector, namespaceLabels)
    : endpoint.namespace === policyNamespace;
  return namespaceOk && selects(peer.podSelector ?? {}, endpoint.labels);
}

function ruleMatches(rule: Rule, peer: Endpoint, server: Endpoint, port: number, protocol: string) {
  const peersOk = !rule.peers || rule.peers.some((candidate) => peerMatches(candidate, peer, NS));
  const portsOk =
    !rule.ports ||
    rule.ports.some((entry) => {
      const wanted = typeof entry.port === 'string' ? server.ports?.[entry.port] : entry.port;
      return (
        (entry.protocol ?? 'TCP') === protocol && (entry.port === undefined || wanted === port)
      );
    });
  return peersOk && portsOk;
}

/**
 * Whether the rendered NetworkPolicies let `client` open `port` on `server`: Kubernetes' rules (a
 * pod selected by no policy of a direction is open in it; policies add up), with Strimzi's own
 * ingress policy for a Kafka listener, written from its networkPolicyPeers.
 */
export function connectionAllowed(
  objects: RenderedObject[],
  client: Endpoint,
  server: Endpoint,
  port: number,
  protocol = 'TCP',
): boolean {
  const policies = ofKind(objects, 'NetworkPolicy');
  const side = (pod: Endpoint, type: 'Ingress' | 'Egress', peer: Endpoint): boolean => {
    if (pod.namespace !== NS) return true;
    const applying = policies.filter(
      (policy) =>
        policy.spec.policyTypes.includes(type) && selects(policy.spec.podSelector, pod.labels),
    );
    if (applying.length === 0) return true;
    const rules = [
      ...applying.flatMap((policy) => rulesOf(policy, type)),
      ...strimziListenerRules(objects, type, pod),
    ];
    return rules.some((rule) => ruleMatches(rule, peer, server, port, protocol));
  };
  return side(client, 'Egress', server) && side(server, 'Ingress', client);
}

function strimziListenerRules(objects: RenderedObject[], type: string, pod: Endpoint): Rule[] {
  const broker = pod.labels?.['strimzi.io/broker-role'] === 'true';
  if (type !== 'Ingress' || !broker) return [];
  const kafka = ofKind(objects, 'Kafka').find(
    (candidate) => candidate.metadata.name === pod.labels?.['strimzi.io/cluster'],
  );
  const listeners: Array<{ port: number; networkPolicyPeers?: Peer[] }> =
    kafka?.spec.kafka.listeners ?? [];
  return listeners.map((listener) => ({
    peers: listener.networkPolicyPeers,
    ports: [{ protocol: 'TCP', port: listener.port }],
  }));
}

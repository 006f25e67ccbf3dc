import { kafkaClusterId, serverProperties } from '../../tools/infra/kafka-config';
import { ClusterDescription, notReadyReason } from '../../tools/infra/kafka-readiness';

const CLUSTER_ID = 'etA0I3TIRZKFRqJyizIPmQ';
const PORT = 19092;

function described(overrides: Partial<ClusterDescription> = {}): ClusterDescription {
  return {
    clusterId: CLUSTER_ID,
    brokers: [{ nodeId: 1, host: '127.0.0.1', port: PORT }],
    controller: 1,
    ...overrides,
  };
}

describe('the local Kafka broker readiness', () => {
  describe('when our node is listed and a controller is elected', () => {
    it('is ready', () => {
      expect(notReadyReason(described(), PORT, CLUSTER_ID)).toBeNull();
    });
  });

  describe('when no controller is elected yet', () => {
    it('is not ready, and says so', () => {
      const reason = notReadyReason(described({ controller: null }), PORT, CLUSTER_ID);
      expect(reason).toEqual({
        reason: 'metadata not ready (brokers=1, controller=-1)',
        foreign: false,
      });
    });
  });

  describe('when the broker list does not hold our node yet', () => {
    it('is not ready', () => {
      const reason = notReadyReason(described({ brokers: [] }), PORT, CLUSTER_ID);
      expect(reason?.foreign).toBe(false);
    });
  });

  describe('when another cluster answers on the port', () => {
    it('is refused as foreign, naming both cluster ids', () => {
      const reason = notReadyReason(described({ clusterId: 'other' }), PORT, CLUSTER_ID);
      expect(reason).toEqual({
        reason: `port ${PORT} answered with cluster id other, expected ${CLUSTER_ID}`,
        foreign: true,
      });
    });
  });
});

describe('the local Kafka broker configuration', () => {
  const text = serverProperties({
    dataDir: '/data/kafka',
    port: 19092,
    controllerPort: 19093,
    extraProperties: { 'num.partitions': '3', 'log.retention.ms': '1000' },
  });
  const properties = Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );

  it('is a combined broker and controller with a static quorum on the controller port', () => {
    expect(properties['process.roles']).toBe('broker,controller');
    expect(properties['controller.quorum.voters']).toBe('1@127.0.0.1:19093');
    expect(properties['advertised.listeners']).toBe('PLAINTEXT://127.0.0.1:19092');
  });

  it('creates no topic by itself and keeps its logs in the data folder', () => {
    expect(properties['auto.create.topics.enable']).toBe('false');
    expect(properties['log.dirs']).toBe('/data/kafka/logs');
  });

  it('lets the extra properties override and extend the defaults', () => {
    expect(properties['num.partitions']).toBe('3');
    expect(properties['log.retention.ms']).toBe('1000');
  });
});

describe('a new Kafka cluster id', () => {
  it('is 22 base64url characters and never starts with "-" (the storage tool reads it as an option)', () => {
    for (let index = 0; index < 2_000; index += 1) {
      const id = kafkaClusterId();
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    }
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import {
  DEPLOYED_APPS,
  DeployedApp,
  REPOSITORY_ROOT,
  defaultPort,
  readRepositoryFile,
  requiredSettings,
} from './deployed-apps';

interface ComposeService {
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: Array<string | number | { target: number; published?: string | number }>;
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[] };
  volumes?: string[];
}

const compose = parse(readRepositoryFile('docker-compose.yml')) as {
  services: Record<string, ComposeService>;
};
const INFRASTRUCTURE_SERVICES = ['kafka', 'postgres', 'prometheus', 'grafana'];

/** The settings a service reads, and where they come from in compose. */
const DEPENDENCIES = [
  { setting: 'KAFKA_BROKERS', service: 'kafka' },
  { setting: 'DATABASE_URL', service: 'postgres' },
];

/** `${NAME}`, `${NAME:-default}` and `${NAME:?message}` as compose reads them with NAME unset. */
function interpolated(value: string): string {
  return value.replace(
    /\$\{\w+(?::?-([^}]*)|:?\?[^}]*)?\}/g,
    (_match, fallback?: string) => fallback ?? '',
  );
}

function environmentOf(service: ComposeService): Record<string, string> {
  const environment = service.environment ?? {};
  const entries = Array.isArray(environment)
    ? environment.map((line) => [line.split('=')[0], line.split('=').slice(1).join('=')])
    : Object.entries(environment).map(([name, value]) => [name, String(value ?? '')]);
  return Object.fromEntries(entries.map(([name, value]) => [name, interpolated(value)]));
}

function dependenciesOf(service: ComposeService): Record<string, string | undefined> {
  const dependsOn = service.depends_on ?? {};
  const entries = Array.isArray(dependsOn)
    ? dependsOn.map((name) => [name, undefined])
    : Object.entries(dependsOn).map(([name, { condition }]) => [name, condition]);
  return Object.fromEntries(entries);
}

/** "3000:3000", "127.0.0.1:3000:3000" and the long syntax, as published -> container pairs. */
function portsOf(service: ComposeService): Array<{ published: number; target: number }> {
  return (service.ports ?? []).map((port) => {
    if (typeof port === 'object') return { published: Number(port.published), target: port.target };
    const parts = String(port).split(':');
    return { published: Number(parts.at(-2)), target: Number(parts.at(-1)) };
  });
}

function serviceOf(app: DeployedApp): ComposeService {
  return compose.services[app.name] ?? {};
}

describe('docker-compose.yml', () => {
  it.each(INFRASTRUCTURE_SERVICES)('defines the %s service', (name) => {
    expect(compose.services).toHaveProperty([name]);
  });

  it('runs no app that these tests do not know about', () => {
    const known = [...INFRASTRUCTURE_SERVICES, ...DEPLOYED_APPS.map((app) => app.name)];
    expect(Object.keys(compose.services).filter((name) => !known.includes(name))).toEqual([]);
  });

  describe.each(DEPLOYED_APPS)('the $name service', (app) => {
    it('exists', () => {
      expect(compose.services).toHaveProperty([app.name]);
    });

    it('sets only settings that its config shape reads', () => {
      const names = Object.keys(environmentOf(serviceOf(app)));
      expect(names.filter((name) => !(name in app.shape))).toEqual([]);
    });

    it('sets every setting that its config shape requires', () => {
      const environment = environmentOf(serviceOf(app));
      expect(requiredSettings(app.shape).filter((name) => !(name in environment))).toEqual([]);
    });

    it('sets values that its config shape accepts', () => {
      const parsed = z.object(app.shape).safeParse(environmentOf(serviceOf(app)));
      expect(parsed.error?.issues ?? []).toEqual([]);
    });

    it('listens on every interface of its container', () => {
      expect(environmentOf(serviceOf(app)).HOST).toBe('0.0.0.0');
    });

    it('publishes the default of its port setting, on the same port', () => {
      const port = defaultPort(app);
      const listening = Number(environmentOf(serviceOf(app))[app.portSetting] ?? port);
      expect({ listening, ports: portsOf(serviceOf(app)) }).toEqual({
        listening: port,
        ports: [{ published: port, target: port }],
      });
    });

    it('reports healthy only when /health/ready answers on its port', () => {
      const test = [serviceOf(app).healthcheck?.test ?? []].flat().join(' ');
      expect(test).toContain(`:${defaultPort(app)}/health/ready`);
    });

    it.each(DEPENDENCIES)(
      'waits for a healthy $service exactly when it reads $setting',
      ({ setting, service }) => {
        const dependencies = dependenciesOf(serviceOf(app));
        const actual = { dependsOn: service in dependencies, condition: dependencies[service] };
        const reads = setting in app.shape;
        const condition = reads ? 'service_healthy' : undefined;
        expect(actual).toEqual({ dependsOn: reads, condition });
      },
    );
  });

  it('connects the partner adapter and the sandbox bank with the same key and secret', () => {
    const adapter = environmentOf(compose.services['partner-adapter'] ?? {});
    const bank = environmentOf(compose.services['sandbox-bank'] ?? {});
    expect({
      url: adapter.PARTNER_BANK_URL,
      apiKey: adapter.PARTNER_BANK_API_KEY,
      secret: adapter.PARTNER_WEBHOOK_SECRET,
      iban: adapter.PARTNER_SETTLEMENT_IBAN,
      webhookUrl: bank.SANDBOX_BANK_WEBHOOK_URL,
    }).toEqual({
      url: `http://sandbox-bank:${bank.SANDBOX_BANK_PORT}`,
      apiKey: bank.SANDBOX_BANK_API_KEY,
      secret: bank.SANDBOX_BANK_WEBHOOK_SECRET,
      iban: bank.PARTNER_SETTLEMENT_IBAN,
      webhookUrl: `http://partner-adapter:${adapter.PARTNER_ADAPTER_PORT}/webhooks/bank`,
    });
  });
});

/** The repository paths a compose service mounts, by their path in the container. */
function mountsOf(service: ComposeService): Record<string, string> {
  return Object.fromEntries(
    (service.volumes ?? [])
      .filter((volume) => volume.startsWith('./'))
      .map((volume) => volume.split(':'))
      .map(([source, target]) => [target, source.slice(2)]),
  );
}

describe('docker-compose.yml monitoring', () => {
  const prometheus = compose.services.prometheus ?? {};
  const mounts = mountsOf(prometheus);
  const configPath = mounts['/etc/prometheus/prometheus.yml'];
  const config = parse(readRepositoryFile(configPath ?? 'missing')) as {
    rule_files: string[];
    scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
  };

  it('runs Prometheus with the one rules directory of deploy/prometheus', () => {
    expect(mounts['/etc/prometheus/rules']).toBe('deploy/prometheus/rules');
    expect(config.rule_files).toEqual(['rules/*.yml']);
  });

  it('scrapes every app by its compose name and port, as a job named after it', () => {
    const jobs = config.scrape_configs.map((job) => ({
      job: job.job_name,
      targets: job.static_configs.flatMap((entry) => entry.targets),
    }));
    const expected = DEPLOYED_APPS.map((app) => ({
      job: app.name,
      targets: [`${app.name}:${defaultPort(app)}`],
    }));
    expect(jobs).toEqual(expect.arrayContaining(expected));
    expect(jobs).toHaveLength(expected.length);
  });

  it('gives promtool a configuration whose rules load, laid out as in the container', () => {
    const directory = mkdtempSync(join(tmpdir(), 'rtp-compose-prometheus-'));
    try {
      writeFileSync(join(directory, 'prometheus.yml'), readRepositoryFile(configPath));
      symlinkSync(join(REPOSITORY_ROOT, mounts['/etc/prometheus/rules']), join(directory, 'rules'));
      const result = spawnSync('promtool', ['check', 'config', join(directory, 'prometheus.yml')], {
        encoding: 'utf8',
      });
      expect({ status: result.status, output: result.stdout + result.stderr }).toEqual({
        status: 0,
        output: expect.stringMatching(/SUCCESS: [1-9]\d* rules found/),
      });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('provisions Grafana with that Prometheus and the dashboards of deploy/grafana', () => {
    const grafana = mountsOf(compose.services.grafana ?? {});
    const datasources = parse(
      readRepositoryFile(grafana['/etc/grafana/provisioning/datasources/payments.yml']),
    ) as { datasources: Array<{ type: string; url: string }> };
    const dashboards = parse(
      readRepositoryFile(grafana['/etc/grafana/provisioning/dashboards/payments.yml']),
    ) as { providers: Array<{ options: { path: string } }> };
    expect(datasources.datasources).toEqual([
      expect.objectContaining({ type: 'prometheus', url: 'http://prometheus:9090' }),
    ]);
    expect(grafana[dashboards.providers[0].options.path]).toBe('deploy/grafana');
  });
});

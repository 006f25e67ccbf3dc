import { loadGatewayConfig } from '@rtp/gateway/config';
import { loadLedgerConfig } from '@rtp/ledger/config';
import { UsageError } from './command-line';

/** Beside a service's own prefixed settings (later ones included), these shape a run too. */
const SHARED_SETTING_NAMES = ['KAFKA_FETCH_WAIT_MS_MAX', 'TOPIC_PARTITIONS'];
/** Not settings of the run's shape: ports, secrets, URLs. */
const SETTINGS_NOT_REPORTED = new Set(['LEDGER_PORT', 'LEDGER_INTERNAL_API_KEY', 'GATEWAY_PORT']);

/** A service's effective settings as the report shows them: its prefixes and the shared ones. */
export function reportedSettings(config: object, prefixes: string[]): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config)
      .filter(
        ([name]) =>
          !SETTINGS_NOT_REPORTED.has(name) &&
          (SHARED_SETTING_NAMES.includes(name) ||
            prefixes.some((prefix) => name.startsWith(prefix))),
      )
      .map(([name, value]) => [name, String(value)]),
  );
}

const SERVICES = {
  ledger: (env: Record<string, string | undefined>) =>
    reportedSettings(loadLedgerConfig(env), ['LEDGER_']),
  gateway: (env: Record<string, string | undefined>) =>
    reportedSettings(loadGatewayConfig(env), ['GATEWAY_', 'PAYMENT_']),
};

export type ServiceSettings<S extends keyof typeof SERVICES> = Record<S, Record<string, string>>;

/**
 * The services inherit this environment: read their settings as they will, so that a wrong one
 * stops the benchmark before anything starts (a UsageError, `<what>: <reason>`). The URLs and the
 * key are placeholders; the real ones come later.
 */
export function serviceSettingsOf<S extends keyof typeof SERVICES>(
  env: Record<string, string | undefined>,
  services: S[],
  what: string,
): ServiceSettings<S> {
  const placeholders = {
    ...env,
    DATABASE_URL: 'postgres://placeholder',
    KAFKA_BROKERS: 'placeholder:9092',
    ADMIN_API_KEY: 'x'.repeat(32),
  };
  try {
    return Object.fromEntries(
      services.map((service) => [service, SERVICES[service](placeholders)]),
    ) as ServiceSettings<S>;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${what}: ${reason}`);
  }
}

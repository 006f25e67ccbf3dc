import { GatewayClient } from './gateway-client';
import { PermanentError, forEachBounded, retry } from './bounded-parallel';

/** An API client of the platform and the accounts it opened: whom the load pays as. */
export interface BenchClient {
  apiKey: string;
  accountIds: string[];
}

/** Each account's deposit: 10,000.00 EUR, far more than a run's small payments can take out. */
export const DEPOSIT_AMOUNT_MINOR = '1000000';
const WAIT_FOR_OUTCOME = { prefer: 'wait=10' };
const POLL = { attempts: 150, pauseMs: 200 };
const PROGRESS_EVERY_ACCOUNTS = 500;

interface Account {
  id: string;
  status: string;
}
interface Payment {
  id: string;
  status: string;
  failureCode: string | null;
}

/** The gateway to set up on: its URL and the admin's key. */
export interface SetupGateway {
  gatewayUrl: string;
  adminApiKey: string;
}

/** How many accounts under how many clients, how many opened at once, and for how long at most. */
export interface SetupShape {
  accounts: number;
  clients: number;
  concurrency: number;
  timeoutMs: number;
}

export interface SetupRun {
  runTag: string;
  signal: AbortSignal;
  log: (message: string) => void;
}

/**
 * Creates the clients, then opens and funds the accounts over the public API, as a client and the
 * admin would, and returns once every account is active and its deposit completed.
 */
export async function setUpAccounts(
  gateway: SetupGateway,
  shape: SetupShape,
  run: SetupRun,
): Promise<BenchClient[]> {
  const options = { ...shape, ...run };
  options.log(`opening and funding ${shape.accounts} accounts under ${shape.clients} clients`);
  const signal = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]);
  const admin = new GatewayClient(gateway.gatewayUrl, gateway.adminApiKey);
  const clients: (BenchClient & { http: GatewayClient })[] = [];
  for (let index = 0; index < options.clients; index += 1) {
    const created = await admin.post<{ apiKey: string }>('/v1/admin/clients', {
      name: `api-bench ${options.runTag} client ${index}`,
    });
    if (created.status !== 201) throw unexpected('creating a client', created);
    const apiKey = created.body.apiKey;
    clients.push({ apiKey, accountIds: [], http: admin.withKey(apiKey) });
  }
  const owners = Array.from({ length: options.accounts }, (_, index) => index % options.clients);
  let ready = 0;
  await forEachBounded(owners, options.concurrency, signal, async (owner, index) => {
    const client = clients[owner];
    const accountId = await openAccount(client.http, index, signal);
    await fundAccount(admin, accountId, options.runTag, signal);
    client.accountIds.push(accountId);
    ready += 1;
    if (ready % PROGRESS_EVERY_ACCOUNTS === 0) options.log(`${ready} accounts open and funded`);
  });
  return clients.map(({ apiKey, accountIds }) => ({ apiKey, accountIds }));
}

async function openAccount(
  client: GatewayClient,
  index: number,
  signal: AbortSignal,
): Promise<string> {
  const retries = { attempts: 5, pauseMs: 500, signal };
  const opened = await retry('opening an account', retries, async () => {
    const response = await client.post<Account>(
      '/v1/accounts',
      { currency: 'EUR', name: `bench ${index}` },
      WAIT_FOR_OUTCOME,
    );
    return expectAccepted('opening an account', response);
  });
  if (opened.status === 'active') return opened.id;
  return retry(`account ${opened.id} to become active`, { ...POLL, signal }, async () => {
    const account = await client.get<Account>(`/v1/accounts/${opened.id}`);
    if (account.body.status === 'rejected') throw unexpected('opening an account', account);
    return account.body.status === 'active' ? opened.id : undefined;
  });
}

async function fundAccount(
  admin: GatewayClient,
  accountId: string,
  runTag: string,
  signal: AbortSignal,
): Promise<void> {
  // One key per account: a retry after a 503 or a lost answer deposits once.
  const key = `api-bench-${runTag}-deposit-${accountId}`;
  const deposit = await retry('a deposit', { attempts: 5, pauseMs: 500, signal }, async () => {
    const response = await admin.post<Payment>(
      '/v1/admin/deposits',
      { accountId, amount: DEPOSIT_AMOUNT_MINOR, currency: 'EUR', reference: 'api-bench funding' },
      { 'idempotency-key': key, ...WAIT_FOR_OUTCOME },
    );
    return expectAccepted('a deposit', response);
  });
  let status = deposit.status;
  if (status === 'processing') {
    status = await retry(`deposit ${deposit.id} to complete`, { ...POLL, signal }, async () => {
      const payment = await admin.get<Payment>(`/v1/payments/${deposit.id}`);
      return payment.body.status === 'processing' ? undefined : payment.body.status;
    });
  }
  if (status !== 'completed') {
    throw new PermanentError(`deposit into ${accountId} ended ${status}`);
  }
}

/** 201 or 202 is the answer; a 503 is worth another try with the same key; the rest is not. */
function expectAccepted<T>(what: string, response: { status: number; body: T }): T {
  if (response.status === 201 || response.status === 202) return response.body;
  if (response.status === 503) throw new Error(`503 ${JSON.stringify(response.body)}`);
  throw unexpected(what, response);
}

function unexpected(what: string, response: { status: number; body: unknown }): Error {
  const body = JSON.stringify(response.body);
  return new PermanentError(`${what}: unexpected ${response.status} ${body}`);
}

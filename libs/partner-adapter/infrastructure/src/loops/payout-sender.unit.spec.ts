import { AddressInfo } from 'node:net';
import { Server, createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { CallOutcome, Payout } from '@rtp/partner-adapter/domain';
import { BankClient } from '../bank/bank-client';
import { ClaimedCall, PayoutStore } from '../store/payout-store';
import { PayoutSender } from './payout-sender';

// The sender against a real opossum breaker and a local HTTP server standing in for the bank;
// the store is a recorder (what is claimed is what would be counted and announced).

const RESET_MS = 150;

function payoutNumber(n: number): Payout {
  const at = new Date();
  return {
    paymentId: `pay-${n}`,
    accountId: `acc-${n}`,
    partnerId: 'sandbox',
    amountMinor: '100',
    currency: 'EUR',
    beneficiary: { iban: 'DE89370400440532013000', name: 'Erika Mustermann' },
    endToEndId: `e2e-${n}`,
    reference: null,
    state: 'submitting',
    bankTransferId: null,
    submissions: 1,
    checks: 0,
    nextCheckAt: null,
    nextSendAt: at,
    deadlineAt: at,
    reservedAt: at,
    returnWatchUntil: null,
    escalatedAt: null,
  };
}

class RecordingStore {
  readonly claims: number[] = [];
  readonly outcomes: CallOutcome[] = [];
  private next = 0;

  async claimForSending(limit: number): Promise<ClaimedCall[]> {
    this.claims.push(limit);
    return Array.from({ length: limit }, () => {
      this.next += 1;
      return { payout: payoutNumber(this.next), attemptId: String(this.next) };
    });
  }

  async applyOutcome(_call: ClaimedCall, outcome: CallOutcome): Promise<void> {
    this.outcomes.push(outcome);
  }
}

describe('PayoutSender with the create breaker', () => {
  let status = 503;
  let server: Server;
  let bank: BankClient;
  const store = new RecordingStore();
  let sender: PayoutSender;

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({ id: 'bt', status: 'accepted', endToEndId: 'e', amountMinor: '100' }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const breaker = {
      timeoutMs: 1_000,
      errorThresholdPercentage: 50,
      resetTimeoutMs: RESET_MS,
      volumeThreshold: 1,
      rollingCountTimeoutMs: 10_000,
    };
    bank = new BankClient({
      baseUrl: `http://127.0.0.1:${port}`,
      apiKey: 'test-key',
      partnerId: 'sandbox',
      breakers: { create: breaker, status: breaker },
      log: () => undefined,
    });
    sender = new PayoutSender(store as unknown as PayoutStore, bank, {
      concurrency: 4,
      settlementIban: 'DE89370400440532013000',
      settings: {} as never,
    });
  });

  afterAll(async () => {
    bank.shutdown();
    await new Promise((resolve) => server.close(resolve));
  });

  it('claims up to its concurrency while closed; failures open the breaker', async () => {
    expect(await sender.round()).toBe(true);
    expect(store.claims).toEqual([4]);
    expect(bank.isOpen('create')).toBe(true);
  });

  it('claims nothing while open', async () => {
    expect(await sender.round()).toBe(false);
    expect(store.claims).toEqual([4]);
  });

  it('claims exactly one payout, the probe, while half-open', async () => {
    await sleep(RESET_MS + 50);
    expect(bank.callsAllowed('create')).toBe(1);
    await sender.round();
    expect(store.claims).toEqual([4, 1]);
    expect(bank.isOpen('create')).toBe(true);
  });

  it('never had a claimed payout refused by the breaker', () => {
    expect(store.outcomes).toHaveLength(5);
    expect(store.outcomes.filter((outcome) => outcome.kind === 'not_sent')).toEqual([]);
  });

  it('claims its concurrency again once the probe closed the breaker', async () => {
    status = 201;
    await sleep(RESET_MS + 50);
    await sender.round();
    expect(bank.callsAllowed('create')).toBe(Number.POSITIVE_INFINITY);
    await sender.round();
    expect(store.claims).toEqual([4, 1, 1, 4]);
  });
});

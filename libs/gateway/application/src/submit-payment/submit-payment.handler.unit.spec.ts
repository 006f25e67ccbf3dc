import { Principal, Result } from '@rtp/gateway/domain';
import {
  OutcomeNotifications,
  OutcomeWatch,
  PaymentOutcome,
} from '../ports/outcome-notifications.port';
import { PaymentRecord } from '../ports/views';
import {
  AcceptResult,
  AccountFacts,
  PaymentAcceptRequest,
  PaymentAcceptance,
} from './submit-payment.port';
import { SubmitPaymentHandler, SubmitResult, TransferRequest } from './submit-payment.handler';

const AT = new Date('2026-12-01T12:00:00Z');
const ACME: Principal = { clientId: 'acme', scopes: ['payments'] };

/**
 * Accepts what it is given the way the group acceptor answers, by key: claimed once, then bound;
 * a claimed payment is stored as processing, as the accepting transaction stores it.
 */
class InMemoryAcceptance implements PaymentAcceptance {
  readonly accepted: PaymentAcceptRequest[] = [];
  constructor(private readonly stored: Map<string, PaymentRecord>) {}
  private readonly keys = new Map<string, { fingerprint: string; resourceId: string }>();
  inFlight = false;
  unavailable = false;

  async acceptPayment(request: PaymentAcceptRequest): Promise<AcceptResult> {
    if (this.inFlight) return { claimed: false, inFlight: true };
    if (this.unavailable) return { claimed: false, inFlight: false, unavailable: true };
    const bound = this.keys.get(request.claim.idempotencyKey);
    if (bound) return { claimed: false, inFlight: false, ...bound };
    this.keys.set(request.claim.idempotencyKey, {
      fingerprint: request.claim.fingerprint,
      resourceId: request.payment.id,
    });
    this.accepted.push(request);
    this.stored.set(request.payment.id, {
      ...request.payment,
      failedLeg: null,
      sourceClientId: 'acme',
      destinationClientId: 'acme',
    });
    return { claimed: true };
  }
}

/** Tells each watch the outcome the test chose for its payment; waits end after one look. */
class ToldOutcomes implements OutcomeNotifications {
  readonly outcomes = new Map<string, PaymentOutcome>();

  watch(resourceId: string): OutcomeWatch {
    return {
      told: () => this.outcomes.get(resourceId) ?? null,
      wait: async (_timeoutMs, isSettled) => void (await isSettled()),
      close: () => undefined,
    };
  }
}

/** The accepted value, failing the test on a refusal. */
function accepted(result: Result<SubmitResult>): SubmitResult {
  if (!result.ok) throw new Error(`refused: ${result.refusal.code}`);
  return result.value;
}

const account = (
  id: string,
  clientId: string,
  acceptsCreditsFromOtherClients = false,
): AccountFacts => ({
  id,
  clientId,
  currency: 'EUR',
  status: 'active',
  acceptsCreditsFromOtherClients,
});

describe('SubmitPaymentHandler', () => {
  let acceptance: InMemoryAcceptance;
  let notifications: ToldOutcomes;
  let reads: string[];
  let stored: Map<string, PaymentRecord>;
  let handler: SubmitPaymentHandler;
  let ids: number;
  const facts = new Map([
    ['a', account('a', 'acme')],
    ['b', account('b', 'acme')],
    ['other', account('other', 'globex')],
  ]);
  const transfer = (overrides: Partial<TransferRequest> = {}): TransferRequest => ({
    sourceAccountId: 'a',
    destinationAccountId: 'b',
    amountMinor: '250',
    currency: 'EUR',
    reference: 'invoice 42',
    metadata: null,
    ...overrides,
  });

  beforeEach(() => {
    stored = new Map();
    acceptance = new InMemoryAcceptance(stored);
    notifications = new ToldOutcomes();
    reads = [];
    ids = 0;
    handler = new SubmitPaymentHandler(
      {
        findPayment: async (id) => {
          reads.push(id);
          return stored.get(id) ?? null;
        },
      },
      acceptance,
      { accountFacts: async (id) => facts.get(id) ?? null },
      notifications,
      86_400_000,
      1_000_000n,
      { newId: () => `payment-${++ids}`, now: () => AT },
    );
  });

  describe('given two accounts of the caller', () => {
    it('when the transfer is accepted and its outcome told, then it answers from it without a read', async () => {
      notifications.outcomes.set('payment-1', {
        status: 'completed',
        failureCode: null,
        failedLeg: null,
        updatedAt: new Date(AT.getTime() + 20),
      });
      const { payment, replayed } = accepted(
        await handler.transfer(ACME, 'key-1', transfer(), 2_000),
      );
      expect(replayed).toBe(false);
      expect(payment).toEqual({
        id: 'payment-1',
        kind: 'transfer',
        clientId: 'acme',
        sourceAccountId: 'a',
        destinationAccountId: 'b',
        amountMinor: '250',
        currency: 'EUR',
        reference: 'invoice 42',
        metadata: null,
        status: 'completed',
        failureCode: null,
        failedLeg: null,
        createdAt: AT,
        updatedAt: new Date(AT.getTime() + 20),
        sourceClientId: 'acme',
        destinationClientId: 'acme',
      });
      expect(reads).toEqual([]);
      expect(acceptance.accepted[0].command).toMatchObject({
        key: 'a',
        messageType: 'TransferFunds',
      });
    });

    it('when the same key comes again with the same body, then the first payment is replayed', async () => {
      const first = accepted(await handler.transfer(ACME, 'key-1', transfer(), 2_000));
      // Not told in time: the wait's last look read the row, still processing (a 202).
      expect(first.payment.status).toBe('processing');
      stored.set('payment-1', { ...stored.get('payment-1')!, status: 'completed' });
      const again = await handler.transfer(ACME, 'key-1', transfer(), 2_000);
      expect(again).toMatchObject({
        ok: true,
        value: { replayed: true, payment: { id: 'payment-1', status: 'completed' } },
      });
      expect(acceptance.accepted).toHaveLength(1);
    });

    it('when the same key comes with another body, then it is refused with idempotency_key_reused', async () => {
      await handler.transfer(ACME, 'key-1', transfer(), 2_000);
      expect(
        await handler.transfer(ACME, 'key-1', transfer({ amountMinor: '251' }), 2_000),
      ).toEqual({ ok: false, refusal: { code: 'idempotency_key_reused' } });
    });

    it('when the key is held by a request in flight, then it is refused as in flight', async () => {
      acceptance.inFlight = true;
      expect(await handler.transfer(ACME, 'key-1', transfer(), 2_000)).toEqual({
        ok: false,
        refusal: { code: 'idempotency_key_in_flight' },
      });
    });

    it('when too many requests wait to be accepted, then it is refused as not accepted', async () => {
      acceptance.unavailable = true;
      expect(await handler.transfer(ACME, 'key-1', transfer(), 2_000)).toEqual({
        ok: false,
        refusal: { code: 'not_accepted' },
      });
    });

    it('when the amount is over the maximum, then it is refused before anything is accepted', async () => {
      expect(
        await handler.transfer(ACME, 'key-1', transfer({ amountMinor: '1000001' }), 2_000),
      ).toEqual({ ok: false, refusal: { code: 'amount_too_large', amountMinorMax: 1_000_000n } });
      expect(acceptance.accepted).toEqual([]);
    });
  });

  describe('given a destination of another client that takes no credits from others', () => {
    it('when paid, then it answers as an account that does not exist, and accepts nothing', async () => {
      expect(
        await handler.transfer(ACME, 'key-1', transfer({ destinationAccountId: 'other' }), 2_000),
      ).toEqual({
        ok: false,
        refusal: { code: 'destination_account_not_found', accountId: 'other' },
      });
      expect(acceptance.accepted).toEqual([]);
    });
  });
});

import { Principal, Result } from '@rtp/gateway/domain';
import { OutcomeNotifications } from '../ports/outcome-notifications.port';
import { PaymentRecord } from '../ports/views';
import { SubmitResult } from '../submit-payment/accept-payment';
import {
  AcceptResult,
  AccountFacts,
  PaymentAcceptRequest,
  PaymentAcceptance,
} from '../submit-payment/submit-payment.port';
import { PayoutRequest, SubmitPayoutHandler } from './submit-payout.handler';

const AT = new Date('2026-12-01T12:00:00Z');
const ACME: Principal = { clientId: 'acme', scopes: ['payments'] };
const PAYMENT_ID = '0b8a3c1e-7d6f-4e2a-9c5b-1a2b3c4d5e6f';

/** Claims a key once, then answers it bound; stores a claimed payout as the transaction does. */
class InMemoryAcceptance implements PaymentAcceptance {
  readonly accepted: PaymentAcceptRequest[] = [];
  private readonly keys = new Map<string, { fingerprint: string; resourceId: string }>();
  constructor(private readonly stored: Map<string, PaymentRecord>) {}

  async acceptPayment(request: PaymentAcceptRequest): Promise<AcceptResult> {
    const bound = this.keys.get(request.claim.idempotencyKey);
    if (bound) return { claimed: false, inFlight: false, ...bound };
    const { fingerprint } = request.claim;
    this.keys.set(request.claim.idempotencyKey, { fingerprint, resourceId: request.payment.id });
    this.accepted.push(request);
    const payout = { ...request.payout!, bankReference: null, escalated: false, history: [] };
    this.stored.set(request.payment.id, {
      ...request.payment,
      failedLeg: null,
      sourceClientId: 'acme',
      destinationClientId: null,
      payout: { ...payout, decided: false },
    });
    return { claimed: true };
  }
}

/** Nothing is told; a wait ends after one look at the stored payout. */
const silent: OutcomeNotifications = {
  watch: () => ({
    told: () => null,
    wait: async (_timeoutMs, isSettled) => void (await isSettled()),
    close: () => undefined,
  }),
};

function accepted(result: Result<SubmitResult>): SubmitResult {
  if (!result.ok) throw new Error(`refused: ${result.refusal.code}`);
  return result.value;
}

describe('SubmitPayoutHandler', () => {
  let stored: Map<string, PaymentRecord>;
  let acceptance: InMemoryAcceptance;
  let handler: SubmitPayoutHandler;
  const facts = new Map<string, AccountFacts>([
    ['a', { id: 'a', clientId: 'acme', currency: 'EUR', status: 'active' } as AccountFacts],
    [
      'other',
      { id: 'other', clientId: 'globex', currency: 'EUR', status: 'active' } as AccountFacts,
    ],
  ]);
  const payout = (overrides: Partial<PayoutRequest> = {}): PayoutRequest => ({
    sourceAccountId: 'a',
    amountMinor: '2500',
    currency: 'EUR',
    beneficiary: { iban: 'de89 3704 0044 0532 0130 00', name: 'Erika Mustermann', bic: null },
    reference: 'rent',
    ...overrides,
  });

  beforeEach(() => {
    stored = new Map();
    acceptance = new InMemoryAcceptance(stored);
    handler = new SubmitPayoutHandler(
      { findPayment: async (id) => stored.get(id) ?? null },
      acceptance,
      { accountFacts: async (id) => facts.get(id) ?? null },
      silent,
      { partnerId: 'sandbox', idempotencyRetentionMs: 86_400_000, amountMinorMax: 1_000_000n },
      { newId: () => PAYMENT_ID, now: () => AT },
    );
  });

  describe('given an account of the caller', () => {
    it('when a payout is accepted, then ReservePayout carries the beneficiary and our reference', async () => {
      const { payment } = accepted(await handler.execute(ACME, 'key-1', payout(), 2_000));
      expect(payment).toMatchObject({ kind: 'payout', status: 'processing' });
      const [request] = acceptance.accepted;
      expect(request.payout).toEqual({
        partnerId: 'sandbox',
        beneficiary: { iban: 'DE89370400440532013000', name: 'Erika Mustermann', bic: null },
        endToEndId: '0b8a3c1e7d6f4e2a9c5b1a2b3c4d5e6f',
      });
      expect(request.command).toMatchObject({
        key: 'a',
        messageId: `payout:${PAYMENT_ID}:reserve`,
        messageType: 'ReservePayout',
        payload: {
          data: {
            paymentId: PAYMENT_ID,
            accountId: 'a',
            amountMinor: '2500',
            partnerId: 'sandbox',
            initiatedBy: 'acme',
            beneficiary: { iban: 'DE89370400440532013000', name: 'Erika Mustermann' },
            endToEndId: '0b8a3c1e7d6f4e2a9c5b1a2b3c4d5e6f',
          },
        },
      });
    });

    it('when the same key comes with the same body, then the first payout is replayed', async () => {
      await handler.execute(ACME, 'key-1', payout(), 2_000);
      const again = accepted(await handler.execute(ACME, 'key-1', payout(), 2_000));
      expect(again).toMatchObject({ replayed: true, payment: { id: PAYMENT_ID } });
      expect(acceptance.accepted).toHaveLength(1);
    });

    it('when the same key comes with another beneficiary, then it is refused as reused', async () => {
      await handler.execute(ACME, 'key-1', payout(), 2_000);
      const other = payout({ beneficiary: { iban: 'GB82WEST12345698765432', name: 'J. Smith' } });
      expect(await handler.execute(ACME, 'key-1', other, 2_000)).toEqual({
        ok: false,
        refusal: { code: 'idempotency_key_reused' },
      });
    });

    it.each([
      ['check digits that do not match', { iban: 'DE00370400440532013000' }, 'invalid_iban'],
      ['a country that has no IBAN', { iban: 'XX89370400440532013000' }, 'invalid_iban'],
      ['a length its country does not have', { iban: 'DE893704004405320130' }, 'invalid_iban'],
      ['a BIC that is none', { bic: 'COBA-DE' }, 'invalid_bic'],
    ])(
      'when the beneficiary has %s, then it is refused and nothing is accepted',
      async (_name, override, code) => {
        const beneficiary = { ...payout().beneficiary, ...override };
        expect(await handler.execute(ACME, 'key-1', payout({ beneficiary }), 2_000)).toEqual({
          ok: false,
          refusal: { code },
        });
        expect(acceptance.accepted).toEqual([]);
      },
    );

    it('when a valid BIC is given, then it is kept in upper case with the payout', async () => {
      const beneficiary = { ...payout().beneficiary, bic: 'cobadeffxxx' };
      await handler.execute(ACME, 'key-1', payout({ beneficiary }), 2_000);
      expect(acceptance.accepted[0].payout?.beneficiary.bic).toBe('COBADEFFXXX');
    });

    it('when the currency is not the account’s, then it is refused with currency_mismatch', async () => {
      const result = await handler.execute(ACME, 'key-1', payout({ currency: 'USD' }), 2_000);
      expect(result).toMatchObject({ ok: false, refusal: { code: 'currency_mismatch' } });
    });

    it('when the amount is over the maximum, then it is refused before anything is accepted', async () => {
      const result = await handler.execute(ACME, 'k', payout({ amountMinor: '1000001' }), 2_000);
      expect(result).toMatchObject({ ok: false, refusal: { code: 'amount_too_large' } });
      expect(acceptance.accepted).toEqual([]);
    });
  });

  it("refuses a payout from another client's account as not found", async () => {
    const result = await handler.execute(ACME, 'k', payout({ sourceAccountId: 'other' }), 2_000);
    expect(result).toEqual({
      ok: false,
      refusal: { code: 'account_not_found', accountId: 'other' },
    });
  });
});

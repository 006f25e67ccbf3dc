import { Payout, PayoutState } from '@rtp/partner-adapter/domain';
import { afterStatusQuery } from './check-payout/after-status-query';
import { DecisionSettings } from './decision-settings';
import { afterSubmission } from './submit-payout/after-submission';
import { beginSubmission } from './submit-payout/begin-submission';

const now = new Date('2026-12-01T10:00:00Z');
const settings: DecisionSettings = {
  checkBackoff: { baseDelayMs: 100, maxDelayMs: 2_000 },
  notSentBackoff: { baseDelayMs: 50, maxDelayMs: 500 },
  notSentRetriesMax: 3,
  submissionLeaseMs: 10_000,
  returnWatchMs: 60_000,
  returnCheckIntervalMs: 5_000,
  random: () => 0.5,
};

function payout(state: PayoutState, overrides: Partial<Payout> = {}): Payout {
  return {
    paymentId: 'pay-1',
    accountId: 'acc-1',
    partnerId: 'sandbox',
    amountMinor: '1500',
    currency: 'EUR',
    beneficiary: { iban: 'DE89370400440532013000', name: 'Erika Mustermann' },
    endToEndId: 'e2e-pay-1',
    reference: null,
    state,
    bankTransferId: null,
    submissions: 1,
    checks: 0,
    nextCheckAt: null,
    nextSendAt: now,
    deadlineAt: new Date('2026-12-01T11:00:00Z'),
    reservedAt: now,
    returnWatchUntil: null,
    escalatedAt: null,
    ...overrides,
  };
}

const bankTransfer = (status: string, reasonCode: string | null = null) => ({
  id: 'bt-1',
  status,
  endToEndId: 'e2e-pay-1',
  amountMinor: '1500',
  currency: 'EUR',
  reasonCode,
  createdAt: now.toISOString(),
  bookedAt: null,
  returnedAt: null,
});

describe('beginSubmission', () => {
  it('counts the attempt and takes a lease before the request leaves', () => {
    const change = beginSubmission(payout('queued', { submissions: 0 }), now, settings);
    expect(change).toMatchObject({ state: 'submitting', submissions: 1 });
    expect(change.nextCheckAt?.getTime()).toBe(now.getTime() + 10_000);
    expect(change.effects.map((e) => e.id)).toEqual(['partner:pay-1:submitted:1']);
  });
});

describe('afterSubmission', () => {
  it('keeps a timed-out payout pending with the funds held and asks later', () => {
    const change = afterSubmission(
      payout('submitting'),
      { kind: 'unknown', cause: 'timeout', detail: '' },
      now,
      settings,
    );
    expect(change.state).toBe('pending');
    expect(change.effects.map((e) => e.type)).toEqual(['PayoutOutcomeUnknown']);
    expect(change.effects.some((e) => e.kind === 'ledger')).toBe(false);
  });

  it('releases the hold when the bank refuses it (422)', () => {
    const change = afterSubmission(
      payout('submitting'),
      {
        kind: 'answered',
        status: 422,
        body: { type: 't', title: 't', status: 422, code: 'validation_failed', reasonCode: 'AC01' },
      },
      now,
      settings,
    );
    expect(change.state).toBe('rejected');
    expect(change.effects[0]).toMatchObject({
      type: 'ReleasePayout',
      data: { reasonCode: 'bank_rejected_ac01' },
    });
  });

  it('never releases on an idempotency conflict: it asks the bank instead', () => {
    const change = afterSubmission(
      payout('submitting'),
      {
        kind: 'answered',
        status: 422,
        body: { type: 't', title: 't', status: 422, code: 'idempotency_key_reused' },
      },
      now,
      settings,
    );
    expect(change.state).toBe('pending');
    expect(change.effects.some((e) => e.kind === 'ledger')).toBe(false);
  });

  it('records the bank id of an accepted transfer', () => {
    const change = afterSubmission(
      payout('submitting'),
      { kind: 'answered', status: 201, body: bankTransfer('accepted') },
      now,
      settings,
    );
    expect(change).toMatchObject({ state: 'pending', bankTransferId: 'bt-1' });
  });

  it('queues a refused connection again, then stops retrying blind', () => {
    const refused = { kind: 'not_sent' as const, cause: 'connection_refused' as const, detail: '' };
    expect(afterSubmission(payout('submitting'), refused, now, settings).state).toBe('queued');
    const last = afterSubmission(payout('submitting', { submissions: 3 }), refused, now, settings);
    expect(last.state).toBe('pending');
  });
});

describe('afterStatusQuery', () => {
  it('resends under the same key when the bank says it never got it', () => {
    const change = afterStatusQuery(
      payout('pending'),
      { kind: 'answered', status: 200, body: { data: [] } },
      now,
      settings,
    );
    expect(change).toMatchObject({ state: 'queued', resend: true });
  });

  it('settles a payout the bank booked', () => {
    const change = afterStatusQuery(
      payout('pending'),
      { kind: 'answered', status: 200, body: { data: [bankTransfer('booked')] } },
      now,
      settings,
    );
    expect(change.state).toBe('booked');
    expect(change.effects[0].type).toBe('SettlePayout');
  });

  it('escalates once past the deadline and never fails it', () => {
    const late = new Date('2026-12-01T12:00:00Z');
    const lost = { kind: 'unknown' as const, cause: 'timeout' as const, detail: '' };
    const change = afterStatusQuery(payout('pending'), lost, late, settings);
    expect(change.state).toBe('escalated');
    expect(change.effects.map((e) => e.type)).toEqual(['PayoutEscalated']);
    const again = afterStatusQuery(payout('escalated'), lost, late, settings);
    expect(again).toMatchObject({ state: 'escalated', effects: [] });
  });
});

import { Payout, PayoutState } from '@rtp/partner-adapter/domain';
import { DecisionSettings } from '../decision-settings';
import { afterSubmission } from '../submit-payout/after-submission';
import { beginSubmission } from '../submit-payout/begin-submission';
import { afterStatusQuery, escalateQueued } from './after-status-query';

const reservedAt = new Date('2026-12-01T10:00:00Z');
const deadlineAt = new Date('2026-12-01T11:00:00Z');
const late = new Date('2026-12-01T11:00:01Z');
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
    submissions: 0,
    checks: 0,
    nextCheckAt: null,
    nextSendAt: reservedAt,
    deadlineAt,
    reservedAt,
    returnWatchUntil: null,
    escalatedAt: null,
    ...overrides,
  };
}

const lost = { kind: 'unknown' as const, cause: 'timeout' as const, detail: '' };

describe('escalateQueued', () => {
  describe('when a payout is still queued past its deadline (the breaker stayed open)', () => {
    const change = escalateQueued(payout('queued'), late);

    it('escalates it once, with PayoutEscalated', () => {
      expect(change?.escalates).toBe(true);
      expect(change?.effects).toEqual([
        expect.objectContaining({
          type: 'PayoutEscalated',
          id: 'partner:pay-1:escalated',
          data: expect.objectContaining({ pendingSince: reservedAt.toISOString() }),
        }),
      ]);
    });

    it('leaves it queued so that the sender still sends it', () => {
      expect(change?.state).toBe('queued');
      expect(change?.effects.some((effect) => effect.kind === 'ledger')).toBe(false);
    });
  });

  it('does nothing before the deadline', () => {
    expect(escalateQueued(payout('queued'), new Date(deadlineAt.getTime() - 1))).toBeNull();
  });

  it('does nothing to a payout escalated already', () => {
    expect(escalateQueued(payout('queued', { escalatedAt: late }), late)).toBeNull();
  });

  it('does nothing to a payout that left the queue', () => {
    expect(escalateQueued(payout('pending'), late)).toBeNull();
  });

  describe('when the escalated payout is sent later and its outcome is lost', () => {
    const escalated = payout('queued', { escalatedAt: late });
    const begun = beginSubmission(escalated, late, settings);
    const submitting = { ...escalated, ...begun };
    const after = afterSubmission(submitting, lost, late, settings);

    it('is sent as any other (PayoutSubmitted, one submission)', () => {
      expect(begun).toMatchObject({ state: 'submitting', submissions: 1 });
    });

    it('stays escalated and is not escalated a second time', () => {
      expect(after.state).toBe('escalated');
      const asked = afterStatusQuery({ ...submitting, ...after }, lost, late, settings);
      expect(asked.state).toBe('escalated');
      expect(asked.effects.map((effect) => effect.type)).not.toContain('PayoutEscalated');
    });
  });
});

describe('afterSubmission refused by an open breaker (a half-open probe taken by another)', () => {
  const submitting = { ...payout('queued', { submissions: 2 }), state: 'submitting' as const };
  submitting.submissions = 3;
  const change = afterSubmission(
    submitting,
    { kind: 'not_sent', cause: 'breaker_open', detail: 'EOPENBREAKER' },
    late,
    settings,
  );

  it('puts it back in the queue, due now', () => {
    expect(change).toMatchObject({ state: 'queued', nextCheckAt: null, nextSendAt: late });
  });

  it('does not count it as a submission', () => {
    expect(change.submissions).toBe(2);
  });

  it('publishes nothing', () => {
    expect(change.effects).toEqual([]);
  });
});

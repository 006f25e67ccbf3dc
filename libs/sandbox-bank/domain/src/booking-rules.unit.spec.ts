import { BookingRules, decideBooking } from './booking-rules';
import { randomFor } from './seeded-random';
import { assertStatusChange, canChangeStatus, isFinalStatus } from './transfer-status';

const rules: BookingRules = {
  deniedCreditors: new Map([['DE12999999990000000004', 'AC04']]),
  amountMinorMax: 1_000_000n,
  returnRate: 0,
};
const transfer = { id: 'trf_1', creditorIban: 'DE50100000000000000001', amountMinor: 500n };
const random = () => randomFor(1, 'booking', transfer.id);

describe('booking a transfer', () => {
  it('books it when the rules allow and the balance covers it', () => {
    expect(decideBooking(transfer, 10_000n, rules, 0, random())).toEqual({
      status: 'booked',
      returnReasonCode: null,
    });
  });

  it.each([
    ['a denied creditor', { creditorIban: 'DE12999999990000000004' }, 10_000n, 'AC04'],
    ['an amount above the limit', { amountMinor: 1_000_001n }, 10_000_000n, 'AM02'],
    ['a balance too small', {}, 499n, 'AM04'],
    ['no account in the currency', {}, null, 'AM04'],
  ])('rejects %s', (_name, change, balance, code) => {
    expect(decideBooking({ ...transfer, ...change }, balance, rules, 0, random())).toEqual({
      status: 'rejected',
      reasonCode: code,
      cause: 'rule',
    });
  });

  it('rejects by the injected rate with MS03', () => {
    expect(decideBooking(transfer, 10_000n, rules, 1, random())).toMatchObject({
      status: 'rejected',
      reasonCode: 'MS03',
      cause: 'fault',
    });
  });

  it('marks about the configured share for a return, reproducibly', () => {
    const half = { ...rules, returnRate: 0.5 };
    const decide = (id: string) =>
      decideBooking({ ...transfer, id }, 10_000n, half, 0, randomFor(1, 'booking', id));
    const ids = Array.from({ length: 2_000 }, (_, index) => `trf_${index}`);
    const returned = ids.filter((id) => {
      const decision = decide(id);
      return decision.status === 'booked' && decision.returnReasonCode !== null;
    });
    expect(returned.length / ids.length).toBeCloseTo(0.5, 1);
    expect(ids.map(decide)).toEqual(ids.map(decide));
  });
});

describe('the transfer state machine', () => {
  it.each([
    ['accepted', 'booked', true],
    ['accepted', 'rejected', true],
    ['booked', 'returned', true],
    ['accepted', 'returned', false],
    ['rejected', 'booked', false],
    ['returned', 'booked', false],
    ['booked', 'rejected', false],
  ] as const)('%s -> %s allowed: %s', (from, to, allowed) => {
    expect(canChangeStatus(from, to)).toBe(allowed);
    if (!allowed) expect(() => assertStatusChange(from, to)).toThrow(/StateMachine/);
  });

  it('knows the final statuses', () => {
    expect(
      ['accepted', 'booked', 'rejected', 'returned'].filter((s) => isFinalStatus(s as never)),
    ).toEqual(['rejected', 'returned']);
  });
});

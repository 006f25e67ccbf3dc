import { CreditRoutingRules, isVirtualIbanFormat, routeCredit } from './credit-routing';

const rules: CreditRoutingRules = { virtualIbanBankCode: '10010010', waitMs: 60_000 };
const bookedAt = '2026-12-01T10:00:00.000Z';
const VIRTUAL = 'DE89100100100000012345';
const FOREIGN = 'DE75512108001245126199';

describe('routeCredit', () => {
  it.each([
    ['a known account', VIRTUAL, true, '2026-12-01T10:00:01Z', 'account'],
    ['an unknown virtual IBAN within the wait', VIRTUAL, false, '2026-12-01T10:00:59Z', 'wait'],
    ['an unknown virtual IBAN past the wait', VIRTUAL, false, '2026-12-01T10:01:00Z', 'suspense'],
    ['an IBAN of another format', FOREIGN, false, '2026-12-01T10:00:01Z', 'suspense'],
  ])('routes a credit for %s', (_name, iban, known, now, expected) => {
    const route = routeCredit({ creditorIban: iban, bookedAt }, known, new Date(now), rules);
    expect(route).toBe(expected);
  });

  it('never waits when the wait is 0', () => {
    const route = routeCredit({ creditorIban: VIRTUAL, bookedAt }, false, new Date(bookedAt), {
      ...rules,
      waitMs: 0,
    });
    expect(route).toBe('suspense');
  });
});

describe('isVirtualIbanFormat', () => {
  it('knows DE, the bank code and ten digits', () => {
    expect(isVirtualIbanFormat(VIRTUAL, '10010010')).toBe(true);
    expect(isVirtualIbanFormat(VIRTUAL, '20020020')).toBe(false);
    expect(isVirtualIbanFormat(`${VIRTUAL}1`, '10010010')).toBe(false);
  });
});

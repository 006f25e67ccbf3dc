import { ledgerEventProblem } from './ledger-events';

describe('checking an event against its contract', () => {
  const opened = {
    accountId: 'a',
    currency: 'EUR',
    ownerId: 'client',
    name: null,
    metadata: null,
    status: 'active',
    currencyExponent: 2,
    overdraftLimitMinor: '0',
    perDebitLimitMinor: null,
    balance: { postedMinor: '0', pendingMinor: '0', availableMinor: '0' },
    accountSequence: 1,
  };

  it('finds nothing wrong with a valid event', () => {
    expect(ledgerEventProblem('AccountOpened', opened)).toBeNull();
  });

  it('still reads an opening stored before virtual IBANs, and one with a virtual IBAN', () => {
    expect(ledgerEventProblem('AccountOpened', opened)).toBeNull();
    const withIban = { ...opened, virtualIban: 'DE02100100100000000001' };
    expect(ledgerEventProblem('AccountOpened', withIban)).toBeNull();
    expect(ledgerEventProblem('AccountOpened', { ...opened, virtualIban: null })).toBeNull();
  });

  it('names the field that does not match', () => {
    expect(ledgerEventProblem('AccountOpened', { ...opened, currency: 42 })).toMatch(/currency/);
  });

  it('refuses a type the contract does not have', () => {
    expect(ledgerEventProblem('AccountRenamed', opened)).toBe('unknown event type AccountRenamed');
  });
});

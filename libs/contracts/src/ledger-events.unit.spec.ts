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

  it('names the field that does not match', () => {
    expect(ledgerEventProblem('AccountOpened', { ...opened, currency: 42 })).toMatch(/currency/);
  });

  it('refuses a type the contract does not have', () => {
    expect(ledgerEventProblem('AccountRenamed', opened)).toBe('unknown event type AccountRenamed');
  });
});

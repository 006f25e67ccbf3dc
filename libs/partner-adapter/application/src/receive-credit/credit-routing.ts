/**
 * Where a credit the bank booked for us goes. An IBAN in the map is an account's. An IBAN of the
 * gateway's virtual-IBAN format (DE, our bank code, ten digits) that is not in the map yet is most
 * likely an account whose AccountOpened the adapter has not consumed yet (the race between the
 * gateway showing the IBAN and the event reaching us): the credit waits, answered 503 so that the
 * bank redelivers it with its backoff, until `waitMs` after the bank booked it; then, like any
 * other unknown IBAN, it goes to suspense for review.
 */
export type CreditRoute = 'account' | 'wait' | 'suspense';

export interface CreditRoutingRules {
  /** The bank code of the gateway's virtual IBANs (its VIRTUAL_IBAN_BANK_CODE). */
  virtualIbanBankCode: string;
  /** How long after its booking a credit for an unknown virtual IBAN waits; 0: never. */
  waitMs: number;
}

export function isVirtualIbanFormat(iban: string, bankCode: string): boolean {
  return iban.length === 22 && new RegExp(`^DE[0-9]{2}${bankCode}[0-9]{10}$`).test(iban);
}

export function routeCredit(
  credit: { creditorIban: string; bookedAt: string },
  accountKnown: boolean,
  now: Date,
  rules: CreditRoutingRules,
): CreditRoute {
  if (accountKnown) return 'account';
  if (!isVirtualIbanFormat(credit.creditorIban, rules.virtualIbanBankCode)) return 'suspense';
  const bookedAtMs = Date.parse(credit.bookedAt);
  if (Number.isNaN(bookedAtMs)) return 'suspense';
  return now.getTime() < bookedAtMs + rules.waitMs ? 'wait' : 'suspense';
}

import { commandIds, openAccountSchema } from '@rtp/contracts';
import { maskIban } from '@rtp/partner-adapter/domain';
import { OutgoingMessage, outgoingMessage } from '../outgoing/outgoing-message';

/** Money the bank booked for one of our virtual IBANs (a `credit.booked` webhook's data). */
export interface BookedCredit {
  transactionId: string;
  creditorIban: string;
  amountMinor: string;
  currency: string;
  endToEndId: string;
  remittanceInformation: string | null;
}

/**
 * Money for an IBAN that is none of our accounts' is credited to a suspense account of the partner
 * and currency, a customer account the adapter opens on first use (owner `partner-adapter`), so
 * the ledger holds it, balanced, until an operator moves it on.
 */
export function suspenseAccountId(partnerId: string, currency: string): string {
  return `suspense:${partnerId}:${currency}`;
}

/** The deposit's id: the bank's transaction id, so a redelivered credit is deposited once. */
export function depositIdOf(partnerId: string, transactionId: string): string {
  return `bank:${partnerId}:${transactionId}`;
}

/** OpenAccount of a suspense account (virtualIban null where the contract has the field). */
function openSuspense(accountId: string, partnerId: string, currency: string, at: Date) {
  const data: Record<string, unknown> = {
    accountId,
    currency,
    ownerId: 'partner-adapter',
    name: `Suspense ${partnerId} ${currency}`,
    metadata: { purpose: 'suspense', partnerId },
  };
  if ('virtualIban' in openAccountSchema.shape) data.virtualIban = null;
  const effect = {
    kind: 'ledger' as const,
    type: 'OpenAccount',
    id: commandIds.openAccount(accountId),
    data,
  };
  return outgoingMessage(effect, accountId, accountId, at);
}

/**
 * The messages for a booked credit: a Deposit to the account its IBAN names, or, for an unknown
 * IBAN, the suspense account's opening (once, by its command id), the Deposit to it and
 * DepositToSuspense for review.
 */
export function creditMessages(
  credit: BookedCredit,
  accountId: string | null,
  partnerId: string,
  at: Date,
): OutgoingMessage[] {
  const target = accountId ?? suspenseAccountId(partnerId, credit.currency);
  const depositId = depositIdOf(partnerId, credit.transactionId);
  const deposit = outgoingMessage(
    {
      kind: 'ledger',
      type: 'Deposit',
      id: commandIds.deposit(depositId),
      data: {
        depositId,
        accountId: target,
        amountMinor: credit.amountMinor,
        currency: credit.currency,
        partnerId,
        reference: (credit.remittanceInformation ?? credit.endToEndId).slice(0, 140),
      },
    },
    target,
    depositId,
    at,
  );
  if (accountId !== null) return [deposit];
  const suspense = outgoingMessage(
    {
      kind: 'partner',
      type: 'DepositToSuspense',
      id: `partner:suspense:${depositId}`,
      data: {
        accountId: target,
        partnerId,
        bankTransactionId: credit.transactionId,
        creditorIbanMasked: maskIban(credit.creditorIban),
        amountMinor: credit.amountMinor,
        currency: credit.currency,
        at: at.toISOString(),
      },
    },
    target,
    depositId,
    at,
  );
  return [openSuspense(target, partnerId, credit.currency, at), deposit, suspense];
}

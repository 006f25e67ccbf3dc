import type { EntityManager } from 'typeorm';
import type {
  NewEntry,
  NewWebhook,
  TransferChange,
  TransferRecord,
} from '@rtp/sandbox-bank/application';
import { Row, dateOrNull, rows, text, textOrNull } from './sql';

export const TRANSFER_COLUMNS = `transfer_id, debtor_iban, creditor_iban, creditor_name, amount_minor,
  currency, end_to_end_id, remittance_information, status, reason_code, created_at, book_after,
  booked_at, return_after, return_reason_code, returned_at`;

export function transferFromRow(row: Row): TransferRecord {
  return {
    id: text(row.transfer_id),
    debtorIban: text(row.debtor_iban),
    creditorIban: text(row.creditor_iban),
    creditorName: text(row.creditor_name),
    amountMinor: BigInt(text(row.amount_minor)),
    currency: text(row.currency),
    endToEndId: text(row.end_to_end_id),
    remittanceInformation: textOrNull(row.remittance_information),
    status: text(row.status) as TransferRecord['status'],
    reasonCode: textOrNull(row.reason_code),
    createdAt: new Date(row.created_at as Date),
    bookAfter: new Date(row.book_after as Date),
    bookedAt: dateOrNull(row.booked_at),
    returnAfter: dateOrNull(row.return_after),
    returnReasonCode: textOrNull(row.return_reason_code),
    returnedAt: dateOrNull(row.returned_at),
  };
}

function transferValues(transfer: TransferRecord): unknown[] {
  return [
    transfer.id,
    transfer.debtorIban,
    transfer.creditorIban,
    transfer.creditorName,
    transfer.amountMinor.toString(),
    transfer.currency,
    transfer.endToEndId,
    transfer.remittanceInformation,
    transfer.status,
    transfer.reasonCode,
    transfer.createdAt,
    transfer.bookAfter,
    transfer.bookedAt,
    transfer.returnAfter,
    transfer.returnReasonCode,
    transfer.returnedAt,
  ];
}

/** Books the entry and moves the account's balance by it (a debit takes away). */
export async function writeEntry(manager: EntityManager, entry: NewEntry): Promise<void> {
  await rows(
    manager,
    `INSERT INTO entries (entry_id, account_iban, kind, transaction_id, credit_debit, amount_minor,
       currency, booking_date, booked_at, end_to_end_id, counterparty_iban, counterparty_name,
       remittance_information, reason_code)
     VALUES ($1, $2, $3, $4, $5, $6, $7, ($8::timestamptz AT TIME ZONE 'UTC')::date, $8, $9, $10,
       $11, $12, $13)`,
    [
      entry.entryReference,
      entry.accountIban,
      entry.kind,
      entry.transactionId,
      entry.creditDebit,
      entry.amountMinor.toString(),
      entry.currency,
      entry.bookedAt,
      entry.endToEndId,
      entry.counterpartyIban,
      entry.counterpartyName,
      entry.remittanceInformation,
      entry.reasonCode,
    ],
  );
  const delta = entry.creditDebit === 'CRDT' ? entry.amountMinor : -entry.amountMinor;
  await rows(
    manager,
    `INSERT INTO account_balances (iban, currency, balance_minor, updated_at)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (iban, currency) DO UPDATE
       SET balance_minor = account_balances.balance_minor + EXCLUDED.balance_minor,
           updated_at = EXCLUDED.updated_at`,
    [entry.accountIban, entry.currency, delta.toString(), entry.bookedAt],
  );
}

export async function writeWebhook(manager: EntityManager, webhook: NewWebhook, now: Date) {
  await rows(
    manager,
    `INSERT INTO webhook_deliveries (webhook_id, event_type, payload, created_at, next_attempt_at,
       duplicate) VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      webhook.webhookId,
      webhook.event.type,
      JSON.stringify(webhook.event),
      now,
      webhook.holdUntil,
      webhook.duplicate,
    ],
  );
}

/**
 * Writes one status change: the transfer (inserted when new, else updated only from the status
 * it was read in, so a change is applied once), its history row, its entry and its webhook.
 */
export async function writeChange(manager: EntityManager, change: TransferChange, now: Date) {
  const { transfer } = change;
  if (change.previousStatus === null) {
    const values = transferValues(transfer);
    const placeholders = values.map((_, index) => `$${index + 1}`).join(', ');
    await rows(
      manager,
      `INSERT INTO transfers (${TRANSFER_COLUMNS}) VALUES (${placeholders})`,
      values,
    );
  } else {
    const updated = await rows(
      manager,
      `UPDATE transfers SET status = $2, reason_code = $3, booked_at = $4, return_after = $5,
         return_reason_code = $6, returned_at = $7
       WHERE transfer_id = $1 AND status = $8 RETURNING transfer_id`,
      [
        transfer.id,
        transfer.status,
        transfer.reasonCode,
        transfer.bookedAt,
        transfer.returnAfter,
        transfer.returnReasonCode,
        transfer.returnedAt,
        change.previousStatus,
      ],
    );
    if (updated.length !== 1) {
      throw new Error(`TransferChangedOnce: ${transfer.id} was not ${change.previousStatus}`);
    }
  }
  await rows(
    manager,
    `INSERT INTO transfer_status_history (transfer_id, sequence, status, reason_code, changed_at)
     SELECT $1, COALESCE(MAX(sequence), 0) + 1, $2, $3, $4
     FROM transfer_status_history WHERE transfer_id = $1`,
    [transfer.id, transfer.status, transfer.reasonCode, now],
  );
  for (const entry of change.entries) await writeEntry(manager, entry);
  if (change.webhook) await writeWebhook(manager, change.webhook, now);
}

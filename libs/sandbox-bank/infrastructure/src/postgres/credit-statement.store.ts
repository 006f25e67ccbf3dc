import type { DataSource } from 'typeorm';
import type {
  CreditRecord,
  CreditStore,
  NewEntry,
  NewWebhook,
  StatementStore,
} from '@rtp/sandbox-bank/application';
import type { StatementEntry } from '@rtp/sandbox-bank/domain';
import { writeEntry, writeWebhook } from './change-writer';
import { Row, rows, text, textOrNull } from './sql';

const CREDIT_COLUMNS = `credit_id, creditor_iban, debtor_iban, debtor_name, amount_minor, currency,
  end_to_end_id, remittance_information, booked_at`;

function creditFromRow(row: Row): CreditRecord {
  return {
    id: text(row.credit_id),
    creditorIban: text(row.creditor_iban),
    debtorIban: text(row.debtor_iban),
    debtorName: text(row.debtor_name),
    amountMinor: BigInt(text(row.amount_minor)),
    currency: text(row.currency),
    endToEndId: text(row.end_to_end_id),
    remittanceInformation: textOrNull(row.remittance_information),
    bookedAt: new Date(row.booked_at as Date),
  };
}

function entryFromRow(row: Row): StatementEntry {
  return {
    entryReference: text(row.entry_id),
    kind: text(row.kind) as StatementEntry['kind'],
    creditDebit: text(row.credit_debit) as StatementEntry['creditDebit'],
    amountMinor: BigInt(text(row.amount_minor)),
    currency: text(row.currency),
    bookingDate: text(row.booking_date),
    valueDate: text(row.booking_date),
    bookedAt: new Date(row.booked_at as Date).toISOString(),
    endToEndId: text(row.end_to_end_id),
    transactionId: text(row.transaction_id),
    counterpartyIban: text(row.counterparty_iban),
    counterpartyName: text(row.counterparty_name),
    remittanceInformation: textOrNull(row.remittance_information),
    reasonCode: textOrNull(row.reason_code),
  };
}

/** Inbound credits, the settlement account's seed and the statements' entries. */
export class PostgresCreditStatementStore implements CreditStore, StatementStore {
  constructor(private readonly dataSource: DataSource) {}

  async bookCredit(input: {
    idempotencyKey: string | null;
    fingerprint: string;
    expiresAt: Date;
    credit: CreditRecord;
    entry: NewEntry;
    webhook: NewWebhook | null;
  }): Promise<{ created: boolean; fingerprint: string; credit: CreditRecord }> {
    const { credit } = input;
    const claimed = await this.dataSource.transaction(async (manager) => {
      if (input.idempotencyKey !== null) {
        const claim = await rows(
          manager,
          `INSERT INTO idempotency_keys (scope, idempotency_key, fingerprint, resource_id,
             created_at, expires_at) VALUES ('credit', $1, $2, $3, $4, $5)
           ON CONFLICT (scope, idempotency_key) DO NOTHING RETURNING resource_id`,
          [input.idempotencyKey, input.fingerprint, credit.id, credit.bookedAt, input.expiresAt],
        );
        if (claim.length === 0) return false;
      }
      await rows(
        manager,
        `INSERT INTO inbound_credits (${CREDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          credit.id,
          credit.creditorIban,
          credit.debtorIban,
          credit.debtorName,
          credit.amountMinor.toString(),
          credit.currency,
          credit.endToEndId,
          credit.remittanceInformation,
          credit.bookedAt,
        ],
      );
      await writeEntry(manager, input.entry);
      if (input.webhook) await writeWebhook(manager, input.webhook, credit.bookedAt);
      return true;
    });
    if (claimed) return { created: true, fingerprint: input.fingerprint, credit };
    const [bound] = await rows(
      this.dataSource.manager,
      `SELECT k.fingerprint, c.* FROM idempotency_keys k
       JOIN inbound_credits c ON c.credit_id = k.resource_id
       WHERE k.scope = 'credit' AND k.idempotency_key = $1`,
      [input.idempotencyKey],
    );
    if (!bound) throw new Error(`IdempotencyKeyBound: ${input.idempotencyKey} has no credit`);
    return { created: false, fingerprint: text(bound.fingerprint), credit: creditFromRow(bound) };
  }

  /** Our settlement account with its opening balance per currency, once (a restart keeps it). */
  async seedAccount(iban: string, currencies: string[], balanceMinor: bigint, now: Date) {
    await this.dataSource.transaction(async (manager) => {
      for (const currency of currencies) {
        const inserted = await rows(
          manager,
          `INSERT INTO entries (entry_id, account_iban, kind, transaction_id, credit_debit,
             amount_minor, currency, booking_date, booked_at, end_to_end_id, counterparty_iban,
             counterparty_name)
           VALUES ($1, $2, 'opening', $1, 'CRDT', $3, $4, DATE '2000-01-01',
             TIMESTAMPTZ '2000-01-01T00:00:00Z', 'OPENING', $2, 'Opening balance')
           ON CONFLICT DO NOTHING RETURNING entry_id`,
          [`opening-${iban}-${currency}`, iban, balanceMinor.toString(), currency],
        );
        if (inserted.length === 0) continue;
        await rows(
          manager,
          `INSERT INTO account_balances (iban, currency, balance_minor, updated_at)
           VALUES ($1, $2, $3, $4) ON CONFLICT (iban, currency) DO UPDATE
             SET balance_minor = account_balances.balance_minor + EXCLUDED.balance_minor`,
          [iban, currency, balanceMinor.toString(), now],
        );
      }
    });
  }

  async statementDay(accountIban: string, date: string) {
    const opening = await rows(
      this.dataSource.manager,
      `SELECT currency,
         SUM(CASE credit_debit WHEN 'CRDT' THEN amount_minor ELSE -amount_minor END)::text AS sum
       FROM entries WHERE account_iban = $1 AND booking_date < $2::date GROUP BY currency`,
      [accountIban, date],
    );
    const entries = await rows(
      this.dataSource.manager,
      `SELECT entry_id, kind, credit_debit, amount_minor, currency, booked_at, end_to_end_id,
         transaction_id, counterparty_iban, counterparty_name, remittance_information, reason_code,
         to_char(booking_date, 'YYYY-MM-DD') AS booking_date
       FROM entries
       WHERE account_iban = $1 AND booking_date = $2::date AND kind <> 'opening'
       ORDER BY booked_at, entry_id`,
      [accountIban, date],
    );
    return {
      openingByCurrency: new Map(opening.map((row) => [text(row.currency), BigInt(text(row.sum))])),
      entries: entries.map(entryFromRow),
    };
  }
}

import type { FaultKind, FaultSettings } from './fault-settings';
import { randomFor } from './seeded-random';
import { addMinor } from './money-text';
import { type Statement, type StatementEntry, signedAmount } from './statement';

function shiftDate(date: string, days: number): string {
  const shifted = new Date(`${date}T00:00:00Z`);
  shifted.setUTCDate(shifted.getUTCDate() + days);
  return shifted.toISOString().slice(0, 10);
}

function unknownEntry(statement: Statement, index: number, draw: number): StatementEntry {
  const reference = `PHANTOM-${statement.date}-${statement.currency}-${index + 1}`;
  return {
    entryReference: reference,
    kind: 'transfer_booked',
    creditDebit: 'DBIT',
    amountMinor: BigInt(100 + Math.floor(draw * 99_900)),
    currency: statement.currency,
    bookingDate: statement.date,
    valueDate: statement.date,
    bookedAt: `${statement.date}T12:00:00.000Z`,
    endToEndId: reference,
    transactionId: reference,
    counterpartyIban: 'DE02120300000000202051',
    counterpartyName: 'Unknown beneficiary',
    remittanceInformation: null,
    reasonCode: null,
  };
}

/**
 * The statement as a faulty bank would send it: entries left out, amounts off by a fee, booking
 * dates a day late, entries we never sent. Each entry's draws depend only on the seed and its
 * reference, so the same day's statement has the same defects every time it is fetched. The
 * statement stays consistent in itself (the closing balance is the opening plus the entries it
 * shows), as a real bank's is: the defects are differences from our records, which the
 * reconciler finds; a statement that did not add up would be refused whole at ingestion.
 */
export function applyStatementDefects(
  statement: Statement,
  settings: FaultSettings['statements'],
  seed: number,
): { statement: Statement; defects: FaultKind[] } {
  const defects: FaultKind[] = [];
  const entries: StatementEntry[] = [];
  for (const entry of statement.entries) {
    const random = randomFor(seed, 'statement', entry.entryReference);
    const [missing, fee, shifted] = [random.next(), random.next(), random.next()];
    if (missing < settings.missingEntryRate) {
      defects.push('statement_missing_entry');
      continue;
    }
    let defective = entry;
    if (fee < settings.feeRate && entry.amountMinor > BigInt(settings.feeMinor)) {
      defects.push('statement_fee');
      defective = { ...defective, amountMinor: defective.amountMinor - BigInt(settings.feeMinor) };
    }
    if (shifted < settings.shiftedDateRate) {
      defects.push('statement_shifted_date');
      defective = { ...defective, bookingDate: shiftDate(defective.bookingDate, 1) };
    }
    entries.push(defective);
  }
  const random = randomFor(seed, 'statement-unknown', statement.date, statement.currency);
  for (let index = 0; index < settings.unknownEntries; index += 1) {
    defects.push('statement_unknown_entry');
    entries.push(unknownEntry(statement, index, random.next()));
  }
  const closingMinor = entries.reduce(
    (sum, entry) => addMinor(sum, signedAmount(entry)),
    statement.openingMinor,
  );
  return { statement: { ...statement, entries, closingMinor }, defects };
}

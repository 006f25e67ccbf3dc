import { z } from 'zod';
import { currencySchema, positiveAmountMinorSchema, signedAmountMinorSchema } from './money';
import { bankReasonCodeSchema } from './partner-bank-api';

/**
 * `partner.statements.v1`: a partner bank's daily statement of our settlement account there, as
 * ingested (fetched by the partner adapter, or uploaded by an admin through the gateway), keyed by
 * the statement's account: `statement:<partnerId>:<accountIban>` (one partition per bank account,
 * so a statement's messages keep their order).
 *
 * A statement is published whole or not at all (one outbox transaction): `StatementReceived` (its
 * header, with the number of entries), then `StatementEntriesReported` chunks (at most
 * STATEMENT_CHUNK_ENTRIES each, `chunk` from 0) that together hold exactly `entryCount` entries.
 * A consumer uses a statement only once it holds all of them. Ids are derived from the file's
 * digest, so fetching or uploading the same file again publishes the same ids (a duplicate).
 */
const id = z.string().min(1).max(200);
const date = z.iso.date();

export const STATEMENT_CHUNK_ENTRIES = 500;

export const STATEMENT_FORMATS = ['camt.053.001.08', 'camt.053.001.02', 'csv'] as const;

/** One transaction inside a booked entry (camt.053 `NtryDtls/TxDtls`): a batch entry has several. */
export const statementTransactionSchema = z.strictObject({
  /** Our reference the bank echoes (`Refs/EndToEndId`); null when the bank gave none (`NOTPROVIDED`). */
  endToEndId: z.string().max(35).nullable(),
  /** The bank's id of the transfer or inbound credit (`Refs/TxId`), when given. */
  transactionId: z.string().max(100).nullable(),
  /** The transaction's own amount (`AmtDtls/TxAmt` or `Amt`); for a single entry, the entry's amount. */
  amountMinor: positiveAmountMinorSchema,
  counterpartyIban: z.string().max(34).nullable(),
  counterpartyName: z.string().max(140).nullable(),
  remittanceInformation: z.string().max(140).nullable(),
  /** A return's or reversal's reason (`RtrInf/Rsn/Cd`). */
  reasonCode: bankReasonCodeSchema.nullable(),
});

export const statementEntrySchema = z.strictObject({
  /** The bank's reference of the entry (`AcctSvcrRef`), unique within the statement. */
  entryReference: z.string().min(1).max(100),
  creditDebit: z.enum(['CRDT', 'DBIT']),
  amountMinor: positiveAmountMinorSchema,
  currency: currencySchema,
  bookingDate: date,
  valueDate: date,
  /** `RvslInd`: this entry reverses an earlier one (a transfer the bank took back: rejected). */
  reversal: z.boolean(),
  /** `BkTxCd/Domn/Fmly/SubFmlyCd` when given (e.g. `ESCT`, `RRTN`), for rules and people. */
  bankTransactionCode: z.string().max(35).nullable(),
  transactions: z.array(statementTransactionSchema).min(1).max(1000),
});

export const PARTNER_STATEMENT_MESSAGE_SCHEMAS = {
  StatementReceived: z.strictObject({
    /** `stmt:<partnerId>:<accountIban>:<currency>:<date>:<first 16 hex of the file's sha256>`. */
    statementId: id,
    partnerId: z.string().min(1).max(100),
    accountIban: z.string().min(5).max(34),
    currency: currencySchema,
    /** The day the statement covers (camt.053 `FrToDt`, or `CreDtTm`'s date). */
    date,
    /** The statement's own id in the file (`Stmt/Id`). */
    bankStatementId: z.string().max(100),
    format: z.enum(STATEMENT_FORMATS),
    source: z.enum(['fetched', 'uploaded']),
    /** Who uploaded it (the admin actor), or `partner-adapter` for a fetched one. */
    receivedBy: z.string().min(1).max(200),
    fileSha256: z.string().regex(/^[0-9a-f]{64}$/),
    openingMinor: signedAmountMinorSchema,
    closingMinor: signedAmountMinorSchema,
    entryCount: z.number().int().min(0).max(1_000_000),
    chunkCount: z.number().int().min(0),
    at: z.iso.datetime(),
  }),
  StatementEntriesReported: z.strictObject({
    statementId: id,
    chunk: z.number().int().min(0),
    /** The position of the chunk's first entry in the statement. */
    firstIndex: z.number().int().min(0),
    entries: z.array(statementEntrySchema).min(1).max(STATEMENT_CHUNK_ENTRIES),
  }),
} as const;

export type StatementEntry = z.infer<typeof statementEntrySchema>;
export type StatementTransaction = z.infer<typeof statementTransactionSchema>;
export type PartnerStatementMessageType = keyof typeof PARTNER_STATEMENT_MESSAGE_SCHEMAS;
export type PartnerStatementMessage = {
  [K in PartnerStatementMessageType]: {
    type: K;
    data: z.infer<(typeof PARTNER_STATEMENT_MESSAGE_SCHEMAS)[K]>;
  };
}[PartnerStatementMessageType];

export const statementMessageKey = (partnerId: string, accountIban: string) =>
  `statement:${partnerId}:${accountIban}`;

export function parsePartnerStatementMessage(
  type: string,
  data: unknown,
): PartnerStatementMessage | null {
  if (!Object.hasOwn(PARTNER_STATEMENT_MESSAGE_SCHEMAS, type)) return null;
  const parsed =
    PARTNER_STATEMENT_MESSAGE_SCHEMAS[type as PartnerStatementMessageType].safeParse(data);
  return parsed.success ? ({ type, data: parsed.data } as PartnerStatementMessage) : null;
}

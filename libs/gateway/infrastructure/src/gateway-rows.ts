import { AccountView, PaymentRecord, PaymentStatus, PayoutDetails } from '@rtp/gateway/application';

/** An account joined with its settings; accounts without a settings row take the defaults. */
export const SELECT_ACCOUNT = `SELECT a.*,
    COALESCE(s.accepts_credits_from_other_clients, false) AS accepts_credits_from_other_clients
  FROM gateway.accounts a
  LEFT JOIN gateway.account_settings s ON s.account_id = a.account_id AND s.client_id = a.client_id
  WHERE a.account_id = $1`;

/**
 * A payment with the owners of its accounts, which decide who may see it and how much of it; a
 * payout with its details and the statuses it reached (oldest first).
 */
export const SELECT_PAYMENT = `SELECT p.*, source.client_id AS source_client_id,
    destination.client_id AS destination_client_id,
    o.partner_id, o.beneficiary_iban, o.beneficiary_name, o.beneficiary_bic, o.end_to_end_id,
    o.bank_reference, o.decided, o.escalated_at,
    CASE WHEN p.kind = 'payout' THEN (SELECT json_agg(json_build_object('status', h.status,
        'failureCode', h.failure_code, 'at', h.occurred_at) ORDER BY h.occurred_at, CASE h.status
        WHEN 'processing' THEN 0 WHEN 'pending' THEN 1 WHEN 'returned' THEN 3 ELSE 2 END)
      FROM gateway.payment_status_history h WHERE h.payment_id = p.payment_id) END AS history
  FROM gateway.payments p
  LEFT JOIN gateway.accounts source ON source.account_id = p.source_account_id
  LEFT JOIN gateway.accounts destination ON destination.account_id = p.destination_account_id
  LEFT JOIN gateway.payouts o ON o.payment_id = p.payment_id
  WHERE p.payment_id = $1`;

/** The owner's settings of an account; only the owner's client may change them. */
export const UPSERT_SETTINGS = `INSERT INTO gateway.account_settings (account_id, client_id,
    accepts_credits_from_other_clients, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (account_id) DO UPDATE
    SET accepts_credits_from_other_clients = EXCLUDED.accepts_credits_from_other_clients,
      updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by
    WHERE gateway.account_settings.client_id = EXCLUDED.client_id`;

/**
 * A change of the owner's settings, announced on channel $6 in the same statement (so in its
 * transaction): every replica's cache of account facts forgets the account.
 */
export const SAVE_SETTINGS = `WITH saved AS (${UPSERT_SETTINGS} RETURNING account_id)
  SELECT pg_notify($6, account_id) FROM saved`;

export interface ActionOutcomeRow {
  account_id: string;
  failure_code: string | null;
  status: AccountView['status'];
  freeze_mode: AccountView['freeze'];
  posted_minor: string;
  pending_minor: string;
  last_sequence: string;
}

export interface AccountRow {
  account_id: string;
  client_id: string;
  currency: string;
  name: string | null;
  metadata: Record<string, string> | null;
  status: AccountView['status'];
  failure_code: string | null;
  posted_minor: string;
  pending_minor: string;
  created_at: Date;
  freeze_mode: AccountView['freeze'];
  last_sequence: string;
  accepts_credits_from_other_clients: boolean;
  virtual_iban: string | null;
}

export interface PaymentRow {
  payment_id: string;
  kind: PaymentRecord['kind'];
  client_id: string;
  source_account_id: string | null;
  destination_account_id: string | null;
  amount_minor: string;
  currency: string;
  status: PaymentRecord['status'];
  failure_code: string | null;
  reference: string | null;
  metadata: Record<string, string> | null;
  created_at: Date;
  updated_at: Date;
  failed_leg: PaymentRecord['failedLeg'];
  source_client_id: string | null;
  destination_client_id: string | null;
  partner_id: string | null;
  beneficiary_iban: string | null;
  beneficiary_name: string | null;
  beneficiary_bic: string | null;
  end_to_end_id: string | null;
  bank_reference: string | null;
  decided: boolean | null;
  escalated_at: Date | null;
  history: { status: PaymentStatus; failureCode: string | null; at: string }[] | null;
}

export const toAccount = (row: AccountRow): AccountView => ({
  id: row.account_id,
  clientId: row.client_id,
  currency: row.currency,
  name: row.name,
  metadata: row.metadata,
  status: row.status,
  failureCode: row.failure_code,
  postedMinor: String(row.posted_minor),
  pendingMinor: String(row.pending_minor),
  createdAt: row.created_at,
  freeze: row.freeze_mode,
  lastSequence: Number(row.last_sequence),
  acceptsCreditsFromOtherClients: row.accepts_credits_from_other_clients,
  virtualIban: row.virtual_iban ?? null,
});

export const toPayment = (row: PaymentRow): PaymentRecord => ({
  id: row.payment_id,
  kind: row.kind,
  clientId: row.client_id,
  sourceAccountId: row.source_account_id,
  destinationAccountId: row.destination_account_id,
  amountMinor: String(row.amount_minor),
  currency: row.currency,
  status: row.status,
  failureCode: row.failure_code,
  reference: row.reference,
  metadata: row.metadata,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  failedLeg: row.failed_leg ?? null,
  sourceClientId: row.source_client_id,
  destinationClientId: row.destination_client_id,
  payout: payoutOf(row),
});

/** A payout's details; null for other payments (and for a payout whose details are not stored). */
function payoutOf(row: PaymentRow): PayoutDetails | null {
  if (row.kind !== 'payout' || row.partner_id === null || row.end_to_end_id === null) return null;
  return {
    partnerId: row.partner_id,
    beneficiary: {
      iban: row.beneficiary_iban ?? '',
      name: row.beneficiary_name ?? '',
      bic: row.beneficiary_bic,
    },
    endToEndId: row.end_to_end_id,
    bankReference: row.bank_reference,
    decided: row.decided === true || row.status !== 'processing',
    escalated: row.escalated_at !== null,
    history: (row.history ?? []).map((entry) => ({ ...entry, at: new Date(entry.at) })),
  };
}

/** Where a row is read from: the primary, or the read replica for queries. */
interface Queryable {
  query(sql: string, parameters: unknown[]): Promise<unknown>;
}

/** The account by id, as the read model in `source` holds it. */
export async function readAccountRow(source: Queryable, accountId: string) {
  const rows = (await source.query(SELECT_ACCOUNT, [accountId])) as AccountRow[];
  return rows.length === 0 ? null : toAccount(rows[0]);
}

/** The payment by id, with its accounts' owners, as the read model in `source` holds it. */
export async function readPaymentRow(source: Queryable, paymentId: string) {
  const rows = (await source.query(SELECT_PAYMENT, [paymentId])) as PaymentRow[];
  return rows.length === 0 ? null : toPayment(rows[0]);
}

/**
 * One statement accepts a whole group: claims its keys, records the payments (a payout with its
 * details) and queues their commands for exactly the keys it claimed, and marks outbox rows published since the last group.
 * Every conflict is settled per row (ON CONFLICT), so one request's key never fails the others:
 * a key that is taken simply comes back unclaimed, with the fingerprint and payment it is bound to
 * (read from the statement's snapshot, which is taken after the group's locks were granted, so
 * any earlier holder of a key has committed and is visible).
 */
export const ACCEPT_GROUP = `WITH input AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
      $6::timestamptz[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],
      $13::bigint[], $14::text[], $15::text[], $16::jsonb[], $17::timestamptz[], $18::text[],
      $19::text[], $20::text[], $21::text[], $22::jsonb[], $24::jsonb[])
    WITH ORDINALITY AS t(client_id, idempotency_key, operation, fingerprint, payment_id, expires_at,
      consent_account_id, consent_client_id, kind, payment_client_id, source_account_id,
      destination_account_id, amount_minor, currency, reference, metadata, created_at, topic,
      message_key, message_id, message_type, payload, payout, ord)
  ),
  permitted AS (
    -- Consent to credits from other clients is read here, in the accepting transaction, so a
    -- consent withdrawn before this commit is never used, whatever a cache said.
    SELECT i.* FROM input i WHERE i.consent_account_id IS NULL OR EXISTS (
      SELECT 1 FROM gateway.account_settings s WHERE s.account_id = i.consent_account_id
        AND s.client_id = i.consent_client_id AND s.accepts_credits_from_other_clients)
  ),
  claimed AS (
    INSERT INTO gateway.idempotency_keys AS k (client_id, idempotency_key, operation, fingerprint,
      resource_id, created_at, expires_at)
    SELECT client_id, idempotency_key, operation, fingerprint, payment_id, now(), expires_at
    FROM permitted ORDER BY ord
    ON CONFLICT (client_id, idempotency_key) DO UPDATE SET operation = EXCLUDED.operation,
      fingerprint = EXCLUDED.fingerprint, resource_id = EXCLUDED.resource_id,
      created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
      WHERE k.expires_at < now()
    RETURNING client_id, idempotency_key
  ),
  accepted AS (
    SELECT i.* FROM input i
    JOIN claimed c ON c.client_id = i.client_id AND c.idempotency_key = i.idempotency_key
  ),
  payments AS (
    INSERT INTO gateway.payments (payment_id, kind, client_id, source_account_id,
      destination_account_id, amount_minor, currency, status, reference, metadata, created_at,
      updated_at)
    SELECT payment_id, kind, payment_client_id, source_account_id, destination_account_id,
      amount_minor, currency, 'processing', reference, metadata, created_at, created_at
    FROM accepted ORDER BY ord
  ),
  payouts AS (
    INSERT INTO gateway.payouts (payment_id, partner_id, beneficiary_iban, beneficiary_name,
      beneficiary_bic, end_to_end_id)
    SELECT payment_id, payout->>'partnerId', payout->'beneficiary'->>'iban',
      payout->'beneficiary'->>'name', payout->'beneficiary'->>'bic', payout->>'endToEndId'
    FROM accepted WHERE payout IS NOT NULL ORDER BY ord
  ),
  queued AS (
    INSERT INTO gateway.outbox (topic, message_key, message_id, message_type, payload, created_at)
    SELECT topic, message_key, message_id, message_type, payload, now() FROM accepted ORDER BY ord
    ON CONFLICT (message_id) DO NOTHING
    RETURNING outbox_id, message_id
  ),
  marked AS (
    UPDATE gateway.outbox SET published_at = now()
    WHERE outbox_id = ANY($23::bigint[]) AND published_at IS NULL
  )
  SELECT i.ord::int AS ord, c.idempotency_key IS NOT NULL AS claimed,
    p.ord IS NOT NULL AS permitted, k.fingerprint, k.resource_id, q.outbox_id::text AS outbox_id
  FROM input i
  LEFT JOIN permitted p ON p.ord = i.ord
  LEFT JOIN claimed c ON c.client_id = i.client_id AND c.idempotency_key = i.idempotency_key
  LEFT JOIN gateway.idempotency_keys k
    ON k.client_id = i.client_id AND k.idempotency_key = i.idempotency_key
  LEFT JOIN queued q ON q.message_id = i.message_id
  ORDER BY i.ord`;

/**
 * A second request for a key while another transaction holds it answers 409 at once instead of
 * queueing on the key's row (the same lock as a single freeze or unfreeze takes).
 */
export const LOCK_KEYS = `SELECT pg_try_advisory_xact_lock(hashtextextended(k, 0)) AS locked
  FROM unnest($1::text[]) WITH ORDINALITY AS t(k, ord) ORDER BY ord`;

/** The advisory lock name of (client, key); idempotency-claim.ts takes the same one. */
export const keyLockName = (clientId: string, idempotencyKey: string) =>
  `idempotency:${clientId}:${idempotencyKey}`;

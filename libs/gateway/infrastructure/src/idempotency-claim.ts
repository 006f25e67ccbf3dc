import { EntityManager } from 'typeorm';
import { ClaimResult, IdempotencyClaim } from '@rtp/gateway/application';
import { keyLockName } from './accept/accept-group.sql';

/**
 * Inside the caller's transaction: claims (client, key) for `resourceId`, or says why not. A key
 * past its retention is claimed afresh in place.
 */
export async function claimIdempotencyKey(
  manager: EntityManager,
  claim: IdempotencyClaim,
  resourceId: string,
): Promise<ClaimResult> {
  // A second request with the same key while the first is inside its transaction gets 409 at once
  // instead of queueing on the key's row; once the first has committed, it is replayed.
  const [{ locked }] = await manager.query(
    'SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked',
    [keyLockName(claim.clientId, claim.idempotencyKey)],
  );
  if (!locked) return { claimed: false, inFlight: true };
  const claimed: unknown[] = await manager.query(
    `INSERT INTO gateway.idempotency_keys (client_id, idempotency_key, operation, fingerprint,
       resource_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, now(), $6)
     ON CONFLICT (client_id, idempotency_key) DO UPDATE SET operation = EXCLUDED.operation,
       fingerprint = EXCLUDED.fingerprint, resource_id = EXCLUDED.resource_id,
       created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
       WHERE gateway.idempotency_keys.expires_at < now()
     RETURNING resource_id`,
    [
      claim.clientId,
      claim.idempotencyKey,
      claim.operation,
      claim.fingerprint,
      resourceId,
      claim.expiresAt,
    ],
  );
  if (claimed.length > 0) return { claimed: true };
  const existing: { fingerprint: string; resource_id: string }[] = await manager.query(
    `SELECT fingerprint, resource_id FROM gateway.idempotency_keys
     WHERE client_id = $1 AND idempotency_key = $2`,
    [claim.clientId, claim.idempotencyKey],
  );
  return {
    claimed: false,
    inFlight: false,
    fingerprint: existing[0].fingerprint,
    resourceId: existing[0].resource_id,
  };
}

-- The bootstrap admin revokes an operator's key (POST /v1/admin/operators/{name}/revoke). A key is
-- revoked, never deleted: the actions taken with it keep naming its operator. The change is
-- announced on gateway_api_keys by the trigger of migration 0011, so every replica forgets it.
GRANT UPDATE (revoked_at) ON gateway.api_keys TO gateway_app;

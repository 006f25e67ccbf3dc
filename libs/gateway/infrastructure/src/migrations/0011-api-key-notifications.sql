-- Gateway replicas keep API keys in memory. Every change of a key (created, revoked, deleted,
-- however it is made: by the gateway or by an operator's UPDATE ... SET revoked_at = now()) is
-- announced on gateway_api_keys with the key's hash, at the commit of the transaction that makes
-- it, so that every replica forgets it at once. A TRUNCATE announces '*': forget every key.
CREATE FUNCTION gateway.announce_api_key_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN
    PERFORM pg_notify('gateway_api_keys', '*');
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM pg_notify('gateway_api_keys', OLD.key_hash);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM pg_notify('gateway_api_keys', NEW.key_hash);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER api_keys_announce_change AFTER INSERT OR UPDATE OR DELETE ON gateway.api_keys
  FOR EACH ROW EXECUTE FUNCTION gateway.announce_api_key_change();
CREATE TRIGGER api_keys_announce_truncate AFTER TRUNCATE ON gateway.api_keys
  FOR EACH STATEMENT EXECUTE FUNCTION gateway.announce_api_key_change();

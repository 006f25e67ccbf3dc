-- A key past its retention is claimed afresh in place (INSERT … ON CONFLICT DO UPDATE … WHERE expired).
GRANT UPDATE ON gateway.idempotency_keys TO gateway_app;

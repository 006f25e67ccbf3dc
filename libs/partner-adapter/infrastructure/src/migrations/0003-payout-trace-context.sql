-- The W3C trace context of each payout's reservation (issue 12): the bank calls and every message
-- about the payout (PayoutSubmitted, SettlePayout, ReleasePayout, ReturnPayout...) continue it,
-- whichever loop, webhook or restart produces them. Nullable: older and untraced payouts have none.
ALTER TABLE partner_adapter.payouts ADD COLUMN IF NOT EXISTS traceparent text;

import { z } from 'zod';

const rate = z.number().min(0).max(1);
const milliseconds = z.number().int().min(0).max(600_000);

/**
 * What the sandbox bank gets wrong on purpose. Rates are probabilities per request, per webhook
 * delivery or per statement entry; every decision is drawn from SANDBOX_BANK_FAULT_SEED.
 */
export const faultSettingsSchema = z.strictObject({
  /** A log-normal delay before each /v1 answer, by its minimum, median and 99th percentile. */
  latencyMs: z
    .strictObject({ min: milliseconds, median: milliseconds, p99: milliseconds })
    .refine((l) => l.min <= l.median && l.median <= l.p99, 'needs min <= median <= p99')
    .default({ min: 0, median: 0, p99: 0 }),
  /** 503 without applying the request. */
  errorRate: rate.default(0),
  /** No answer and nothing applied: the socket is closed after `hangMs` (the caller times out). */
  hangRate: rate.default(0),
  hangMs: milliseconds.default(120_000),
  /** The request is applied, then the connection is destroyed without an answer. */
  dropAfterApplyRate: rate.default(0),
  /** A booking is rejected (MS03) whatever the rules say. */
  rejectRate: rate.default(0),
  webhooks: z
    .strictObject({
      duplicateRate: rate.default(0),
      /** Held back a little, so that the next deliveries overtake it. */
      reorderRate: rate.default(0),
      delayRate: rate.default(0),
      delayMs: milliseconds.default(5_000),
    })
    .default({ duplicateRate: 0, reorderRate: 0, delayRate: 0, delayMs: 5_000 }),
  statements: z
    .strictObject({
      missingEntryRate: rate.default(0),
      feeRate: rate.default(0),
      /** What a fee defect takes off the entry's amount, in minor units. */
      feeMinor: z.number().int().min(1).max(1_000_000).default(150),
      shiftedDateRate: rate.default(0),
      /** Entries on the statement we never sent, per statement (and currency). */
      unknownEntries: z.number().int().min(0).max(100).default(0),
    })
    .default({
      missingEntryRate: 0,
      feeRate: 0,
      feeMinor: 150,
      shiftedDateRate: 0,
      unknownEntries: 0,
    }),
});

export type FaultSettings = z.infer<typeof faultSettingsSchema>;

export const NO_FAULTS: FaultSettings = faultSettingsSchema.parse({});

export type FaultKind =
  | 'latency'
  | 'error'
  | 'hang'
  | 'drop_after_apply'
  | 'reject'
  | 'webhook_duplicate'
  | 'webhook_reorder'
  | 'webhook_delay'
  | 'statement_missing_entry'
  | 'statement_fee'
  | 'statement_shifted_date'
  | 'statement_unknown_entry';

import { z } from 'zod';
import { LEDGER_REJECTION_CODES } from '@rtp/contracts';
import { HIDDEN_FAILURE_CODES } from '../representations';
import {
  accountSettingsSchema,
  createClientSchema,
  depositSchema,
  freezeSchema,
  openAccountSchema,
  paymentSchema,
  payoutSchema,
} from '../validation';
import { PAYMENT_STATUSES } from '@rtp/gateway/application';

type JsonSchema = Record<string, unknown>;

const amount: JsonSchema = {
  description:
    'Integer minor units ("1050" is 10.50 EUR). A JSON integer up to 2^53-1 is also accepted.',
  oneOf: [
    { type: 'string', pattern: '^[1-9][0-9]{0,18}$' },
    { type: 'integer', minimum: 1, maximum: 9_007_199_254_740_991 },
  ],
};
const amountOut: JsonSchema = {
  type: 'string',
  pattern: '^-?[0-9]+$',
  description: 'Integer minor units',
};
const currency: JsonSchema = {
  type: 'string',
  pattern: '^[A-Z]{3}$',
  description: 'ISO 4217 alpha-3',
};
const id: JsonSchema = { type: 'string' };
const time: JsonSchema = { type: 'string', format: 'date-time' };
const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });

/** Request bodies come from the same zod schemas that validate them; amounts and currencies are described. */
export function requestSchema(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  delete json.$schema;
  const properties = json.properties as Record<string, JsonSchema> | undefined;
  if (properties?.amount) properties.amount = amount;
  if (properties?.currency) properties.currency = currency;
  return json;
}

const balance: JsonSchema = {
  type: 'object',
  required: ['posted', 'pending', 'available'],
  properties: { posted: amountOut, pending: amountOut, available: amountOut },
};

export const SCHEMAS: Record<string, JsonSchema> = {
  CreateClientRequest: requestSchema(createClientSchema),
  OpenAccountRequest: requestSchema(openAccountSchema),
  AccountSettingsRequest: requestSchema(accountSettingsSchema),
  PaymentRequest: requestSchema(paymentSchema),
  DepositRequest: requestSchema(depositSchema),
  PayoutRequest: requestSchema(payoutSchema),
  FreezeRequest: requestSchema(freezeSchema),
  Client: {
    type: 'object',
    required: ['id', 'name', 'apiKey'],
    properties: {
      id,
      name: { type: 'string' },
      apiKey: { type: 'string', description: 'Shown once' },
    },
  },
  Account: {
    type: 'object',
    required: [
      'id',
      'currency',
      'status',
      'freeze',
      'acceptsCreditsFromOtherClients',
      'balance',
      'createdAt',
    ],
    properties: {
      id,
      currency,
      status: { enum: ['opening', 'active', 'frozen', 'closed', 'rejected'] },
      freeze: { enum: ['none', 'debits', 'credits', 'all'] },
      acceptsCreditsFromOtherClients: {
        type: 'boolean',
        description: 'Whether other clients may pay into it; if not, it answers them as unknown',
      },
      name: nullable({ type: 'string' }),
      metadata: nullable({ type: 'object', additionalProperties: { type: 'string' } }),
      failureCode: { type: 'string' },
      virtualIban: nullable({
        type: 'string',
        description: 'The IBAN that credits this account (deposits by bank transfer)',
      }),
      balance,
      createdAt: time,
    },
  },
  Balance: {
    type: 'object',
    required: ['accountId', 'currency', 'posted', 'pending', 'available'],
    properties: {
      accountId: id,
      currency,
      asOf: time,
      posted: amountOut,
      pending: amountOut,
      available: amountOut,
    },
  },
  Payment: {
    type: 'object',
    required: ['id', 'status', 'amount', 'currency', 'createdAt', 'updatedAt'],
    properties: {
      id,
      status: {
        enum: [...PAYMENT_STATUSES],
        description: 'Transfers and deposits: processing, completed, rejected. Payouts: see Payout',
      },
      kind: { enum: ['payout'], description: 'Only on a payout: then it is a Payout' },
      sourceAccountId: nullable(id),
      destinationAccountId: id,
      accountId: id,
      amount: amountOut,
      currency,
      reference: nullable({ type: 'string' }),
      metadata: nullable({ type: 'object', additionalProperties: { type: 'string' } }),
      failureCode: nullable({
        enum: [...LEDGER_REJECTION_CODES, ...Object.values(HIDDEN_FAILURE_CODES)],
        description:
          'A refusal by an account the reader does not own reads ' +
          'destination_unavailable (or source_unavailable)',
      }),
      initiatedBy: { enum: ['admin', 'account_owner'] },
      createdAt: time,
      updatedAt: time,
    },
  },
  Payout: {
    type: 'object',
    required: ['id', 'kind', 'status', 'amount', 'currency', 'statusHistory', 'createdAt'],
    properties: {
      id,
      kind: { enum: ['payout'] },
      status: {
        enum: ['processing', 'pending', 'completed', 'failed', 'rejected', 'returned'],
        description:
          'processing: funds held; pending: sent to the bank, not final (funds stay held, ' +
          'whatever the delay); completed: booked by the bank; failed: the bank rejected it, ' +
          'funds released (failureCode bank_rejected_<ISO code>); rejected: the ledger refused ' +
          'it (failureCode); returned: booked, then sent back by the bank, the account credited ' +
          'back (failureCode bank_returned_<ISO code>)',
      },
      sourceAccountId: id,
      amount: amountOut,
      currency,
      reference: nullable({ type: 'string' }),
      beneficiary: nullable({
        type: 'object',
        properties: { iban: { type: 'string' }, name: { type: 'string' }, bic: nullable(id) },
      }),
      endToEndId: nullable({ type: 'string', description: 'Our reference at the bank' }),
      bankReference: nullable({ type: 'string', description: "The bank's transfer id" }),
      failureCode: nullable({ type: 'string' }),
      escalated: { type: 'boolean', description: 'Unknown at the bank past the deadline' },
      statusHistory: {
        type: 'array',
        items: {
          type: 'object',
          properties: { status: { type: 'string' }, failureCode: nullable(id), at: time },
        },
      },
      initiatedBy: { enum: ['admin', 'account_owner'] },
      createdAt: time,
      updatedAt: time,
    },
  },
  Entry: {
    type: 'object',
    properties: {
      sequence: { type: 'integer' },
      type: { type: 'string' },
      paymentId: nullable(id),
      postedChange: amountOut,
      pendingChange: amountOut,
      postedAfter: amountOut,
      pendingAfter: amountOut,
      occurredAt: time,
    },
  },
  EntryPage: {
    type: 'object',
    required: ['data', 'nextCursor'],
    properties: {
      data: { type: 'array', items: { $ref: '#/components/schemas/Entry' } },
      nextCursor: nullable({ type: 'string' }),
    },
  },
  PaymentPage: {
    type: 'object',
    required: ['data', 'nextCursor'],
    properties: {
      data: { type: 'array', items: { $ref: '#/components/schemas/Payment' } },
      nextCursor: nullable({ type: 'string' }),
    },
  },
  Problem: {
    type: 'object',
    required: ['type', 'title', 'status', 'detail', 'code'],
    description: 'RFC 9457 problem details; `code` is stable.',
    properties: {
      type: { type: 'string' },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: { type: 'string' },
      code: { type: 'string' },
      instance: { type: 'string' },
    },
  },
  Health: { type: 'object', properties: { status: { type: 'string' } } },
};

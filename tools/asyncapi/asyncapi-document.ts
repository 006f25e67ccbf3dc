import { z } from 'zod';
import {
  LEDGER_EVENT_SCHEMAS,
  PAYMENT_EVENT_SCHEMAS,
  PAYMENT_EVENT_TYPES,
  TOPICS,
  createEnvelope,
  envelopeSchema,
} from '@rtp/contracts';
import { MessageExample, paymentEventExamples } from './payment-event-examples';
import { JsonSchema, sampleOf } from './schema-samples';

/**
 * The AsyncAPI 3 document of the topics other teams consume: payments.events.v1 and
 * ledger.events.v1, generated from the contracts' zod schemas (z.toJSONSchema, draft-07, which
 * AsyncAPI's default schema format is a superset of). `npm run asyncapi` writes docs/asyncapi.yaml;
 * a unit test checks the committed file is what this builds.
 */
type Schema = Record<string, unknown>;

const toJsonSchema = (schema: z.ZodType): Schema => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-7',
    io: 'input',
  }) as Schema;
  return rest;
};

const BINDING_VERSION = '0.5.0';
const KEY_SCHEMA = {
  type: 'string',
  description: 'The account the message belongs to (also in the envelope as partitionkey).',
};

const PAYMENTS_DESCRIPTION =
  'One message per status change of a payment (a transfer, a deposit, a payout), produced by the ' +
  "gateway's projection through its outbox in the transaction that changes the status: exactly " +
  'one message per (payment, status), id `payment-event:<paymentId>:<status>`, in status order ' +
  'per payment (`data.statusSequence` 1, 2, ...), keyed by the account the payment belongs to ' +
  '(the source of a transfer or payout, the credited account of a deposit). A message can be ' +
  "delivered twice (a crash between the broker's answer and the outbox mark): consume it " +
  'idempotently by its id, or by keeping the last statusSequence per payment.';
const LEDGER_DESCRIPTION =
  "The ledger's account-level events (legs of transfers, deposits, payouts, account changes), " +
  'keyed by the account, in account sequence order per account, each once per id.';

/** A message's payload: the envelope, with its type and its data's schema. */
function envelopeFor(type: string, dataRef: string): Schema {
  return {
    description: `CloudEvents 1.0 envelope of ${type}.`,
    allOf: [
      { $ref: '#/components/schemas/CloudEventsEnvelope' },
      {
        type: 'object',
        properties: { type: { type: 'string', const: type }, data: { $ref: dataRef } },
      },
    ],
  };
}

function message(type: string, dataRef: string, example: MessageExample, summary: string): Schema {
  return {
    name: type,
    title: type,
    summary,
    contentType: 'application/json',
    bindings: { kafka: { key: KEY_SCHEMA, bindingVersion: BINDING_VERSION } },
    payload: envelopeFor(type, dataRef),
    examples: [
      { name: `${type}Example`, summary: `key: ${example.key}`, payload: example.payload },
    ],
  };
}

/** An example of a ledger event: its data sampled from the schema, checked by the schema. */
function ledgerExample(type: keyof typeof LEDGER_EVENT_SCHEMAS, schema: Schema): MessageExample {
  const data = sampleOf(schema as JsonSchema) as Record<string, unknown>;
  const parsed = LEDGER_EVENT_SCHEMAS[type].safeParse(data);
  if (!parsed.success) throw new Error(`the example of ${type} breaks it: ${parsed.error.message}`);
  const key = String(data.accountId ?? data.sourceAccountId ?? data.destinationAccountId);
  const envelope = createEnvelope({
    id: `ledger-event-${type}`,
    type,
    source: 'ledger',
    time: new Date(Date.UTC(2026, 11, 1, 12)),
    partitionKey: key,
    correlationId: String(data.paymentId ?? data.depositId ?? key),
    causationId: `command-${type}`,
    data,
  });
  return { key, payload: envelope as unknown as Record<string, unknown> };
}

export function buildAsyncApiDocument(): Schema {
  const messages: Record<string, Schema> = {};
  const schemas: Record<string, Schema> = {
    CloudEventsEnvelope: {
      ...toJsonSchema(envelopeSchema),
      description: 'CloudEvents 1.0 in JSON; partitionkey is the Kafka key.',
    },
    PaymentEventData: toJsonSchema(PAYMENT_EVENT_SCHEMAS.PaymentProcessing),
  };
  const paymentExamples = paymentEventExamples();
  for (const type of PAYMENT_EVENT_TYPES) {
    const example = paymentExamples.get(type);
    if (!example) throw new Error(`no example of ${type}`);
    messages[type] = message(
      type,
      '#/components/schemas/PaymentEventData',
      example,
      `A payment reached the status of ${type}.`,
    );
  }
  const ledgerTypes = Object.keys(LEDGER_EVENT_SCHEMAS) as (keyof typeof LEDGER_EVENT_SCHEMAS)[];
  for (const type of ledgerTypes) {
    const name = `Ledger${type}`;
    schemas[`${type}Data`] = toJsonSchema(LEDGER_EVENT_SCHEMAS[type]);
    const example = ledgerExample(type, schemas[`${type}Data`]);
    messages[name] = {
      ...message(type, `#/components/schemas/${type}Data`, example, `The ledger's ${type}.`),
      name,
    };
  }
  const refs = (names: string[]) =>
    Object.fromEntries(names.map((name) => [name, { $ref: `#/components/messages/${name}` }]));
  const ledgerNames = ledgerTypes.map((type) => `Ledger${type}`);
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Real-time payments platform: events for consumers',
      version: '1.0.0',
      description:
        'Topics other teams consume. Every message is a CloudEvents 1.0 envelope in JSON; ' +
        'amounts are integer minor units as strings. Generated from libs/contracts by ' +
        '`npm run asyncapi`; do not edit by hand.',
    },
    defaultContentType: 'application/json',
    channels: {
      paymentEvents: {
        address: TOPICS.paymentEvents,
        description: PAYMENTS_DESCRIPTION,
        messages: refs([...PAYMENT_EVENT_TYPES]),
      },
      ledgerEvents: {
        address: TOPICS.ledgerEvents,
        description: LEDGER_DESCRIPTION,
        messages: refs(ledgerNames),
      },
    },
    operations: {
      publishPaymentEvents: operation('paymentEvents', [...PAYMENT_EVENT_TYPES], 'The gateway'),
      publishLedgerEvents: operation('ledgerEvents', ledgerNames, 'The ledger'),
    },
    components: { schemas, messages },
  };
}

function operation(channel: string, names: string[], who: string): Schema {
  return {
    action: 'send',
    summary: `${who} publishes these.`,
    channel: { $ref: `#/channels/${channel}` },
    messages: names.map((name) => ({ $ref: `#/channels/${channel}/messages/${name}` })),
  };
}

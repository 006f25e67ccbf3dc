import {
  PAYMENT_EVENT_SCHEMAS,
  PAYMENT_EVENT_TYPES,
  TOPICS,
  deadLetterSchema,
  envelopeSchema,
} from '@rtp/contracts';
import { Schema, message, operation, sampledEnvelope, toJsonSchema } from './message-components';
import { paymentEventExamples } from './payment-event-examples';
import { JsonSchema, sampleOf } from './schema-samples';
import { DEAD_LETTER_CHANNELS, ENVELOPE_CHANNELS, EnvelopeChannel } from './topic-channels';

/**
 * The AsyncAPI 3 document of every topic (TOPICS), generated from the contracts' zod schemas
 * (z.toJSONSchema, draft-07, which AsyncAPI's default schema format is a superset of): each
 * channel's key, the CloudEvents envelope, each message type with an example. `npm run asyncapi`
 * writes docs/asyncapi.yaml; a unit test checks the committed file is what this builds.
 */
const PAYMENTS_DESCRIPTION =
  'One message per status change of a payment (a transfer, a deposit, a payout), produced by the ' +
  "gateway's projection through its outbox in the transaction that changes the status: exactly " +
  'one message per (payment, status), id `payment-event:<paymentId>:<status>`, in status order ' +
  'per payment (`data.statusSequence` 1, 2, ...), keyed by the account the payment belongs to ' +
  '(the source of a transfer or payout, the credited account of a deposit). A message can be ' +
  "delivered twice (a crash between the broker's answer and the outbox mark): consume it " +
  'idempotently by its id, or by keeping the last statusSequence per payment.';
const ACCOUNT_KEY = 'The account the message belongs to (also in the envelope as partitionkey).';

interface Channels {
  channels: Record<string, Schema>;
  operations: Record<string, Schema>;
  messages: Record<string, Schema>;
  schemas: Record<string, Schema>;
}

function add(into: Channels, kind: 'messages' | 'schemas', name: string, value: Schema): void {
  if (into[kind][name]) throw new Error(`two ${kind} named ${name}`);
  into[kind][name] = value;
}

function channel(into: Channels, id: string, address: string, description: string): void {
  into.channels[id] = { address, description, messages: {} };
}

function addToChannel(into: Channels, id: string, name: string, who: string): void {
  const messages = into.channels[id].messages as Record<string, Schema>;
  messages[name] = { $ref: `#/components/messages/${name}` };
  into.operations[`publish${id[0].toUpperCase()}${id.slice(1)}`] = operation(
    id,
    Object.keys(messages),
    who,
  );
}

function paymentEvents(into: Channels): void {
  channel(into, 'paymentEvents', TOPICS.paymentEvents, PAYMENTS_DESCRIPTION);
  add(into, 'schemas', 'PaymentEventData', toJsonSchema(PAYMENT_EVENT_SCHEMAS.PaymentProcessing));
  const examples = paymentEventExamples();
  for (const type of PAYMENT_EVENT_TYPES) {
    const example = examples.get(type);
    if (!example) throw new Error(`no example of ${type}`);
    add(
      into,
      'messages',
      type,
      message({
        name: type,
        summary: `A payment reached the status of ${type}.`,
        key: ACCOUNT_KEY,
        example,
        payload: { type, dataRef: '#/components/schemas/PaymentEventData' },
      }),
    );
    addToChannel(into, 'paymentEvents', type, 'The gateway');
  }
}

function envelopeChannel(into: Channels, spec: EnvelopeChannel): void {
  channel(into, spec.id, spec.address, spec.description);
  for (const [type, zod] of Object.entries(spec.schemas)) {
    const name = `${spec.messagePrefix}${type}`;
    const schemaName = `${spec.schemaPrefix}${type}Data`;
    const schema = toJsonSchema(zod);
    add(into, 'schemas', schemaName, schema);
    const example = sampledEnvelope({
      type,
      zod,
      schema,
      source: spec.source,
      idPrefix: spec.idPrefix,
      keyOf: (data) => spec.keyOf(type, data),
    });
    const summary = `${spec.address}: ${type}.`;
    const dataRef = `#/components/schemas/${schemaName}`;
    add(
      into,
      'messages',
      name,
      message({ name, summary, key: spec.key, example, payload: { type, dataRef } }),
    );
    addToChannel(into, spec.id, name, spec.publishers);
  }
}

/** The dead-letter topics: one message, the DeadLetter itself (no envelope), on each. */
function deadLetters(into: Channels): void {
  const schema = toJsonSchema(deadLetterSchema);
  add(into, 'schemas', 'DeadLetter', schema);
  const letter = sampleOf(schema as JsonSchema) as Record<string, unknown>;
  const example = { key: 'acc-payer', payload: { ...letter, id: 'dead-letter:topic:0:1250' } };
  add(
    into,
    'messages',
    'DeadLetter',
    message({
      name: 'DeadLetter',
      summary: 'A message a consumer could not use, kept whole (base64) with the reason.',
      key: "The original message's key, or `partition-<n>` when it had none.",
      example,
      payload: { schema: { $ref: '#/components/schemas/DeadLetter' } },
    }),
  );
  for (const spec of DEAD_LETTER_CHANNELS) {
    const description =
      `Dead letters for a person to look at: ${spec.what}. Header ce-type: DeadLetter; the id ` +
      '`dead-letter:<topic>:<partition>:<offset>` makes the same message dead-lettered twice one.';
    channel(into, spec.id, spec.address, description);
    addToChannel(into, spec.id, 'DeadLetter', spec.publishers);
  }
}

export function buildAsyncApiDocument(): Schema {
  const into: Channels = { channels: {}, operations: {}, messages: {}, schemas: {} };
  add(into, 'schemas', 'CloudEventsEnvelope', {
    ...toJsonSchema(envelopeSchema),
    description:
      'CloudEvents 1.0 in JSON; partitionkey is the Kafka key; traceparent (CloudEvents ' +
      'distributed tracing extension, also the Kafka header) is the W3C trace context.',
  });
  paymentEvents(into);
  for (const spec of ENVELOPE_CHANNELS) envelopeChannel(into, spec);
  deadLetters(into);
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Real-time payments platform: the topics',
      version: '1.0.0',
      description:
        'Every topic of the platform. Every message except dead letters is a CloudEvents 1.0 ' +
        'envelope in JSON, with the headers ce-id, ce-type and (when traced) traceparent; ' +
        'amounts are integer minor units as strings. Generated from libs/contracts by ' +
        '`npm run asyncapi`; do not edit by hand.',
    },
    defaultContentType: 'application/json',
    channels: into.channels,
    operations: into.operations,
    components: { schemas: into.schemas, messages: into.messages },
  };
}

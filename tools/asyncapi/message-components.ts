import { z } from 'zod';
import { createEnvelope } from '@rtp/contracts';
import { MessageExample } from './payment-event-examples';
import { JsonSchema, sampleOf } from './schema-samples';

/** The pieces every channel's messages are made of: JSON Schemas, the key binding, envelopes. */
export type Schema = Record<string, unknown>;

/** A zod schema as JSON Schema draft-07 (AsyncAPI's default schema format is a superset). */
export const toJsonSchema = (schema: z.ZodType): Schema => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-7',
    io: 'input',
  }) as Schema;
  return rest;
};

const BINDING_VERSION = '0.5.0';

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

export interface MessageSpec {
  /** The component's name (unique in the document). */
  name: string;
  summary: string;
  /** The Kafka key, as the channel's contract states it. */
  key: string;
  example: MessageExample;
  /** The payload schema: an envelope of `type` around `dataRef`, or a schema of its own. */
  payload: { type: string; dataRef: string } | { schema: Schema };
}

export function message(spec: MessageSpec): Schema {
  const payload =
    'schema' in spec.payload
      ? spec.payload.schema
      : envelopeFor(spec.payload.type, spec.payload.dataRef);
  const title = 'schema' in spec.payload ? spec.name : spec.payload.type;
  return {
    name: spec.name,
    title,
    summary: spec.summary,
    contentType: 'application/json',
    bindings: {
      kafka: {
        key: { type: 'string', description: spec.key },
        bindingVersion: BINDING_VERSION,
      },
    },
    payload,
    examples: [
      {
        name: `${spec.name}Example`,
        summary: `key: ${spec.example.key}`,
        payload: spec.example.payload,
      },
    ],
  };
}

/**
 * An example envelope of `type`: its data sampled from the JSON Schema and checked by the zod
 * schema it was generated from, so an example that breaks its contract fails the generation.
 */
export function sampledEnvelope(options: {
  type: string;
  zod: z.ZodType;
  schema: Schema;
  source: string;
  /** The example's message id is `<idPrefix>-<type>`. */
  idPrefix: string;
  keyOf: (data: Record<string, unknown>) => string;
}): MessageExample {
  const { type, zod, schema, source, idPrefix, keyOf } = options;
  const data = sampleOf(schema as JsonSchema) as Record<string, unknown>;
  const parsed = zod.safeParse(data);
  if (!parsed.success) throw new Error(`the example of ${type} breaks it: ${parsed.error.message}`);
  const key = keyOf(data);
  const envelope = createEnvelope({
    id: `${idPrefix}-${type}`,
    type,
    source,
    time: new Date(Date.UTC(2026, 11, 1, 12)),
    partitionKey: key,
    correlationId: String(data.paymentId ?? data.depositId ?? data.statementId ?? key),
    causationId: source === 'ledger' ? `command-${type}` : null,
    data,
  });
  return { key, payload: envelope as unknown as Record<string, unknown> };
}

/** A channel's `send` operation: who publishes its messages. */
export function operation(channel: string, names: string[], who: string): Schema {
  return {
    action: 'send',
    summary: `${who} publishes these.`,
    channel: { $ref: `#/channels/${channel}` },
    messages: names.map((name) => ({ $ref: `#/channels/${channel}/messages/${name}` })),
  };
}

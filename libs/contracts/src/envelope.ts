import { z } from 'zod';

/**
 * The message envelope, in the CloudEvents 1.0 shape. Extension attributes are lower-case as the
 * specification requires: `partitionkey` is the Kafka key (an account ID), `correlationid` ties every
 * message of one payment together and `causationid` names the message that caused this one.
 * `traceparent` is CloudEvents' Distributed Tracing extension (W3C trace context): stored with the
 * message, so an outbox row published after a crash keeps the trace of the request that caused it.
 */
/** A W3C traceparent is 55 characters in version 00; later versions may append fields. */
const TRACEPARENT_LENGTH_MAX = 512;

export const envelopeSchema = z.object({
  specversion: z.literal('1.0'),
  id: z.string().min(1).max(200),
  type: z.string().min(1).max(100),
  dataversion: z.number().int().positive(),
  source: z.string().min(1).max(100),
  time: z.string().datetime({ offset: true }),
  partitionkey: z.string().min(1).max(200),
  correlationid: z.string().min(1).max(200),
  causationid: z.string().min(1).max(200).nullable(),
  datacontenttype: z.literal('application/json'),
  /** Lenient on purpose: a malformed trace context is ignored by the reader, never a poison message. */
  traceparent: z.string().max(TRACEPARENT_LENGTH_MAX).optional().catch(undefined),
  data: z.unknown(),
});

export type Envelope<TData = unknown> = Omit<z.infer<typeof envelopeSchema>, 'data'> & {
  data: TData;
};

export interface EnvelopeInput<TData> {
  id: string;
  type: string;
  source: string;
  time: Date;
  partitionKey: string;
  correlationId: string;
  causationId: string | null;
  /** The W3C trace context the message continues; left out of the envelope when absent. */
  traceparent?: string | null;
  data: TData;
}

export function createEnvelope<TData>(input: EnvelopeInput<TData>): Envelope<TData> {
  return {
    specversion: '1.0',
    id: input.id,
    type: input.type,
    dataversion: 1,
    source: input.source,
    time: input.time.toISOString(),
    partitionkey: input.partitionKey,
    correlationid: input.correlationId,
    causationid: input.causationId,
    datacontenttype: 'application/json',
    ...(input.traceparent ? { traceparent: input.traceparent } : {}),
    data: input.data,
  };
}

export function encodeEnvelope(envelope: Envelope): Buffer {
  return Buffer.from(JSON.stringify(envelope), 'utf8');
}

/**
 * The envelope's JSON around data serialised already (`dataJson`, say the canonical JSON a hash
 * chain needed), so that the data is not serialised a second time.
 */
export function envelopeJsonWithData(
  input: Omit<EnvelopeInput<never>, 'data'>,
  dataJson: string,
): string {
  const { data: _data, ...attributes } = createEnvelope({ ...input, data: null });
  return `${JSON.stringify(attributes).slice(0, -1)},"data":${dataJson}}`;
}

export type DecodeResult = { ok: true; envelope: Envelope } | { ok: false; reason: string };

/** Parses bytes from a topic; never throws, so a poison message becomes a dead letter, not a crash. */
export function decodeEnvelope(value: Buffer | null): DecodeResult {
  if (value === null) return { ok: false, reason: 'empty message value' };
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch {
    return { ok: false, reason: 'message value is not JSON' };
  }
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `invalid envelope: ${parsed.error.message}` };
  return { ok: true, envelope: parsed.data as Envelope };
}

import Ajv from 'ajv';

/**
 * The message schemas of docs/asyncapi.yaml, to check a message (an example, or one read from a
 * topic) against the document rather than against the zod schemas it was generated from. JSON
 * Schema draft-07, the dialect the generator writes, with Ajv; `#/components/...` references are
 * resolved within the document.
 */
type Json = Record<string, unknown>;
interface Document {
  channels: Record<string, { address: string; messages: Record<string, { $ref: string }> }>;
  components: { messages: Record<string, { payload: Json; examples?: { payload: Json }[] }> };
}

export class AsyncApiMessages {
  private readonly ajv = new Ajv({ allErrors: true, schemaId: 'auto' });
  private readonly byChannel = new Map<string, Map<string, string>>();

  constructor(private readonly document: Document) {
    // The document as one schema, so that its references resolve; each payload by its pointer.
    this.ajv.addSchema({ ...document, $id: 'asyncapi' } as object);
    for (const channel of Object.values(document.channels)) {
      const types = new Map<string, string>();
      for (const { $ref } of Object.values(channel.messages)) {
        const name = $ref.split('/').pop()!;
        const type = this.typeOf(name);
        types.set(type, `asyncapi${$ref}/payload`);
      }
      this.byChannel.set(channel.address, types);
    }
  }

  /**
   * The envelope type a message component carries (its payload's `type` constant); a message that
   * is no envelope (a dead letter) by its name, which is its `ce-type` header.
   */
  private typeOf(name: string): string {
    const payload = this.document.components.messages[name].payload as {
      allOf?: { properties?: { type?: { const?: string } } }[];
    };
    if (!payload.allOf) return name;
    const type = payload.allOf.find((part) => part.properties?.type?.const)?.properties?.type
      ?.const;
    if (!type) throw new Error(`message ${name} names no type`);
    return type;
  }

  /** Null when the message fits its type's schema on this channel; otherwise what is wrong. */
  problems(address: string, message: Json): string | null {
    const types = this.byChannel.get(address);
    // A message without an envelope (no specversion) is the channel's only message, if it has one.
    const only = types?.size === 1 && !('specversion' in message) ? [...types.values()][0] : null;
    const pointer = only ?? types?.get(String(message.type));
    if (!pointer) return `no message ${String(message.type)} on ${address}`;
    const valid = this.ajv.validate({ $ref: pointer }, message);
    return valid ? null : this.ajv.errorsText(this.ajv.errors, { separator: '; ' });
  }

  /** Every example of the document, with the channel that carries it. */
  examples(): { channel: string; payload: Json }[] {
    return Object.values(this.document.channels).flatMap((channel) =>
      Object.values(channel.messages).flatMap(({ $ref }) => {
        const name = $ref.split('/').pop()!;
        const examples = this.document.components.messages[name].examples ?? [];
        return examples.map(({ payload }) => ({ channel: channel.address, payload }));
      }),
    );
  }
}

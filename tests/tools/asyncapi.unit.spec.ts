import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ALL_TOPICS } from '@rtp/contracts';
import { renderAsyncApi, ASYNCAPI_PATH } from '../../tools/asyncapi/render-asyncapi';
import { AsyncApiMessages } from '../support/asyncapi-messages';

// @asyncapi/parser is CommonJS; its types are not needed beyond what is used here.
const { Parser } = require('@asyncapi/parser') as {
  Parser: new () => {
    parse(source: string): Promise<{
      document?: unknown;
      diagnostics: { severity: number; message: string; path: (string | number)[] }[];
    }>;
  };
};

const committed = readFileSync(join(__dirname, '..', '..', ASYNCAPI_PATH), 'utf8');

describe('docs/asyncapi.yaml', () => {
  it('is what `npm run asyncapi` writes from the contracts (run it after changing them)', () => {
    expect(committed).toBe(renderAsyncApi());
  });

  it('has a channel for every topic, each with its key and at least one message', () => {
    const document = parse(committed) as {
      channels: Record<string, { address: string; messages: Record<string, { $ref: string }> }>;
      components: { messages: Record<string, { bindings: { kafka: { key: unknown } } }> };
    };
    const addresses = Object.values(document.channels).map((channel) => channel.address);
    expect([...addresses].sort()).toEqual([...ALL_TOPICS].sort());
    for (const channel of Object.values(document.channels)) {
      const names = Object.values(channel.messages).map(({ $ref }) => $ref.split('/').pop()!);
      expect({ [channel.address]: names.length > 0 }).toEqual({ [channel.address]: true });
      for (const name of names)
        expect(document.components.messages[name].bindings.kafka.key).toBeDefined();
    }
  });

  it('is a valid AsyncAPI 3 document', async () => {
    const { document, diagnostics } = await new Parser().parse(committed);
    // Severity 0 is an error (the parser does not check examples: the schemas' tests below do).
    const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 0);
    expect(errors.map((error) => `${error.path.join('.')}: ${error.message}`)).toEqual([]);
    expect(document).toBeDefined();
  });

  describe('its schemas', () => {
    const messages = new AsyncApiMessages(parse(committed));

    it('accept every example, on the channel that carries its type', () => {
      const checked = messages
        .examples()
        .map(({ channel, payload }) => [payload.type, messages.problems(channel, payload)]);
      expect(checked.length).toBeGreaterThan(20);
      expect(checked.filter(([, problems]) => problems !== null)).toEqual([]);
    });

    it('refuse a payments.events.v1 message with an amount that is not minor units', () => {
      const [example] = messages
        .examples()
        .filter((e) => e.channel === 'payments.events.v1' && e.payload.type === 'PaymentCompleted');
      const data = example.payload.data as { payment: Record<string, unknown> };
      const broken = {
        ...example.payload,
        data: { ...data, payment: { ...data.payment, amount: '12.50' } },
      };
      expect(messages.problems('payments.events.v1', broken)).toMatch(/amount/);
    });

    it('refuse a dead letter without its reason', () => {
      const [example] = messages.examples().filter((e) => e.channel === 'ledger.commands.dlq.v1');
      const { reason: _reason, ...broken } = example.payload;
      expect(messages.problems('ledger.commands.dlq.v1', broken)).toMatch(/reason/);
    });

    it('refuse a ledger command whose data breaks its schema', () => {
      const [example] = messages
        .examples()
        .filter((e) => e.channel === 'ledger.commands.v1' && e.payload.type === 'TransferFunds');
      const data = example.payload.data as Record<string, unknown>;
      const broken = { ...example.payload, data: { ...data, amountMinor: '-5' } };
      expect(messages.problems('ledger.commands.v1', broken)).toMatch(/amountMinor|pattern/);
    });

    it('refuse a message of a type the channel does not carry', () => {
      const [example] = messages.examples().filter((e) => e.channel === 'payments.events.v1');
      expect(
        messages.problems('payments.events.v1', { ...example.payload, type: 'Other' }),
      ).toMatch(/no message Other/);
    });
  });
});

import { randomBytes, randomUUID } from 'node:crypto';
import { Consumer, Kafka, Producer } from 'kafkajs';
import {
  TOPICS,
  createEnvelope,
  encodeEnvelope,
  parsePartnerStatementMessage,
  reconciliationKey,
} from '@rtp/contracts';
import { createIdempotentProducer, createKafka } from '@rtp/shared/kafka';
import { camtFixture, csvFixture, parseStatementFile } from '@rtp/shared/statements';
import { services } from '../../tools/service-processes';
import { PartnerAdapterFixture } from '../support/partner-adapter';
import { Platform, requireEnv } from '../support/platform';
import {
  CLOSED_ACCOUNT_IBAN,
  SETTLEMENT_IBAN,
  SandboxBank,
  transferRequest,
} from '../support/sandbox-bank';

// Statements end to end: the sandbox bank's statement (a rejected transfer as a debit and its
// reversal, camt.053.001.08 and .02, CSV) fetched by the partner adapter on FetchStatement and
// published whole on partner.statements.v1; an admin's upload through the gateway.
jest.setTimeout(240_000);

interface Published {
  id: string;
  key: string;
  type: string;
  correlationId: string;
  data: Record<string, any>;
}

const today = () => new Date().toISOString().slice(0, 10);

describe('statement ingestion', () => {
  const run = randomBytes(4).toString('hex');
  const bank = new SandboxBank();
  const adapter = new PartnerAdapterFixture();
  const platform = new Platform();
  const kafka: Kafka = createKafka({
    brokers: requireEnv('KAFKA_BROKERS').split(','),
    clientId: `statements-test-${run}`,
    connectionTimeoutMs: 5_000,
    requestTimeoutMs: 30_000,
  });
  const published: Published[] = [];
  let consumer: Consumer;
  let producer: Producer;

  async function waitFor<T>(what: string, find: () => T | undefined, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  beforeAll(async () => {
    adapter.port = await services.freePort();
    await bank.start({ SANDBOX_BANK_WEBHOOK_URL: `${adapter.url}/webhooks/bank` });
    adapter.webhookSecret = bank.webhookSecret;
    await adapter.start({
      PARTNER_BANK_URL: bank.url,
      PARTNER_BANK_API_KEY: bank.apiKey,
      PARTNER_STATEMENT_SCHEDULE: 'off',
    });
    await platform.start('gateway');
    producer = createIdempotentProducer(kafka);
    await producer.connect();
    consumer = kafka.consumer({ groupId: `statements-test-${run}` });
    await consumer.connect();
    await consumer.subscribe({ topics: [TOPICS.partnerStatements], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const envelope = JSON.parse(message.value!.toString('utf8'));
        published.push({
          id: envelope.id,
          key: message.key!.toString('utf8'),
          type: envelope.type,
          correlationId: envelope.correlationid,
          data: envelope.data,
        });
      },
    });
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
    await platform.stopAll();
    await adapter.stop();
    await bank.stop();
  });

  /** The statement's messages as published: its header and all its chunks' entries. */
  async function statementOf(statementId: string) {
    const header = await waitFor(`StatementReceived ${statementId}`, () =>
      published.find((m) => m.type === 'StatementReceived' && m.data.statementId === statementId),
    );
    const chunks = await waitFor(`the chunks of ${statementId}`, () => {
      const found = published.filter(
        (m) => m.type === 'StatementEntriesReported' && m.data.statementId === statementId,
      );
      return found.length >= header.data.chunkCount ? found : undefined;
    });
    for (const message of [header, ...chunks]) {
      expect(parsePartnerStatementMessage(message.type, message.data)).not.toBeNull();
    }
    return { header, entries: chunks.flatMap((chunk) => chunk.data.entries) };
  }

  it('shows a rejected transfer as a debit and its reversal, in every format alike', async () => {
    const endToEndId = `E2E-REJ-${run}`;
    const created = await bank.postTransfer(
      transferRequest({ endToEndId, creditor: { iban: CLOSED_ACCOUNT_IBAN, name: 'Closed' } }),
      randomUUID(),
    );
    expect(created.status).toBe(201);
    await bank.waitForTransfer(created.body.id, (body) => body.status === 'rejected');
    const formats = [
      ['application/xml', '', 'camt.053.001.08'],
      ['application/xml', '?format=camt.053.001.02', 'camt.053.001.02'],
      ['text/csv', '', 'csv'],
    ] as const;
    const parsed = [];
    for (const [accept, query, format] of formats) {
      const answer = await bank.request('GET', `/v1/statements/${today()}${query}`, {
        headers: { accept },
      });
      expect(answer.status).toBe(200);
      const result = await parseStatementFile(answer.text, accept === 'text/csv' ? 'csv' : 'xml');
      if (!result.ok) throw new Error(`${format} refused: ${JSON.stringify(result.problem)}`);
      expect(result.file.format).toBe(format);
      parsed.push(result.file.statements.find((s) => s.currency === 'EUR')!);
    }
    const mine = parsed.map((statement) =>
      statement.entries
        .filter((entry) => entry.transactions[0].endToEndId === endToEndId)
        .map((entry) => [
          entry.creditDebit,
          entry.amountMinor,
          entry.reversal,
          entry.transactions[0].reasonCode,
        ]),
    );
    expect(mine[0]).toEqual([
      ['DBIT', '1250', false, null],
      ['CRDT', '1250', true, 'AC04'],
    ]);
    expect(mine[1]).toEqual(mine[0]);
    expect(mine[2]).toEqual(mine[0]);
  });

  it('publishes the fetched statement whole on FetchStatement, once per request', async () => {
    const requestId = `fetch-${run}`;
    const command = (id: string) =>
      encodeEnvelope(
        createEnvelope({
          id,
          type: 'FetchStatement',
          source: 'gateway',
          time: new Date(),
          partitionKey: reconciliationKey('sandbox'),
          correlationId: requestId,
          causationId: null,
          data: { requestId, partnerId: 'sandbox', date: today(), requestedBy: 'test' },
        }),
      );
    const send = (id: string) =>
      producer.send({
        topic: TOPICS.reconciliationCommands,
        messages: [{ key: reconciliationKey('sandbox'), value: command(id) }],
      });
    await send(`cmd-${run}-1`);
    const header = await waitFor('the fetched statement', () =>
      published.find((m) => m.type === 'StatementReceived' && m.correlationId === requestId),
    );
    expect(header.key).toBe(`statement:sandbox:${SETTLEMENT_IBAN}`);
    expect(header.data).toMatchObject({ source: 'fetched', format: 'camt.053.001.08' });
    const { entries } = await statementOf(header.data.statementId);
    expect(entries).toHaveLength(header.data.entryCount);
    const reversal = entries.find((entry) => entry.reversal);
    expect(reversal?.transactions[0].reasonCode).toBe('AC04');

    await send(`cmd-${run}-2`);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const fetches = await adapter.query(
      'SELECT outcome FROM partner_adapter.statement_fetches WHERE request_id = $1',
      [requestId],
    );
    expect(fetches).toEqual([{ outcome: 'published' }]);
    expect(
      published.filter((m) => m.type === 'StatementReceived' && m.correlationId === requestId),
    ).toHaveLength(1);
  });

  async function upload(body: string, contentType: string, partnerId = `upl-${run}`) {
    const response = await fetch(
      `${platform.gatewayUrl()}/v1/admin/statements?partnerId=${partnerId}`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${platform.adminApiKey}`, 'content-type': contentType },
        body,
      },
    );
    return { status: response.status, body: (await response.json()) as any, response };
  }

  it('ingests an uploaded statement once, answering the same ids for the same file', async () => {
    const xml = camtFixture().replace('MSG-1', `MSG-${run}`);
    const first = await upload(xml, 'application/xml');
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ statementIds: [expect.any(String)], entryCount: 3 });
    const again = await upload(xml, 'application/xml');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const { header, entries } = await statementOf(first.body.statementIds[0]);
    expect(header.data).toMatchObject({ source: 'uploaded', receivedBy: 'admin' });
    expect(entries.map((entry) => entry.entryReference)).toEqual(['ent_1', 'ent_2', 'ent_3']);
    const csv = await upload(csvFixture(), 'text/csv; charset=utf-8');
    expect(csv.status).toBe(201);
    expect(csv.body.entryCount).toBe(3);
  });

  it('refuses a malformed upload whole with a problem naming the element', async () => {
    const malformed = camtFixture({
      entries: [
        { ref: 'same', amount: '50.00', creditDebit: 'CRDT' },
        { ref: 'same', amount: '50.00', creditDebit: 'CRDT' },
      ],
    });
    const answer = await upload(malformed, 'application/xml', `bad-${run}`);
    expect(answer.status).toBe(422);
    expect(answer.response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(answer.body).toMatchObject({
      code: 'statement_malformed',
      kind: 'duplicate_entry',
      location: 'Stmt[1]/Ntry[2]',
    });
    const noAmount = camtFixture({
      entries: [{ ref: 'e', amount: '1.00', amountXml: '' }],
      closing: '1000.00',
    });
    const schema = await upload(noAmount, 'text/xml', `bad-${run}`);
    expect(schema.status).toBe(422);
    expect(schema.body.location).toMatch(/^line \d+$/);
    expect((await upload('{}', 'application/json', `bad-${run}`)).status).toBe(415);
    const rows = await adapter.query(
      'SELECT count(*)::int AS n FROM gateway.statement_uploads WHERE partner_id = $1',
      [`bad-${run}`],
    );
    expect(rows).toEqual([{ n: 0 }]);
  });
});

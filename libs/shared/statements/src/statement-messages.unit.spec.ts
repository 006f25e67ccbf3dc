import { STATEMENT_CHUNK_ENTRIES, parsePartnerStatementMessage } from '@rtp/contracts';
import { parseStatementFile } from './parse-statement-file';
import { FIXTURE_IBAN, camtFixture } from './statement-fixtures';
import { statementMessages } from './statement-messages';
import type { StatementParseResult } from './statement-file';

const fileOf = (result: StatementParseResult) => {
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.problem)}`);
  return result.file;
};

describe('the messages of a statement', () => {
  const origin = {
    partnerId: 'sandbox',
    source: 'fetched' as const,
    receivedBy: 'partner-adapter',
    at: new Date('2026-12-02T00:15:00Z'),
  };

  it('are a header and chunks of at most 500 entries, each valid, ids from the file digest', async () => {
    const entries = Array.from({ length: 1001 }, (_v, i) => ({
      ref: `e${i}`,
      amount: '1.00',
      creditDebit: 'CRDT' as const,
    }));
    const xml = camtFixture({ entries, closing: '2001.00' });
    const file = fileOf(await parseStatementFile(xml, 'xml'));
    const built = statementMessages(file, xml, origin);
    expect(built.entryCount).toBe(1001);
    expect(built.statementIds).toEqual([
      expect.stringMatching(
        new RegExp(`^stmt:sandbox:${FIXTURE_IBAN}:EUR:2026-12-01:[0-9a-f]{16}$`),
      ),
    ]);
    expect(built.messages.map((m) => m.message.type)).toEqual([
      'StatementReceived',
      'StatementEntriesReported',
      'StatementEntriesReported',
      'StatementEntriesReported',
    ]);
    expect(built.messages[0].message.data).toMatchObject({
      entryCount: 1001,
      chunkCount: 3,
      openingMinor: '100000',
      closingMinor: '200100',
    });
    for (const { message, key } of built.messages) {
      expect(parsePartnerStatementMessage(message.type, message.data)).not.toBeNull();
      expect(key).toBe(`statement:sandbox:${FIXTURE_IBAN}`);
    }
    const sizes = built.messages
      .slice(1)
      .map((m) => (m.message.data as { entries: unknown[] }).entries.length);
    expect(sizes).toEqual([STATEMENT_CHUNK_ENTRIES, STATEMENT_CHUNK_ENTRIES, 1]);
    expect(statementMessages(file, xml, origin)).toEqual(built);
    const other = camtFixture({ entries, closing: '2001.00' }).replace('MSG-1', 'MSG-2');
    expect(statementMessages(file, other, origin).statementIds).not.toEqual(built.statementIds);
  });
});

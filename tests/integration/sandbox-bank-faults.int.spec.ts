import { randomUUID } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { parse } from 'csv-parse/sync';
import { SETTLEMENT_IBAN, SandboxBank, transferRequest } from '../support/sandbox-bank';

jest.setTimeout(120_000);

const today = () => new Date().toISOString().slice(0, 10);
const xmlParser = new XMLParser({
  ignoreAttributes: false,
  parseTagValue: false,
  isArray: (name) => ['Stmt', 'Ntry', 'Bal'].includes(name),
});

describe('the sandbox bank over HTTP: faults and statements', () => {
  const bank = new SandboxBank();

  beforeAll(() => bank.start({ SANDBOX_BANK_BOOKING_DELAY_MS: '50' }));
  afterAll(() => bank.stop());
  afterEach(() => bank.setFaults({}));

  it('applies a transfer, then drops the connection without answering', async () => {
    await bank.setFaults({ dropAfterApplyRate: 1 });
    const body = transferRequest();
    await expect(bank.postTransfer(body)).rejects.toThrow();
    await bank.setFaults({});
    const found = await bank.request('GET', `/v1/transfers?endToEndId=${body.endToEndId}`);
    expect(found.status).toBe(200);
    expect(found.body.data).toHaveLength(1);
    expect(found.body.data[0].amountMinor).toBe(body.amountMinor);
  });

  it('answers 503 without applying at an error rate of 1', async () => {
    await bank.setFaults({ errorRate: 1 });
    const body = transferRequest();
    const answer = await bank.postTransfer(body);
    expect(answer.status).toBe(503);
    expect(answer.body.code).toBe('injected_unavailable');
    await bank.setFaults({});
    const found = await bank.request('GET', `/v1/transfers?endToEndId=${body.endToEndId}`);
    expect(found.body.data).toEqual([]);
  });

  it('hangs without applying: the caller times out', async () => {
    await bank.setFaults({ hangRate: 1, hangMs: 5_000 });
    const body = transferRequest();
    const started = Date.now();
    const call = fetch(`${bank.url}/v1/transfers`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${bank.apiKey}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(500),
    });
    await expect(call).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2_000);
    await bank.setFaults({});
    const found = await bank.request('GET', `/v1/transfers?endToEndId=${body.endToEndId}`);
    expect(found.body.data).toEqual([]);
  });

  it('delays answers by the latency setting', async () => {
    await bank.setFaults({ latencyMs: { min: 300, median: 300, p99: 300 } });
    const started = Date.now();
    await bank.request('GET', `/v1/transfers?endToEndId=E2E-latency`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('never disturbs /admin or /health', async () => {
    await bank.setFaults({ errorRate: 1 });
    expect((await fetch(`${bank.url}/health/ready`)).status).toBe(200);
    expect((await bank.request('GET', '/admin/faults', { admin: true })).body.errorRate).toBe(1);
  });

  it('counts the injected faults and the transfers by status on /metrics', async () => {
    const metrics = await (await fetch(`${bank.url}/metrics`)).text();
    expect(metrics).toMatch(/sandbox_bank_faults_injected_total\{kind="drop_after_apply"[^}]*\} 1/);
    expect(metrics).toMatch(/sandbox_bank_faults_injected_total\{kind="error"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/sandbox_bank_transfers_total\{status="accepted"[^}]*\} [1-9]/);
  });

  it('refuses fault settings out of range with 422', async () => {
    const answer = await bank.setFaults({ errorRate: 2 });
    expect(answer.status).toBe(422);
    expect(answer.body.code).toBe('invalid_request');
  });

  describe('the day statement', () => {
    const booked: { id: string; endToEndId: string }[] = [];

    beforeAll(async () => {
      for (const amountMinor of ['1001', '2002']) {
        const body = transferRequest({ amountMinor });
        const created = await bank.postTransfer(body);
        await bank.waitForTransfer(created.body.id, (t) => t.status === 'booked');
        booked.push({ id: created.body.id, endToEndId: body.endToEndId });
      }
    });

    const statement = (accept: string) =>
      bank.request('GET', `/v1/statements/${today()}`, { headers: { accept } });

    it('lists the booked transfers in camt.053 XML, amounts in decimals', async () => {
      const answer = await statement('application/xml');
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/application\/xml/);
      const [eur] = xmlParser.parse(answer.text).Document.BkToCstmrStmt.Stmt;
      expect(eur.Acct.Id.IBAN).toBe(SETTLEMENT_IBAN);
      const entries = new Map<string, any>(
        eur.Ntry.map((n: any) => [n.NtryDtls.TxDtls.Refs.EndToEndId, n]),
      );
      expect(entries.get(booked[0].endToEndId)).toMatchObject({
        Amt: { '#text': '10.01', '@_Ccy': 'EUR' },
        CdtDbtInd: 'DBIT',
        Sts: { Cd: 'BOOK' },
        BookgDt: { Dt: today() },
      });
      expect(entries.get(booked[1].endToEndId).Amt['#text']).toBe('20.02');
    });

    it('lists them in CSV with the documented header', async () => {
      const answer = await statement('text/csv');
      expect(answer.headers.get('content-type')).toMatch(/text\/csv/);
      const rows: Record<string, string>[] = parse(answer.text, { columns: true });
      const ours = rows.filter((row) => booked.some((b) => b.endToEndId === row.endToEndId));
      expect(ours.map((row) => [row.transactionId, row.amountMinor, row.amount])).toEqual([
        [booked[0].id, '1001', '10.01'],
        [booked[1].id, '2002', '20.02'],
      ]);
    });

    it('shows the configured defects: missing entries and an entry we never sent', async () => {
      await bank.setFaults({ statements: { missingEntryRate: 1, unknownEntries: 1 } });
      const rows: Record<string, string>[] = parse((await statement('text/csv')).text, {
        columns: true,
      });
      expect(rows.filter((row) => booked.some((b) => b.endToEndId === row.endToEndId))).toEqual([]);
      expect(rows).toHaveLength(1);
      expect(rows[0].endToEndId).toMatch(/^PHANTOM-/);
    });

    it('takes a fee off every amount when configured', async () => {
      await bank.setFaults({ statements: { feeRate: 1, feeMinor: 1 } });
      const rows: Record<string, string>[] = parse((await statement('text/csv')).text, {
        columns: true,
      });
      const ours = rows.filter((row) => booked.some((b) => b.endToEndId === row.endToEndId));
      expect(ours.map((row) => row.amountMinor)).toEqual(['1000', '2001']);
    });

    it('refuses a date that is not a calendar date with 400', async () => {
      const answer = await bank.request('GET', '/v1/statements/2026-02-30');
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('invalid_date');
    });
  });
});

import { STATEMENT_CSV_HEADER } from '@rtp/shared/statements';
import { useReconciliationFlow, today } from '../support/reconciliation-flow';
import { driveBrowser, reviewScreenshot } from '../support/review-browser';
import { CREDITOR_IBAN } from '../support/sandbox-bank';

// The review page on the real services: the exception comes from a statement an admin uploads
// (two entries we never sent), the real reconciler opens it, operator A proposes accept_bank in
// the page, operator B approves it in the page, and the ledger books the correcting journal.
// RTP_REVIEW_SCREENSHOT=docs/review-page.png refreshes the README's screenshot from this run.
jest.setTimeout(300_000);

const NOTE = 'Bank fee debited without an instruction from us: booked as the bank shows it';

/** The sandbox bank's CSV of one day, with a running balance after each row. */
function statementCsv(iban: string, reference: string): string {
  const date = today();
  const row = (suffix: string, kind: string, sign: string, amount: string, after: string) => {
    const minor = amount.replace('.', '');
    const ref = `${reference}-${suffix}`;
    return [
      `STMT-${date}-EUR`,
      iban,
      date,
      date,
      ref,
      `trf_${ref}`,
      `E2E-${ref}`,
      kind,
      sign,
      amount,
      minor,
      'EUR',
      CREDITOR_IBAN,
      'Ada Lovelace',
      'not ours',
      '',
      date,
      after,
    ].join(',');
  };
  return [
    STATEMENT_CSV_HEADER.join(','),
    row('d', 'transfer_booked', 'DBIT', '12.50', '98750'),
    row('c', 'credit_booked', 'CRDT', '40.00', '102750'),
    '',
  ].join('\n');
}

describe('the review page in a real browser, on the real reconciler and ledger', () => {
  const flow = useReconciliationFlow();

  async function upload(csv: string): Promise<string[]> {
    const response = await fetch(
      `${flow.platform.gatewayUrl()}/v1/admin/statements?partnerId=${flow.partnerId}`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${flow.platform.adminApiKey}`,
          'content-type': 'text/csv',
        },
        body: csv,
      },
    );
    const body = (await response.json()) as { statementIds: string[]; entryCount: number };
    expect(response.status).toBe(201);
    expect(body.entryCount).toBe(2);
    return body.statementIds;
  }

  it('books the correcting journal once a second operator approves in the page', async () => {
    const alice = await flow.operator('alice');
    const bob = await flow.operator('bob');
    const [statementId] = await upload(statementCsv(flow.settlementIban, `ent${flow.partnerId}`));
    await flow.runOf(`statement:${statementId}`);
    const queue = await flow.until('the two exceptions', async () => {
      const found = await flow.exceptions();
      return found.length === 2 ? found : null;
    });
    const exception = queue.find((each) => each.amountAtRisk === '1250')!;
    expect(exception).toMatchObject({ class: 'missing_in_ledger', status: 'open' });

    const seen = await driveBrowser({
      REVIEW_URL: flow.platform.gatewayUrl(),
      REVIEW_MAKER_KEY: alice.apiKey,
      REVIEW_CHECKER_KEY: bob.apiKey,
      REVIEW_EXCEPTION_ID: exception.id,
      REVIEW_PARTNER_ID: flow.partnerId,
      REVIEW_NOTE: NOTE,
      REVIEW_SCREENSHOT: reviewScreenshot(),
      REVIEW_QUEUE_LENGTH: '2',
    });
    const { maker, checker } = seen;
    expect(maker.whoami).toBe(`Signed in as ${alice.name}`);
    expect(maker.classes).toEqual(['missing in ledger', 'missing in ledger']);
    expect(maker.bankSide).toContain('12.50 EUR');
    expect(maker.approveButtons).toBe(0);
    expect(checker.summary).toContain('resolved');
    expect(checker.audit).toContain(`ExceptionResolutionApproved by ${bob.name}`);

    const detail = await flow.until('the resolution', async () => {
      const read = await flow.admin.get<any>(
        `/v1/admin/reconciliation/exceptions/${encodeURIComponent(exception.id)}`,
      );
      return read.body.status === 'resolved' ? read.body : null;
    });
    const [proposal] = detail.proposals;
    expect(proposal).toMatchObject({
      id: checker.proposalId,
      resolution: 'accept_bank',
      note: NOTE,
      actor: alice.name,
      decidedBy: bob.name,
    });
    const commandId = proposal.ledgerCommandId as string;
    expect(commandId).toBeTruthy();
    const [booked] = await flow.until('the correcting journal', async () => {
      const rows = await flow.rows(
        `SELECT data FROM ledger.events WHERE command_id = $1 AND type = 'PartnerDifferenceBooked'`,
        [commandId],
      );
      return rows.length > 0 ? rows : null;
    });
    expect(booked.data).toMatchObject({
      partnerId: flow.partnerId,
      currency: 'EUR',
      amountMinor: '1250',
      reasonCode: 'partner_unrecorded_debit',
    });
    const entries = await flow.rows(
      `SELECT amount_minor::text AS amount FROM ledger.entries
       WHERE journal_id IN (SELECT journal_id FROM ledger.journals WHERE command_id = $1)`,
      [commandId],
    );
    expect(entries.map((row) => row.amount).sort()).toEqual(['-1250', '1250']);
    // The other exception is still open: approving one resolves that one only.
    expect((await flow.exceptions()).map((each) => each.id)).toEqual(
      queue.filter((each) => each.id !== exception.id).map((each) => each.id),
    );
  });
});

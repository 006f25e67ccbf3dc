import { Client } from 'pg';
import { requireEnv } from '../support/platform';
import { SandboxBank, transferRequest } from '../support/sandbox-bank';

// Banks of other settlement accounts may share the sandbox bank's schema (every test suite's bank
// does): each books only its own account's transfers. Before, a bank's booking worker took every
// due transfer, so a transfer left accepted by a stopped bank was booked on the next bank's
// account, and that account's statement showed a debit its adapter had never sent.
jest.setTimeout(120_000);

const OTHER_IBAN = 'DE02120300000000202051';

describe('two sandbox banks on one schema', () => {
  const slow = new SandboxBank();
  const other = new SandboxBank();
  const db = new Client({ connectionString: requireEnv('DATABASE_URL') });

  beforeAll(() => db.connect());
  afterAll(async () => {
    await slow.stop();
    await other.stop();
    await db.end();
  });

  it("books its own account's transfers and leaves another account's alone", async () => {
    // A transfer of the default account, accepted, left by its bank before it was booked.
    await slow.start({ SANDBOX_BANK_BOOKING_DELAY_MS: '600000' });
    const left = await slow.postTransfer(transferRequest());
    expect(left.body.status).toBe('accepted');
    await slow.stop();
    await db.query(
      'UPDATE sandbox_bank.transfers SET book_after = now() - interval $$1 minute$$ WHERE transfer_id = $1',
      [left.body.id],
    );
    // Another account's bank books its own transfer in 100 ms.
    await other.start({ PARTNER_SETTLEMENT_IBAN: OTHER_IBAN });
    const own = await other.postTransfer(transferRequest({ debtorIban: OTHER_IBAN }));
    const deadline = Date.now() + 30_000;
    let status = own.body.status;
    while (status !== 'booked' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await other.request('GET', `/v1/transfers/${own.body.id}`)).body.status;
    }
    expect(status).toBe('booked');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const { rows } = await db.query(
      `SELECT t.status, (SELECT count(*)::int FROM sandbox_bank.entries e
         WHERE e.transaction_id = t.transfer_id) AS entries
       FROM sandbox_bank.transfers t WHERE t.transfer_id = $1`,
      [left.body.id],
    );
    expect(rows[0]).toEqual({ status: 'accepted', entries: 0 });
  });
});

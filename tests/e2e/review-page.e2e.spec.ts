import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeReconciler } from '../support/fake-reconciler';
import { GatewayClient } from '../support/http-client';
import { Platform } from '../support/platform';
import { driveBrowser } from '../support/review-browser';
import { newOperator } from '../support/review-operators';

jest.setTimeout(180_000);

// The README's screenshot (RTP_REVIEW_SCREENSHOT) comes from the full-stack variant,
// review-page-full-stack.e2e, where the exception comes from a real statement.
const SCREENSHOT = join(tmpdir(), 'review-page-fake.png');
const NOTE = 'The partner charged a 0.25 EUR fee';

/**
 * What stands behind the gateway in this test. The fake reconciler answers the commands as the
 * contract says; with the real reconciler and ledger running instead, `checkCorrection` is where
 * the ledger's correcting journal is checked.
 */
interface ReviewBackend {
  openException(): Promise<string>;
  checkCorrection(
    exceptionId: string,
    approval: { proposalId: string; actor: string },
  ): Promise<void>;
}

function fakeBackend(reconciler: FakeReconciler): ReviewBackend {
  return {
    async openException() {
      const ago = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
      await reconciler.openException({ class: 'missing_in_ledger', detectedAt: ago(80) });
      await reconciler.openException({ class: 'status_mismatch', detectedAt: ago(30) });
      return reconciler.openException({ detectedAt: ago(5) });
    },
    async checkCorrection(exceptionId, approval) {
      const command = await reconciler.command(
        'ApproveResolution',
        (each) => each.data.exceptionId === exceptionId,
      );
      expect(command.data).toMatchObject({
        proposalId: approval.proposalId,
        actor: approval.actor,
      });
    },
  };
}

describe('the review page in a real browser (headless chromium)', () => {
  const platform = new Platform();
  const reconciler = new FakeReconciler(true);
  const backend = fakeBackend(reconciler);
  let alice: { name: string; apiKey: string };
  let bob: { name: string; apiKey: string };

  beforeAll(async () => {
    await platform.start('gateway');
    const admin = new GatewayClient(platform.gatewayUrl(), platform.adminApiKey);
    alice = await newOperator(admin, `alice-${reconciler.run}`);
    bob = await newOperator(admin, `bob-${reconciler.run}`);
    await reconciler.start();
  });

  afterAll(async () => {
    await reconciler.stop();
    await platform.stopAll();
  });

  it('lets one operator propose accept_bank with a note and another approve it', async () => {
    const exceptionId = await backend.openException();
    const seen = await driveBrowser({
      REVIEW_URL: platform.gatewayUrl(),
      REVIEW_MAKER_KEY: alice.apiKey,
      REVIEW_CHECKER_KEY: bob.apiKey,
      REVIEW_EXCEPTION_ID: exceptionId,
      REVIEW_PARTNER_ID: reconciler.partnerId,
      REVIEW_NOTE: NOTE,
      REVIEW_SCREENSHOT: SCREENSHOT,
    });
    const { maker, checker } = seen;
    expect(maker.whoami).toBe(`Signed in as ${alice.name}`);
    // The key stays in the tab's session, never in storage that outlives it.
    expect(maker.stored).toEqual([alice.apiKey, 0]);
    // Oldest first, of this partner only (the filter).
    expect(maker.classes).toEqual(['missing in ledger', 'status mismatch', 'amount mismatch']);
    expect(maker.ledgerSide).toContain('1250.00 EUR');
    expect(maker.bankSide).toContain('1249.75 EUR');
    expect(maker.proposals).toContain(`accept_bank by ${alice.name}`);
    // The maker is offered no approval of their own proposal.
    expect(maker.approveButtons).toBe(0);
    expect(maker.proposals).toContain('waiting for another operator');
    const proposal = await reconciler.command(
      'ProposeResolution',
      (each) => each.data.exceptionId === exceptionId,
    );
    expect(proposal.data).toMatchObject({
      resolution: 'accept_bank',
      note: NOTE,
      actor: alice.name,
    });
    expect(checker.proposalId).toBe(proposal.data.actionId);
    await backend.checkCorrection(exceptionId, { proposalId: checker.proposalId, actor: bob.name });
    expect(checker.summary).toContain('resolved');
    expect(checker.audit).toContain(`ExceptionResolutionApproved by ${bob.name}`);
  });
});

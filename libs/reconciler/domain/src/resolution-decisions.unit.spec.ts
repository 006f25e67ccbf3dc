import { ExceptionState, decideReview } from './resolution-decisions';

const open: ExceptionState = {
  exceptionId: 'x1',
  status: 'open',
  acceptBank: { command: 'ReturnPayout', reasonCode: 'bank_rejected_ac04' },
  proposal: null,
};
const proposal = { proposalId: 'p1', resolution: 'accept_bank' as const, note: 'n', actor: 'ann' };
const propose = (resolution: 'accept_bank' | 'dismiss') => ({
  type: 'ProposeResolution' as const,
  data: { exceptionId: 'x1', actionId: 'p1', resolution, note: 'checked', actor: 'ann' },
});
const approve = (actor: string) => ({
  type: 'ApproveResolution' as const,
  data: { exceptionId: 'x1', actionId: 'a1', proposalId: 'p1', actor },
});

describe('decideReview (maker-checker)', () => {
  it('resolves a dismissal at once, waits for approval of accepting the bank', () => {
    expect(decideReview(open, propose('dismiss'))).toMatchObject({
      kind: 'proposed',
      requiresApproval: false,
      resolved: true,
    });
    expect(decideReview(open, propose('accept_bank'))).toMatchObject({
      kind: 'proposed',
      requiresApproval: true,
      resolved: false,
    });
  });

  it('refuses the proposer as approver and approves another admin with the effect', () => {
    const waiting = { ...open, proposal };
    expect(decideReview(waiting, approve('ann'))).toMatchObject({ code: 'same_actor' });
    expect(decideReview(waiting, approve('bob'))).toEqual({
      kind: 'approved',
      proposal,
      approver: 'bob',
      effect: open.acceptBank,
    });
  });

  it('refuses a second proposal, an approval without one, and actions on resolved ones', () => {
    expect(decideReview({ ...open, proposal }, propose('dismiss'))).toMatchObject({
      code: 'proposal_pending',
    });
    expect(decideReview(open, approve('bob'))).toMatchObject({ code: 'no_proposal' });
    expect(decideReview({ ...open, status: 'resolved' }, approve('bob'))).toMatchObject({
      code: 'not_open',
    });
    expect(decideReview(null, approve('bob'))).toMatchObject({ code: 'exception_not_found' });
    expect(decideReview({ ...open, acceptBank: null }, propose('accept_bank'))).toMatchObject({
      code: 'nothing_to_book',
    });
  });
});

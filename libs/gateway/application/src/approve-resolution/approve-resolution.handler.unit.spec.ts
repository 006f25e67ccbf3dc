import { ADMIN_CLIENT_ID, Principal, operatorClientId } from '@rtp/gateway/domain';
import { ClaimResult, IdempotencyClaim } from '../ports/idempotency';
import { OutgoingCommand } from '../ports/outgoing-command';
import {
  ExceptionForAction,
  NewReviewAction,
  ReviewActionStore,
} from '../ports/review-actions.port';
import { ProposeResolutionHandler } from '../propose-resolution/propose-resolution.handler';
import { DeclineResolutionHandler } from '../decline-resolution/decline-resolution.handler';
import { ApproveResolutionHandler } from './approve-resolution.handler';

const operator = (name: string): Principal => ({
  clientId: operatorClientId(name),
  scopes: ['admin'],
});
const bootstrap: Principal = { clientId: ADMIN_CLIENT_ID, scopes: ['admin', 'payments'] };

class MemoryStore implements ReviewActionStore {
  readonly queued: { action: NewReviewAction; command: OutgoingCommand }[] = [];
  readonly claims = new Map<string, { fingerprint: string; resourceId: string }>();
  constructor(private readonly exception: ExceptionForAction | null) {}

  async findExceptionForAction(): Promise<ExceptionForAction | null> {
    return this.exception;
  }

  async queueReviewAction(
    action: NewReviewAction,
    command: OutgoingCommand,
    claim: IdempotencyClaim | null,
  ): Promise<ClaimResult> {
    if (claim) {
      const held = this.claims.get(claim.idempotencyKey);
      if (held) return { claimed: false, inFlight: false, ...held };
      this.claims.set(claim.idempotencyKey, {
        fingerprint: claim.fingerprint,
        resourceId: action.actionId,
      });
    }
    this.queued.push({ action, command });
    return { claimed: true };
  }
}

const exception = (overrides: Partial<ExceptionForAction> = {}): ExceptionForAction => ({
  exceptionId: 'exc:1',
  partnerId: 'sandbox',
  status: 'awaiting_approval',
  proposals: [{ proposalId: 'p-1', actor: 'alice', status: 'pending' }],
  ...overrides,
});

let ids = 0;
const system = { newId: () => `action-${(ids += 1)}`, now: () => new Date('2026-12-01T10:00:00Z') };
const relay = { flush: async () => undefined };
const approveWith = (store: MemoryStore) =>
  new ApproveResolutionHandler(store, relay, system, 1000);
const request = { exceptionId: 'exc:1', proposalId: 'p-1', idempotencyKey: null };

describe('approving a proposal (maker-checker)', () => {
  it('sends ApproveResolution on the partner key, the actor being the checker', async () => {
    const store = new MemoryStore(exception());
    const result = await approveWith(store).execute(operator('bob'), request);
    expect(result.ok).toBe(true);
    expect(store.queued).toHaveLength(1);
    const { command, action } = store.queued[0];
    expect(command).toMatchObject({
      topic: 'reconciliation.commands.v1',
      key: 'reconciliation:sandbox',
      messageType: 'ApproveResolution',
    });
    expect((command.payload as { data: unknown }).data).toEqual({
      exceptionId: 'exc:1',
      actionId: action.actionId,
      proposalId: 'p-1',
      actor: 'bob',
    });
  });

  it.each([
    ['the proposal is the same operator', operator('alice'), exception(), 'same_actor'],
    ['the key is the bootstrap admin', bootstrap, exception(), 'operator_required'],
    ['the exception is unknown', operator('bob'), null, 'exception_not_found'],
    [
      'the proposal is unknown',
      operator('bob'),
      exception({ proposals: [] }),
      'proposal_not_found',
    ],
    [
      'the exception was resolved meanwhile',
      operator('bob'),
      exception({ status: 'resolved' }),
      'exception_not_open',
    ],
    [
      'the proposal is decided',
      operator('bob'),
      exception({ proposals: [{ proposalId: 'p-1', actor: 'alice', status: 'declined' }] }),
      'proposal_not_pending',
    ],
  ])('refuses when %s, and sends nothing', async (_case, principal, found, code) => {
    const store = new MemoryStore(found);
    const result = await approveWith(store).execute(principal, request);
    expect(result).toMatchObject({ ok: false, refusal: { code } });
    expect(store.queued).toEqual([]);
  });

  it('declines with the note, by another operator only', async () => {
    const store = new MemoryStore(exception());
    const decline = new DeclineResolutionHandler(store, relay, system, 1000);
    const own = await decline.execute(operator('alice'), { ...request, note: 'no' });
    expect(own).toMatchObject({ ok: false, refusal: { code: 'same_actor' } });
    const result = await decline.execute(operator('bob'), { ...request, note: 'ask the bank' });
    expect(result.ok).toBe(true);
    expect((store.queued[0].command.payload as { data: { note: string } }).data.note).toBe(
      'ask the bank',
    );
  });
});

describe('proposing a resolution', () => {
  const propose = (store: MemoryStore) => new ProposeResolutionHandler(store, relay, system, 1000);
  const body = { exceptionId: 'exc:1', resolution: 'accept_bank' as const, note: 'fee' };

  it('refuses an exception that is not open', async () => {
    const store = new MemoryStore(exception());
    const result = await propose(store).execute(operator('alice'), {
      ...body,
      idempotencyKey: null,
    });
    expect(result).toMatchObject({
      ok: false,
      refusal: { code: 'exception_not_open', status: 'awaiting_approval' },
    });
  });

  it('answers the same request with its key as a replay, another request as reused', async () => {
    const store = new MemoryStore(exception({ status: 'open', proposals: [] }));
    const first = await propose(store).execute(operator('alice'), { ...body, idempotencyKey: 'k' });
    const again = await propose(store).execute(operator('alice'), { ...body, idempotencyKey: 'k' });
    const other = await propose(store).execute(operator('alice'), {
      ...body,
      note: 'another note',
      idempotencyKey: 'k',
    });
    expect(first).toMatchObject({ ok: true, value: { replayed: false } });
    expect(again).toMatchObject({ ok: true, value: { replayed: true } });
    if (first.ok && again.ok) expect(again.value.actionId).toBe(first.value.actionId);
    expect(other).toMatchObject({ ok: false, refusal: { code: 'idempotency_key_reused' } });
    expect(store.queued).toHaveLength(1);
  });
});

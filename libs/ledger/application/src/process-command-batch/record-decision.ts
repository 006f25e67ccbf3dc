import {
  Envelope,
  canonicalJson,
  ledgerEventCarriesBalance,
  ledgerEventProblem,
} from '@rtp/contracts';
import {
  AccountState,
  DecidedEvent,
  Decision,
  InvariantViolation,
  applyAccountChange,
  applyHoldChange,
  applyJournal,
  assertAccountInvariants,
  availableMinor,
  chainLink,
} from '@rtp/ledger/domain';
import { followUpMessage } from './batch-messages';
import { Accepted } from './command-batch';
import { BatchWrite, EventRow } from './ledger-store.port';
import { PartitionCache } from './partition-cache';

/**
 * Applies a decision to its partition's in-memory accounts and adds everything it writes to the
 * batch's `write`: the journal, holds and account changes (the efficient write path), the events
 * (stamped with their stream position and balance, checked against their contract, hash-chained),
 * the follow-up commands and the processed-command row.
 */
export function recordDecision(
  decision: Decision,
  cause: Accepted,
  cache: PartitionCache,
  write: BatchWrite,
): void {
  const { envelope, command } = cause;
  if (decision.opened) cache.add(decision.opened);
  applyEffects(decision, envelope.id, cache, write);
  for (const decided of decision.events) write.events.push(eventRow(decided, envelope, cache));
  // The event rows themselves are published (no copy in the outbox): see the store's publication.
  for (const followUp of decision.followUps) {
    write.outbox.push(followUpMessage(followUp, envelope, write.recordedAt));
  }
  const outcome = [...decision.events, ...decision.followUps].map(({ type }) => type).join(',');
  write.processed.push({
    commandId: envelope.id,
    commandType: command.type,
    kafkaOffset: cause.offset,
    outcome: outcome || 'none',
  });
}

/** The journal, hold and account changes, each account checked against its invariants after. */
function applyEffects(
  decision: Decision,
  commandId: string,
  cache: PartitionCache,
  write: BatchWrite,
): void {
  const find = (id: string) => cache.get(id);
  const touched = new Set<AccountState>();
  if (decision.journal) {
    const { currency, postings } = decision.journal;
    for (const account of applyJournal(decision.journal, find)) touched.add(account);
    write.journals.push({ journalId: commandId, commandId, currency });
    for (const posting of postings)
      write.entries.push({ journalId: commandId, currency, ...posting });
  }
  for (const hold of decision.holds) {
    touched.add(applyHoldChange(hold, find));
    if (hold.kind === 'placed') write.holds.push({ ...hold });
    else write.holdOutcomes.push({ holdId: hold.holdId, outcome: hold.kind });
  }
  for (const change of decision.accountChanges) touched.add(applyAccountChange(change, find));
  for (const account of touched) {
    assertAccountInvariants(account);
    cache.markDirty(account);
  }
}

/**
 * The event as it is stored and published: its stream's next sequence and, on a money-moving
 * event, the balance after the decision (applied already). An event about an account that does not
 * exist has no stream: no sequence, no hash.
 */
function eventRow(decided: DecidedEvent, cause: Envelope, cache: PartitionCache): EventRow {
  const account = cache.get(decided.streamId);
  const eventId = `${cause.id}/${decided.type}`;
  const data: Record<string, unknown> = { ...decided.data, accountSequence: null };
  if (account) {
    account.sequence += 1;
    data.accountSequence = account.sequence;
    if (ledgerEventCarriesBalance(decided.type)) data.balance = balanceOf(account);
  }
  // Every event is checked against its contract before it is written: a mismatch is a bug, and the
  // command is refused (processing_failed) rather than a broken event stored for good.
  const problem = ledgerEventProblem(decided.type, data);
  if (problem) throw new InvariantViolation('EventMatchesContract', `${decided.type}: ${problem}`);
  // Serialised once: the hash covers exactly the bytes stored and published.
  const dataJson = canonicalJson(data);
  let hash: string | null = null;
  if (account) {
    const link = { eventId, accountId: account.accountId, sequence: account.sequence };
    hash = chainLink(account.lastHash, { ...link, type: decided.type }, dataJson);
    account.lastHash = hash;
    cache.markDirty(account);
  }
  return {
    eventId,
    accountId: decided.streamId,
    sequence: account ? account.sequence : null,
    hash,
    type: decided.type,
    commandId: cause.id,
    correlationId: cause.correlationid,
    dataJson,
    traceparent: cause.traceparent ?? null,
  };
}

function balanceOf(account: AccountState) {
  return {
    postedMinor: account.postedMinor.toString(),
    pendingMinor: account.pendingMinor.toString(),
    availableMinor: availableMinor(account).toString(),
  };
}

import type { BankTransferStatus } from '@rtp/contracts';

/** accepted -> booked | rejected; booked -> returned. Nothing else ever changes a status. */
const ALLOWED: Record<BankTransferStatus, readonly BankTransferStatus[]> = {
  accepted: ['booked', 'rejected'],
  booked: ['returned'],
  rejected: [],
  returned: [],
};

export function canChangeStatus(from: BankTransferStatus, to: BankTransferStatus): boolean {
  return ALLOWED[from].includes(to);
}

export function isFinalStatus(status: BankTransferStatus): boolean {
  return ALLOWED[status].length === 0;
}

/** A change outside the state machine is a bug of the bank itself: it stops loudly. */
export function assertStatusChange(from: BankTransferStatus, to: BankTransferStatus): void {
  if (!canChangeStatus(from, to)) {
    throw new Error(`TransferStatusMustFollowStateMachine: ${from} -> ${to}`);
  }
}

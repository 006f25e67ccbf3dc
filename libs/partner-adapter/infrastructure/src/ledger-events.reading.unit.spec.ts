import { KafkaMessage } from 'kafkajs';
import { TOPICS, createEnvelope, encodeEnvelope } from '@rtp/contracts';
import { deadLetterMessage, readLedgerEvents } from './ledger-events.reading';

const IBAN = 'GB82WEST12345698765432';
const NAME = 'Erika Mustermann';

function message(offset: number, type: string, data: Record<string, unknown>): KafkaMessage {
  const value = encodeEnvelope(
    createEnvelope({
      id: `${type}:${offset}`,
      type,
      source: 'ledger',
      time: new Date('2026-12-01T10:00:00Z'),
      partitionKey: 'acc-1',
      correlationId: 'c',
      causationId: null,
      data,
    }),
  );
  return {
    key: Buffer.from('acc-1'),
    value: Buffer.isBuffer(value) ? value : Buffer.from(value),
    offset: String(offset),
    timestamp: '0',
    attributes: 0,
    headers: {},
  } as KafkaMessage;
}

const reserved = (overrides: Record<string, unknown> = {}) => ({
  paymentId: 'pay-1',
  accountId: 'acc-1',
  amountMinor: '1500',
  currency: 'EUR',
  partnerId: 'sandbox',
  initiatedBy: 'client',
  reference: null,
  beneficiary: { iban: IBAN, name: NAME },
  endToEndId: 'e2e-pay-1',
  balance: { postedMinor: '10000', pendingMinor: '1500', availableMinor: '8500' },
  accountSequence: 2,
  ...overrides,
});

describe('readLedgerEvents', () => {
  it('takes a PayoutReserved of its partner and ignores another partner', () => {
    const read = readLedgerEvents(
      [
        message(1, 'PayoutReserved', reserved()),
        message(2, 'PayoutReserved', reserved({ paymentId: 'pay-2', partnerId: 'other' })),
      ],
      'sandbox',
    );
    expect(read.payouts.map((p) => p.data.paymentId)).toEqual(['pay-1']);
    expect(read.unusable).toEqual([]);
  });

  it.each([
    ['a PayoutReserved without its beneficiary', 'PayoutReserved', reserved({ beneficiary: null })],
    ['an AccountOpened without its currency', 'AccountOpened', { accountId: 'acc-1' }],
  ])('finds %s unusable, with a reason that names no value', (_name, type, data) => {
    const read = readLedgerEvents([message(7, type, data)], 'sandbox');
    expect(read.unusable).toHaveLength(1);
    expect(read.unusable[0].reason).toContain(`${type} unreadable`);
    expect(read.unusable[0].reason).not.toContain(IBAN);
  });

  it('finds an undecodable envelope unusable', () => {
    const broken = { ...message(3, 'PayoutReserved', reserved()), value: Buffer.from('{nope') };
    expect(readLedgerEvents([broken], 'sandbox').unusable[0].cause).toBe('undecodable');
  });

  it('ignores the types it has no use for', () => {
    const read = readLedgerEvents([message(4, 'TransferDebited', { anything: 1 })], 'sandbox');
    expect(read).toEqual({ payouts: [], ibans: [], unusable: [] });
  });
});

describe('deadLetterMessage', () => {
  it('addresses the dead letter topic with the reason, the original bytes and one id per offset', () => {
    const original = message(9, 'PayoutReserved', reserved({ beneficiary: null }));
    const [unusable] = readLedgerEvents([original], 'sandbox').unusable;
    const letter = deadLetterMessage(TOPICS.ledgerEvents, 5, unusable);
    expect(letter).toMatchObject({
      topic: TOPICS.partnerAdapterDeadLetters,
      key: 'acc-1',
      messageId: 'dead-letter:ledger.events.v1:5:9',
      messageType: 'DeadLetter',
      payload: {
        reason: unusable.reason,
        topic: TOPICS.ledgerEvents,
        partition: 5,
        offset: '9',
        value: original.value!.toString('base64'),
      },
    });
  });
});

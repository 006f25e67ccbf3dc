import { canonicalJson } from './canonical-json';
import { createEnvelope, envelopeJsonWithData } from './envelope';

describe('an envelope around data serialised already', () => {
  const attributes = {
    id: 'transfer:p-1:debit/TransferDebited',
    type: 'TransferDebited',
    source: 'ledger',
    time: new Date('2026-12-01T10:00:00.123Z'),
    partitionKey: 'acct-1',
    correlationId: 'p-1',
    causationId: 'transfer:p-1:debit',
  };
  const data = {
    paymentId: 'p-1',
    amountMinor: '100',
    balance: { postedMinor: '5', pendingMinor: '0' },
    reference: null,
    accountSequence: 3,
  };

  it('is the envelope JSON.stringify writes, the data being the bytes given', () => {
    const dataJson = canonicalJson(data);
    const json = envelopeJsonWithData(attributes, dataJson);
    expect(JSON.parse(json)).toEqual(createEnvelope({ ...attributes, data }));
    expect(json.endsWith(`,"data":${dataJson}}`)).toBe(true);
  });
});

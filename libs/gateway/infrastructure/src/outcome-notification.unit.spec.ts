import { parseOutcomeNotification } from './outcome-notification';

describe('reading a notification of the outcome channel', () => {
  it('takes a plain payload as the id of the resource that changed', () => {
    expect(parseOutcomeNotification('acc_1')).toEqual({ resourceId: 'acc_1', payment: null });
  });

  it('reads a payment outcome as PostgreSQL writes it with json_build_object', () => {
    const payload =
      '{"id" : "p1", "status" : "rejected", "failureCode" : "insufficient_funds", ' +
      '"failedLeg" : "debit", "updatedAt" : "2026-12-01T12:45:00.123456+00:00"}';
    expect(parseOutcomeNotification(payload)).toEqual({
      resourceId: 'p1',
      payment: {
        status: 'rejected',
        failureCode: 'insufficient_funds',
        failedLeg: 'debit',
        updatedAt: new Date('2026-12-01T12:45:00.123Z'),
      },
    });
  });

  it('tells nothing about a payment from a payload it cannot read', () => {
    for (const payload of [
      '{not json',
      '{"id":"p1","status":"processing","failureCode":null,' +
        '"failedLeg":null,"updatedAt":"2026-12-01T12:45:00+00:00"}',
    ]) {
      expect(parseOutcomeNotification(payload).payment).toBeNull();
    }
  });
});

import { ageBucket, exceptionSummaryRepresentation } from './review-representations';

const HOUR_MS = 3_600_000;

describe('exception ageing', () => {
  it.each([
    [0, 'under_1d'],
    [23.9, 'under_1d'],
    [24, '1d_to_3d'],
    [71.9, '1d_to_3d'],
    [72, '3d_to_7d'],
    [168, 'over_7d'],
  ])('puts an exception %s hours old in %s', (hours, bucket) => {
    expect(ageBucket(hours * HOUR_MS)).toBe(bucket);
  });

  it('stops the age of a resolved exception at its resolution', () => {
    const detectedAt = new Date('2026-11-01T00:00:00Z');
    const shown = exceptionSummaryRepresentation(
      {
        exceptionId: 'exc:1',
        partnerId: 'sandbox',
        runId: 'run-1',
        class: 'amount_mismatch',
        currency: 'EUR',
        amountAtRiskMinor: '25',
        date: '2026-10-31',
        status: 'resolved',
        acceptBankEffect: null,
        detectedAt,
        resolvedAt: new Date(detectedAt.getTime() + 2 * HOUR_MS),
      },
      new Date('2026-12-01T00:00:00Z'),
    );
    expect(shown).toMatchObject({ ageSeconds: 7200, ageBucket: 'under_1d', amountAtRisk: '25' });
  });
});

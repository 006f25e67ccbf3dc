import {
  activeTraceId,
  childTraceparent,
  contextOf,
  continueTrace,
  inTrace,
  traceparentOf,
} from './tracing';

const CLIENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const FORMAT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

describe('trace context', () => {
  describe('when a message names a trace', () => {
    it('runs the work in a new span of that trace, visible after an await', async () => {
      const seen = await inTrace('hop', CLIENT, async () => {
        await new Promise((resolve) => setImmediate(resolve));
        return { traceId: activeTraceId(), traceparent: traceparentOf() };
      });
      expect(seen.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
      const [, traceId, spanId] = FORMAT.exec(seen.traceparent!)!;
      expect(traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
      expect(spanId).not.toBe('00f067aa0ba902b7');
      expect(activeTraceId()).toBeUndefined();
    });
  });

  describe('when there is none, or it is malformed', () => {
    it.each([null, undefined, '', 'not-a-traceparent', '00-0000-00-01'])(
      'starts a new trace (%p)',
      (given) => {
        const traceparent = childTraceparent('hop', given);
        expect(traceparent).toMatch(FORMAT);
        expect(traceparent).not.toContain('4bf92f3577b34da6a3ce929d0e0e4736');
      },
    );
  });

  it('keeps two traces apart when their work interleaves', async () => {
    const other = '00-11111111111111111111111111111111-2222222222222222-01';
    const [one, two] = await Promise.all(
      [CLIENT, other].map((parent) =>
        inTrace('hop', parent, async () => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          return activeTraceId();
        }),
      ),
    );
    expect([one, two]).toEqual([
      '4bf92f3577b34da6a3ce929d0e0e4736',
      '11111111111111111111111111111111',
    ]);
  });

  it('reads no span from an absent traceparent', () => {
    expect(traceparentOf(contextOf(null))).toBeNull();
  });
});

describe('continuing a trace', () => {
  it('continues the trace a valid traceparent names', () => {
    expect(continueTrace('hop', CLIENT, () => activeTraceId())).toBe(
      '4bf92f3577b34da6a3ce929d0e0e4736',
    );
  });

  it.each([null, 'garbage'])('runs outside any trace without one (%p)', (given) => {
    expect(continueTrace('hop', given, () => activeTraceId())).toBeUndefined();
  });
});

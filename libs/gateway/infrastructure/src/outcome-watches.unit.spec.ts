import { OutcomeWatches } from './outcome-watches';

/** A read model stand-in: counts looks and answers settled once `settle` was called. */
function readModel() {
  const state = { looks: 0, settled: false };
  return {
    state,
    isSettled: async () => {
      state.looks += 1;
      return state.settled;
    },
  };
}

function watches(listening = true, watchesPerResourceMax = 10) {
  const connection = { listening };
  const registry = new OutcomeWatches({
    listening: () => connection.listening,
    pollWhileDisconnectedMs: 100,
    watchesPerResourceMax,
  });
  return { connection, registry };
}

describe('OutcomeWatches', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  describe('when a fresh resource is waited for without looking first', () => {
    it('does not look until woken, then looks once and ends when settled', async () => {
      const { registry } = watches();
      const model = readModel();
      const watch = registry.watch('p');
      const waited = watch.wait(2_000, model.isSettled, { lookFirst: false });
      await jest.advanceTimersByTimeAsync(500);
      expect(model.state.looks).toBe(0);
      model.state.settled = true;
      registry.wake('p');
      await waited;
      expect(model.state.looks).toBe(1);
      watch.close();
      expect(registry.size).toBe(0);
    });

    it('counts a wake that came before the wait began', async () => {
      const { registry } = watches();
      const model = readModel();
      const watch = registry.watch('p');
      model.state.settled = true;
      registry.wake('p');
      await watch.wait(2_000, model.isSettled, { lookFirst: false });
      expect(model.state.looks).toBe(1);
    });

    it('keeps the outcome a wake told, for every watch of the resource', async () => {
      const { registry } = watches();
      const [first, second] = [registry.watch('p'), registry.watch('p')];
      expect(first.told()).toBeNull();
      const outcome = {
        status: 'completed' as const,
        failureCode: null,
        failedLeg: null,
        updatedAt: new Date(0),
      };
      registry.wake('p', outcome);
      registry.wake('p');
      expect([first.told(), second.told()]).toEqual([outcome, outcome]);
      expect(registry.watch('q').told()).toBeNull();
    });

    it('looks once, at the end, when no wake comes', async () => {
      const { registry } = watches();
      const model = readModel();
      const waited = registry.watch('p').wait(2_000, model.isSettled, { lookFirst: false });
      await jest.advanceTimersByTimeAsync(1_999);
      expect(model.state.looks).toBe(0);
      await jest.advanceTimersByTimeAsync(1);
      await waited;
      expect(model.state.looks).toBe(1);
    });

    it('looks at each wake while unsettled, and ends on its last look', async () => {
      const { registry } = watches();
      const model = readModel();
      const waited = registry.watch('p').wait(2_000, model.isSettled, { lookFirst: false });
      registry.wake('p');
      await jest.advanceTimersByTimeAsync(10);
      expect(model.state.looks).toBe(1);
      await jest.advanceTimersByTimeAsync(2_000);
      await waited;
      expect(model.state.looks).toBe(2);
    });

    it('looks again when woken during a look', async () => {
      const { registry } = watches();
      const state = { looks: 0 };
      const watch = registry.watch('p');
      const isSettled = async () => {
        state.looks += 1;
        if (state.looks === 1) registry.wake('p');
        return state.looks === 2;
      };
      registry.wake('p');
      await watch.wait(2_000, isSettled, { lookFirst: false });
      expect(state.looks).toBe(2);
    });
  });

  describe('when asked to look first', () => {
    it('looks before sleeping', async () => {
      const { registry } = watches();
      const model = readModel();
      model.state.settled = true;
      await registry.watch('p').wait(2_000, model.isSettled, { lookFirst: true });
      expect(model.state.looks).toBe(1);
    });
  });

  describe('when notifications may be missed (no LISTEN connection)', () => {
    it('looks at once and then at every poll', async () => {
      const { registry } = watches(false);
      const model = readModel();
      const waited = registry.watch('p').wait(1_000, model.isSettled, { lookFirst: false });
      await jest.advanceTimersByTimeAsync(0);
      expect(model.state.looks).toBe(1);
      await jest.advanceTimersByTimeAsync(300);
      expect(model.state.looks).toBe(4);
      model.state.settled = true;
      await jest.advanceTimersByTimeAsync(100);
      await waited;
      expect(model.state.looks).toBe(5);
    });

    it('looks again when every watch is woken on reconnection', async () => {
      const { registry } = watches();
      const model = readModel();
      const both = [registry.watch('p'), registry.watch('q')];
      registry.wakeAll();
      model.state.settled = true;
      for (const watch of both) await watch.wait(2_000, model.isSettled, { lookFirst: false });
      expect(model.state.looks).toBe(2);
    });
  });

  describe('when a resource has as many watches as allowed', () => {
    it('refuses one more, whose wait ends at once without looking', async () => {
      const { registry } = watches(true, 2);
      const model = readModel();
      registry.watch('p');
      registry.watch('p');
      const refused = registry.watch('p');
      registry.wake('p');
      await refused.wait(2_000, model.isSettled, { lookFirst: true });
      expect(model.state.looks).toBe(0);
    });
  });

  it('ends a wait at once, without looking, for a wait of 0 ms or a closed watch', async () => {
    const { registry } = watches();
    const model = readModel();
    await registry.watch('p').wait(0, model.isSettled, { lookFirst: true });
    const closed = registry.watch('q');
    closed.close();
    await closed.wait(2_000, model.isSettled, { lookFirst: true });
    expect(model.state.looks).toBe(0);
  });

  it('ends a wait when its watch is closed', async () => {
    const { registry } = watches();
    const model = readModel();
    const watch = registry.watch('p');
    const waited = watch.wait(2_000, model.isSettled, { lookFirst: false });
    await jest.advanceTimersByTimeAsync(10);
    watch.close();
    await waited;
    expect(model.state.looks).toBe(0);
    expect(registry.size).toBe(0);
  });
});

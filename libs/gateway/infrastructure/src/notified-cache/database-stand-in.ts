/**
 * For the caches' unit tests: a database stand-in that counts reads and can hold an answer (read
 * at once) until released.
 */
export function databaseStandIn<V>(initial: Iterable<[string, V]>) {
  const rows = new Map(initial);
  const reads: string[] = [];
  let hold: Promise<void> | null = null;
  let release = () => undefined as void;
  return {
    rows,
    reads,
    holdNextRead() {
      hold = new Promise<void>((resolve) => {
        release = resolve;
      });
      return () => release();
    },
    load: async (key: string): Promise<V | null> => {
      reads.push(key);
      const row = rows.get(key) ?? null;
      const held = hold;
      hold = null;
      if (held) await held;
      return row;
    },
  };
}

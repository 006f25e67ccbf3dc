/**
 * What the broker confirmed but the database does not yet say: one mark per key (a row's id for a
 * store that marks rows, a partition for one that records a position per partition). A mark is held
 * here until a transaction takes it to write on its way, or it is recorded on its own.
 * `merge` combines two marks of one key and must not depend on their order: marks given back after
 * a failed transaction are older than the ones confirmed meanwhile.
 */
export class PublishedMarks<Key, Mark> {
  private readonly marks = new Map<Key, Mark>();

  constructor(private readonly merge: (one: Mark, other: Mark) => Mark) {}

  get size(): number {
    return this.marks.size;
  }

  /** Keys with a mark not yet recorded. */
  keys(): Key[] {
    return [...this.marks.keys()];
  }

  add(marks: Iterable<readonly [Key, Mark]>): void {
    for (const [key, mark] of marks) {
      this.marks.set(key, this.marks.has(key) ? this.merge(this.marks.get(key)!, mark) : mark);
    }
  }

  /** Removes and returns the marks of `keys` (all without it); `add` them back on failure. */
  take(keys?: Iterable<Key>): Map<Key, Mark> {
    if (keys === undefined) {
      const all = new Map(this.marks);
      this.marks.clear();
      return all;
    }
    const taken = new Map<Key, Mark>();
    for (const key of keys) {
      if (!this.marks.has(key)) continue;
      taken.set(key, this.marks.get(key)!);
      this.marks.delete(key);
    }
    return taken;
  }
}

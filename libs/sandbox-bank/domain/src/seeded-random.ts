import { xoroshiro128plus } from 'pure-rand';

/** A source of uniform numbers in [0, 1); faults and booking decisions draw from one. */
export interface RandomSource {
  next(): number;
}

const UINT32_RANGE = 4_294_967_296;

/** FNV-1a over the text: a stable 32-bit hash, so the same parts always give the same stream. */
function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

class GeneratorSource implements RandomSource {
  private readonly generator: ReturnType<typeof xoroshiro128plus>;

  constructor(seed: number) {
    this.generator = xoroshiro128plus(seed);
  }

  next(): number {
    return (this.generator.unsafeNext() >>> 0) / UINT32_RANGE;
  }
}

/**
 * A stream that depends only on the seed and the parts (e.g. a transfer's id and a decision's
 * name): the decision about one transfer does not change with the order others arrive in.
 */
export function randomFor(seed: number, ...parts: string[]): RandomSource {
  return new GeneratorSource(seed ^ hash32(parts.join('\u0000')));
}

/** One stream for a sequence of decisions (requests in arrival order): reproducible run by run. */
export function randomSequence(seed: number, name: string): RandomSource {
  return randomFor(seed, name);
}

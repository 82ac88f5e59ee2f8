/**
 * A small seeded generator (mulberry32): uniform numbers in [0, 1), the same sequence for the same
 * seed on every machine, so a failing property-test case can be replayed and every benchmark
 * backend gets the same operands.
 */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

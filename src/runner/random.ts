/**
 * A small seeded generator (mulberry32). Hand-written because the schedule must be the same
 * for the same seed on every Node version, and Math.random cannot be seeded; 32 bits of state
 * are plenty for schedules and poll phases.
 */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A gap of a Poisson process with the given rate: exponential with mean 1/rate. */
export function exponential(random: Random, ratePerMs: number): number {
  return -Math.log(1 - random()) / ratePerMs;
}

/** `k` distinct integers from [0, n), by Floyd's algorithm: O(k) whatever n is. */
export function sampleDistinct(random: Random, n: number, k: number): number[] {
  const chosen = new Set<number>();
  for (let j = n - k; j < n; j++) {
    const t = Math.floor(random() * (j + 1));
    chosen.add(chosen.has(t) ? j : t);
  }
  return [...chosen];
}

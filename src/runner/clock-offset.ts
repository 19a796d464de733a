/**
 * How far this machine's monotonic clock is from the shared server's: an NTP-style exchange over
 * GET /clock, kept from the round trip with the smallest delay (the one least blurred by queueing),
 * best of many. The uncertainty is half that round trip: the server read its clock somewhere inside it.
 */
import { Pool } from 'undici';

/** One exchange: t0 sent and t3 received on our clock, the server's reading in between on its own. ns. */
export interface ClockSample {
  t0: bigint;
  /** Server's monotonic reading (t1 = t2: it reads once). */
  serverNs: bigint;
  /** Server's wall clock at that reading, ms since the epoch. */
  serverWallMs: number;
  t3: bigint;
}

export interface ClockEstimate {
  /** Server clock − our clock, ns: a server reading s happened at our s − offsetNs. */
  offsetNs: bigint;
  /** Half the best round trip, ns: the offset is right to within this. */
  uncertaintyNs: bigint;
  /** Server wall-clock ms minus server monotonic ms at the best sample: turns a wall time on the server into its monotonic clock. */
  serverWallMinusMonoMs: number;
  /** Exchanges made. Count. */
  samples: number;
}

/** Exchanges per estimate: a few dozen small requests, enough for one of them to find a quiet moment. */
const DEFAULT_ROUNDS = 32;

/** The estimate from the sample with the smallest round trip (pure). */
export function bestEstimate(samples: readonly ClockSample[]): ClockEstimate {
  if (samples.length === 0) throw new Error('no clock sample to estimate from');
  let best = samples[0]!;
  for (const sample of samples) if (sample.t3 - sample.t0 < best.t3 - best.t0) best = sample;
  const delay = best.t3 - best.t0;
  return {
    offsetNs: best.serverNs - (best.t0 + best.t3) / 2n,
    uncertaintyNs: delay / 2n,
    serverWallMinusMonoMs: best.serverWallMs - Number(best.serverNs) / 1e6,
    samples: samples.length,
  };
}

/**
 * Estimates the offset to `baseUrl`'s GET /clock; undefined when the server has none (a server
 * that only speaks the wire contract need not offer it). `now` is injectable for tests.
 */
export async function estimateClockOffset(
  baseUrl: string,
  options: { rounds?: number; now?: () => bigint; signal?: AbortSignal } = {},
): Promise<ClockEstimate | undefined> {
  const now = options.now ?? (() => process.hrtime.bigint());
  const pool = new Pool(baseUrl, { connections: 1, keepAliveTimeout: 10_000 });
  const samples: ClockSample[] = [];
  try {
    for (let i = 0; i < (options.rounds ?? DEFAULT_ROUNDS); i++) {
      const t0 = now();
      const response = await pool.request({ method: 'GET', path: '/clock', ...(options.signal ? { signal: options.signal } : {}) });
      const text = await response.body.text();
      const t3 = now();
      if (response.statusCode === 404 || response.statusCode === 405) return undefined;
      if (response.statusCode !== 200) throw new Error(`GET /clock answered ${response.statusCode}: ${text.slice(0, 200)}`);
      samples.push({ t0, t3, ...parseReading(text) });
    }
  } finally {
    await pool.close();
  }
  return bestEstimate(samples);
}

function parseReading(text: string): Pick<ClockSample, 'serverNs' | 'serverWallMs'> {
  const body = JSON.parse(text) as { monotonicNs?: unknown; wallMs?: unknown };
  if (typeof body.monotonicNs !== 'string' || !/^\d{1,30}$/.test(body.monotonicNs) || typeof body.wallMs !== 'number') {
    throw new Error(`GET /clock answered ${text.slice(0, 200)}; expected {"monotonicNs": "<digits>", "wallMs": <number>}`);
  }
  return { serverNs: BigInt(body.monotonicNs), serverWallMs: body.wallMs };
}

/**
 * Our monotonic time at which the server's wall clock reads `wallMs`: the agreed start of every
 * segment. Without an estimate (no /clock) our own wall clock stands in for the server's.
 */
export function localMonotonicAt(wallMs: number, estimate: ClockEstimate | undefined, now: { monoNs: bigint; wallMs: number }): bigint {
  if (!estimate) return now.monoNs + BigInt(Math.round((wallMs - now.wallMs) * 1e6));
  const serverNs = BigInt(Math.round((wallMs - estimate.serverWallMinusMonoMs) * 1e6));
  return serverNs - estimate.offsetNs;
}

import type { TransportResult, Warning } from './model.js';

/**
 * A clock uncertain by more than this share of the median latency is worth a warning: the
 * segments' loads were then misaligned by a good part of what is being measured.
 */
const CLOCK_UNCERTAINTY_SHARE = 0.25;

/**
 * A warning when the clock offset's uncertainty is large against the latencies measured: the
 * segments' schedules were then not aligned closer than that, and neither were their loads.
 */
export function clockWarnings(clock: { uncertaintyMs: number | null }, transports: readonly TransportResult[], whose: string): Warning[] {
  const uncertainty = clock.uncertaintyMs;
  if (uncertainty === null) return [];
  return transports.flatMap((t) => {
    const p50 = t.latencyMs.p50;
    if (p50 === null || uncertainty <= CLOCK_UNCERTAINTY_SHARE * p50) return [];
    return [
      {
        code: 'clock-uncertain' as const,
        transport: t.transport,
        message: `${whose}'s clock is known to ±${uncertainty.toFixed(3)} ms against the shared server's, more than a quarter of the median latency (${p50} ms): the segments' schedules were aligned no closer than that.`,
      },
    ];
  });
}

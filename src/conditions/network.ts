/**
 * The scenario's `network` key: the link between each client and the server, as a preset name
 * (`network: 4g`) or a mapping (`{ latency: 50ms, jitter: 10ms, bandwidth: 2Mbit/s }`, both
 * directions) with `up:` / `down:` overriding one direction and `preset:` as the starting point.
 * Output: the LinkShape the shaping proxy applies. Preset figures and their sources are in
 * docs/conditions.md.
 */
import { z } from 'zod';
import { strictMapping, unitValue } from '../scenario/fields.js';
import { suggest } from '../scenario/suggest.js';
import { BANDWIDTH_PATTERN, DURATION_PATTERN, parseBandwidth, parseDuration, type ParseResult } from '../units/units.js';
import type { LinkDirection } from './delay-line.js';
import type { LinkShape } from './shaping-proxy.js';

/** One direction as written: every key optional, so that a preset or the shared values fill the rest. */
interface DirectionInput {
  latencyMs?: number;
  jitterMs?: number;
  /** Bytes per second. */
  bytesPerSecond?: number;
}

const MBIT = 1_000_000 / 8;

/**
 * Typical figures, not a specification (sources in docs/conditions.md). Latency is one way
 * (half the round trip the source gives); the sources give no jitter, so none is added.
 */
export const NETWORK_PRESETS = {
  // WebPageTest's "LTE" profile: 12 Mbit/s both ways, 70 ms RTT.
  '4g': { up: { latencyMs: 35, jitterMs: 0, bytesPerSecond: 12 * MBIT }, down: { latencyMs: 35, jitterMs: 0, bytesPerSecond: 12 * MBIT } },
  // WebPageTest's "3G" profile: 1.6 Mbit/s down, 768 kbit/s up, 300 ms RTT.
  '3g': { up: { latencyMs: 150, jitterMs: 0, bytesPerSecond: 0.768 * MBIT }, down: { latencyMs: 150, jitterMs: 0, bytesPerSecond: 1.6 * MBIT } },
  // WebPageTest's "DSL" profile: 1.5 Mbit/s down, 384 kbit/s up, 50 ms RTT.
  dsl: { up: { latencyMs: 25, jitterMs: 0, bytesPerSecond: 0.384 * MBIT }, down: { latencyMs: 25, jitterMs: 0, bytesPerSecond: 1.5 * MBIT } },
  // Firefox DevTools' "Wi-Fi" throttling profile: 30 Mbit/s down, 15 Mbit/s up, 2 ms latency.
  wifi: { up: { latencyMs: 1, jitterMs: 0, bytesPerSecond: 15 * MBIT }, down: { latencyMs: 1, jitterMs: 0, bytesPerSecond: 30 * MBIT } },
  // London ↔ New York, about 72 ms RTT; a backbone path, so no access-link bandwidth limit.
  transatlantic: { up: { latencyMs: 36, jitterMs: 0, bytesPerSecond: null }, down: { latencyMs: 36, jitterMs: 0, bytesPerSecond: null } },
  // A geostationary satellite service: about 600 ms RTT, 25 Mbit/s down, 3 Mbit/s up.
  satellite: { up: { latencyMs: 300, jitterMs: 0, bytesPerSecond: 3 * MBIT }, down: { latencyMs: 300, jitterMs: 0, bytesPerSecond: 25 * MBIT } },
} as const satisfies Record<string, { up: Omit<LinkDirection, 'burstBytes'>; down: Omit<LinkDirection, 'burstBytes'> }>;

export type NetworkPreset = keyof typeof NETWORK_PRESETS;
const PRESET_NAMES = Object.keys(NETWORK_PRESETS) as NetworkPreset[];

/**
 * Bytes the token bucket lets go at once after an idle spell: one millisecond's worth at the
 * rate. A real link serialises every byte, so the burst must not hide the transmission time of
 * an event; a millisecond is below what the proxy's timers resolve anyway (they wake about
 * 1 ms late), so a smaller burst would add timers, not accuracy.
 */
function burstBytesFor(bytesPerSecond: number | null): number {
  return bytesPerSecond === null ? 1 : Math.max(1, Math.ceil(bytesPerSecond / 1_000));
}

function presetProblem(value: unknown): string {
  const names = PRESET_NAMES.join(', ');
  if (typeof value !== 'string')
    return `${JSON.stringify(value)} is not a network; write a preset (${names}) or a mapping such as { latency: 50ms, bandwidth: 2Mbit/s }`;
  const guess = suggest(value, PRESET_NAMES);
  return `${JSON.stringify(value)} is not a network preset${guess ? ` (did you mean "${guess}"?)` : ''}; use one of ${names}, or a mapping such as { latency: 50ms }`;
}

const presetName = () => z.enum(PRESET_NAMES as [NetworkPreset, ...NetworkPreset[]], { error: (issue) => presetProblem(issue.input) });

/** A delay of at least 0 (a negative one gets its own message: the generic one would only say "not a duration"). */
function delay(what: string) {
  const parse = (value: unknown): ParseResult =>
    typeof value === 'string' && value.trim().startsWith('-')
      ? { ok: false, message: `${JSON.stringify(value)} is negative; ${what} is at least 0ms, e.g. "50ms"` }
      : parseDuration(value);
  return unitValue(parse, DURATION_PATTERN, { max: 60_000, maxText: '60s' });
}

function bandwidth() {
  return unitValue(parseBandwidth, BANDWIDTH_PATTERN, { min: 1, minText: '8bit/s' });
}

const directionKeys = () => ({
  latency: delay('a latency').optional().meta({ description: 'One-way delay, e.g. "50ms"; the round trip is the up delay plus the down delay.' }),
  jitter: delay('a jitter').optional().meta({ description: 'Each chunk is delayed by the latency ± up to this much, uniformly; bytes are never reordered.' }),
  bandwidth: bandwidth().optional().meta({ description: 'Sustained rate per client, e.g. "2Mbit/s", "500kbit/s", "1MB/s"; not limited when left out.' }),
});

const directionMapping = () => strictMapping(directionKeys(), '{ latency: 80ms, bandwidth: 1Mbit/s }');

type DirectionFile = { latency?: number | undefined; jitter?: number | undefined; bandwidth?: number | undefined };

function asInput(file: DirectionFile | undefined): DirectionInput {
  if (!file) return {};
  return {
    ...(file.latency !== undefined ? { latencyMs: file.latency } : {}),
    ...(file.jitter !== undefined ? { jitterMs: file.jitter } : {}),
    ...(file.bandwidth !== undefined ? { bytesPerSecond: file.bandwidth } : {}),
  };
}

function complete(...layers: Array<DirectionInput | Omit<LinkDirection, 'burstBytes'>>): LinkDirection {
  const merged = Object.assign({ latencyMs: 0, jitterMs: 0, bytesPerSecond: null }, ...layers) as Omit<LinkDirection, 'burstBytes'>;
  return { ...merged, burstBytes: burstBytesFor(merged.bytesPerSecond) };
}

/** Jitter beyond the latency would ask for negative delays, which the delay line clamps to 0: the mean would drift above the latency written. */
function jitterProblem(link: LinkDirection): string | undefined {
  return link.jitterMs > link.latencyMs
    ? `jitter ${link.jitterMs}ms is larger than the latency ${link.latencyMs}ms: a delay cannot go below 0, so the mean would drift; use a jitter of at most the latency`
    : undefined;
}

/** The `network` key: a preset name or a mapping, turned into the link both directions get. */
export function networkField() {
  const mapping = strictMapping(
    {
      preset: presetName().optional().meta({ description: 'A preset to start from; the other keys override it.' }),
      ...directionKeys(),
      up: directionMapping().optional().meta({ description: 'Client → server only; overrides the shared keys.' }),
      down: directionMapping().optional().meta({ description: 'Server → client only; overrides the shared keys.' }),
    },
    '{ latency: 50ms, jitter: 10ms, bandwidth: 2Mbit/s }',
  );
  return z
    .union([presetName().transform((preset) => ({ preset })), mapping], { error: (issue) => presetProblem(issue.input) })
    .transform((file, ctx): LinkShape => {
      const preset = file.preset ? NETWORK_PRESETS[file.preset] : undefined;
      const own = (side: 'up' | 'down'): DirectionFile | undefined => (file as Partial<Record<'up' | 'down', DirectionFile>>)[side];
      const shared = asInput(file as DirectionFile);
      const link: LinkShape = {
        up: complete(preset?.up ?? {}, shared, asInput(own('up'))),
        down: complete(preset?.down ?? {}, shared, asInput(own('down'))),
      };
      const reported = new Set<string>();
      for (const side of ['up', 'down'] as const) {
        const problem = jitterProblem(link[side]);
        // Point at the jitter that was written: the direction's own, else the shared one.
        const path = own(side)?.jitter !== undefined ? [side, 'jitter'] : shared.jitterMs !== undefined ? ['jitter'] : [];
        if (!problem || reported.has(path.join('.'))) continue;
        reported.add(path.join('.'));
        ctx.addIssue({ code: 'custom', input: file, path, message: problem });
      }
      return link;
    })
    .meta({
      description: `The link between each client and the server: a preset (${PRESET_NAMES.join(', ')}) or { latency, jitter, bandwidth } with optional up: / down: per direction. Not shaped when left out.`,
    });
}

/** The conditions of a scenario in a few words, for the line `push-bench validate` prints. */
import type { LinkDirection } from './delay-line.js';
import type { Intermediary } from './intermediary.js';
import type { LinkShape } from './shaping-proxy.js';
import { formatDuration } from '../units/units.js';

function rate(bytesPerSecond: number | null): string {
  if (bytesPerSecond === null) return 'unlimited';
  const bits = bytesPerSecond * 8;
  return bits >= 1e6 ? `${+(bits / 1e6).toFixed(3)}Mbit/s` : `${+(bits / 1e3).toFixed(3)}kbit/s`;
}

function direction(link: LinkDirection): string {
  return `${formatDuration(link.latencyMs)}${link.jitterMs > 0 ? ` ±${formatDuration(link.jitterMs)}` : ''} ${rate(link.bytesPerSecond)}`;
}

/** e.g. "link up 35ms 12Mbit/s, down 35ms 12Mbit/s | idle timeout 1m"; empty when nothing stands between clients and server. */
export function describeConditions(network: LinkShape | null, intermediary: Intermediary | null): string {
  const parts: string[] = [];
  if (network) parts.push(`link up ${direction(network.up)}, down ${direction(network.down)}`);
  if (intermediary) parts.push(`idle timeout ${formatDuration(intermediary.idleTimeoutMs)}`);
  return parts.join(' | ');
}

/**
 * Progress on stderr: on a terminal one live line (transport, step, time
 * elapsed and left, clients connected, events delivered); otherwise, or in CI, one plain line
 * per step; nothing with --quiet. Colour only on a terminal and never with NO_COLOR.
 */
import type { PhaseStatus } from '../runner/phase.js';

export type ProgressMode = 'tty' | 'plain' | 'none';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface Progress {
  status(status: PhaseStatus, stepChanged: boolean): void;
  /** A permanent line (above the live line on a terminal). */
  log(line: string): void;
  /** Clears the live line; call before printing the final table. */
  finish(): void;
}

export function progressMode(requested: string | undefined, stream: ProgressStream, env: NodeJS.ProcessEnv, quiet: boolean): ProgressMode {
  if (quiet || requested === 'none') return 'none';
  if (requested === 'tty' || requested === 'plain') return requested;
  return stream.isTTY && !env.CI ? 'tty' : 'plain';
}

export function createProgress(mode: ProgressMode, stream: ProgressStream, env: NodeJS.ProcessEnv, now: () => number): Progress {
  if (mode === 'none') return { status: () => undefined, log: () => undefined, finish: () => undefined };
  if (mode === 'plain') return plainProgress(stream);
  return liveProgress(stream, !('NO_COLOR' in env) || env.NO_COLOR === '', now);
}

function plainProgress(stream: ProgressStream): Progress {
  return {
    status: (status, stepChanged) => {
      if (!stepChanged) return;
      const detail = status.detail ? ` (${status.detail})` : '';
      const delivered = status.step === 'drain' || status.step === 'disconnect' ? `; ${count(status.delivered)} delivered so far` : '';
      stream.write(`  ${status.transport}: ${status.step}${detail}${delivered}\n`);
    },
    log: (line) => stream.write(`${line}\n`),
    finish: () => undefined,
  };
}

const CLEAR_LINE = '\r\x1b[2K';

function liveProgress(stream: ProgressStream, colour: boolean, now: () => number): Progress {
  let shown = false;
  const bold = (text: string) => (colour ? `\x1b[1m${text}\x1b[22m` : text);
  return {
    status: (status) => {
      stream.write(`${CLEAR_LINE}${liveLine(status, now(), bold)}`);
      shown = true;
    },
    log: (line) => {
      stream.write(`${shown ? CLEAR_LINE : ''}${line}\n`);
      shown = false;
    },
    finish: () => {
      if (shown) stream.write(CLEAR_LINE);
      shown = false;
    },
  };
}

/** "sse · measure · 0:12 elapsed, ~0:15 left · 500/500 connected · 9,870 delivered" */
export function liveLine(status: PhaseStatus, nowMs: number, bold: (text: string) => string = (t) => t): string {
  const elapsed = nowMs - status.phaseStartedMs;
  const left = Math.max(0, status.phasePlannedMs - elapsed);
  return [
    bold(status.transport),
    status.step,
    `${clock(elapsed)} elapsed, ~${clock(left)} left`,
    `${count(status.connected)}/${count(status.clients)} connected`,
    `${count(status.delivered)} delivered`,
  ].join(' · ');
}

function clock(ms: number): string {
  const seconds = Math.floor(ms / 1_000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

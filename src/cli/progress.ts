/**
 * Progress on stderr. On a terminal a block redrawn in place: one overall line (scenario,
 * repeat, elapsed and ETA of the whole run, what is being started) and one line per transport,
 * in run order: waiting, running (bar, step, step time, clients, deliveries), done (its headline
 * figures) or failed (why, and what it measured). The block ticks on its own, so the clock moves
 * while servers and brokers start. Permanent lines print above the block. Elsewhere, or in CI,
 * one plain line per step and one per finished transport; nothing with --quiet. Colour only on a
 * terminal and never with NO_COLOR.
 */
import type { PhaseStatus } from '../runner/phase.js';
import type { TransportResult } from '../report/model.js';
import { FIGURES } from '../report/figures.js';
import { figureById, type FigureId } from '../figures/catalog.js';
import { failsRun } from '../report/warning-codes.js';
import { listed, plannedAfter, type PlannedRun } from '../scenario/timeline.js';

export type ProgressMode = 'tty' | 'plain' | 'none';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Progress {
  status(status: PhaseStatus, stepChanged: boolean): void;
  /** A transport finished, with its result. */
  done(result: TransportResult): void;
  /** Repeat `index` (from 0) begins. */
  repeat(index: number): void;
  /** A permanent line (above the block on a terminal). */
  log(line: string): void;
  /**
   * Draws the block a last time and leaves it; call before printing the final table. `ending`:
   * how the run ended when it did not finish, for the transport that was still running.
   */
  finish(ending?: RunEnding): void;
}

export type RunEnding = 'interrupted' | 'failed';

/** How a run's outcome ended, for finish(): nothing when it ran to its end. */
export function endingOf(outcome: { interrupted: boolean; error?: Error }): RunEnding | undefined {
  if (outcome.interrupted) return 'interrupted';
  return outcome.error ? 'failed' : undefined;
}

export function progressMode(requested: string | undefined, stream: ProgressStream, env: NodeJS.ProcessEnv, quiet: boolean): ProgressMode {
  if (quiet || requested === 'none') return 'none';
  if (requested === 'tty' || requested === 'plain') return requested;
  return stream.isTTY && !env.CI ? 'tty' : 'plain';
}

export interface ProgressSetup {
  scenario: string;
  plan: PlannedRun;
}

export function createProgress(mode: ProgressMode, stream: ProgressStream, env: NodeJS.ProcessEnv, now: () => number, setup: ProgressSetup): Progress {
  if (mode === 'none') return { status: () => undefined, done: () => undefined, repeat: () => undefined, log: () => undefined, finish: () => undefined };
  if (mode === 'plain') return plainProgress(stream, setup);
  return new LiveProgress(stream, !('NO_COLOR' in env) || env.NO_COLOR === '', now, setup);
}

/** The figures a finished transport keeps on its line, from the tables' own rows. */
const HEADLINE: ReadonlyArray<{ id: FigureId; name: string }> = [
  { id: 'events.delivered', name: 'delivered' },
  { id: 'events.lost', name: 'lost' },
  { id: 'latency.p50', name: 'p50' },
  { id: 'latency.p99', name: 'p99' },
  { id: 'requests.total', name: 'requests' },
];

/** The warnings that fail the run, by code ("server-died"), or none: the transport's phase did not do its job. */
function failures(result: TransportResult): string[] {
  return [...new Set(result.warnings.map((w) => w.code).filter(failsRun))];
}

/** "done · …" or "failed (server-died) · …", then the headline figures: a failed phase still shows what it measured. */
function outcomeOf(result: TransportResult, took = ''): { failed: boolean; text: string } {
  const failed = failures(result);
  return failed.length > 0
    ? { failed: true, text: `failed (${failed.join(', ')})${took} · ${headline(result)}` }
    : { failed: false, text: `done${took} · ${headline(result)}` };
}

/** "delivered 9,870 · lost 0 · p50 2.41 ms · p99 8.12 ms · requests 1,204" */
export function headline(result: TransportResult): string {
  return HEADLINE.map(({ id, name }) => {
    const figure = FIGURES.find((f) => f.id === figureById(id).id)!;
    const unit = figureById(id).unit === 'ms' ? ' ms' : '';
    return `${name} ${figure.cell(result)}${unit}`;
  }).join(' · ');
}

function plainProgress(stream: ProgressStream, setup: ProgressSetup): Progress {
  /** The transport whose phase is under way, to name if the run ends in the middle of it. */
  let running: string | undefined;
  return {
    status: (status, stepChanged) => {
      running = status.transport;
      if (!stepChanged) return;
      const detail = status.detail ? ` (${status.detail})` : '';
      const delivered = status.step === 'drain' || status.step === 'disconnect' ? `; ${count(status.delivered)} delivered so far` : '';
      stream.write(`  ${status.transport}: ${status.step}${detail}${delivered}\n`);
    },
    done: (result) => {
      running = undefined;
      stream.write(`  ${result.transport}: ${outcomeOf(result).text}\n`);
    },
    repeat: (index) => stream.write(`push-bench: ${setup.scenario}: repeat ${index + 1} of ${setup.plan.repeat}\n`),
    log: (line) => stream.write(`${line}\n`),
    finish: (ending) => {
      if (ending && running) stream.write(`  ${running}: ${ending}\n`);
      running = undefined;
    },
  };
}

/** Redraws at most this often (about 4 a second), whatever the rate of status reports. */
const MIN_REDRAW_MS = 240;
const BAR_WIDTH = 20;

type Line = { kind: 'waiting' } | { kind: 'running'; status: PhaseStatus } | { kind: 'done'; text: string; failed: boolean };

class LiveProgress implements Progress {
  private readonly startedMs: number;
  private repeatIndex = 0;
  private phaseIndex = -1;
  private current: PhaseStatus | undefined;
  private lines: Line[];
  private drawn = 0;
  private lastDrawMs = -Infinity;
  /** Redraws when nothing else has for a while: the clock and the ETA move while servers start. */
  private ticker: NodeJS.Timeout | undefined;

  constructor(
    private readonly stream: ProgressStream,
    private readonly colour: boolean,
    private readonly now: () => number,
    private readonly setup: ProgressSetup,
  ) {
    this.startedMs = now();
    this.lines = setup.plan.phases.map(() => ({ kind: 'waiting' }));
    this.ticker = setInterval(() => {
      if (this.now() - this.lastDrawMs >= MIN_REDRAW_MS) this.draw();
    }, MIN_REDRAW_MS).unref();
  }

  status(status: PhaseStatus): void {
    const index = this.setup.plan.phases.findIndex((p) => p.transport === status.transport);
    if (index < 0) return;
    this.phaseIndex = index;
    this.current = status;
    this.lines[index] = { kind: 'running', status };
    const at = this.now();
    if (at - this.lastDrawMs >= MIN_REDRAW_MS) this.draw();
  }

  done(result: TransportResult): void {
    const index = this.setup.plan.phases.findIndex((p) => p.transport === result.transport);
    if (index < 0) return;
    const took = this.current ? ` in ${clock(this.now() - this.current.phaseStartedMs)}` : '';
    this.lines[index] = { kind: 'done', ...outcomeOf(result, took) };
    this.current = undefined;
    this.draw();
  }

  repeat(index: number): void {
    // The finished repeat's block stays above, as a record; the new one starts waiting.
    if (index > 0) {
      this.drawn = 0;
      this.lines = this.setup.plan.phases.map(() => ({ kind: 'waiting' }));
    }
    this.repeatIndex = index;
    this.phaseIndex = -1;
    this.log(`push-bench: ${this.setup.scenario}: repeat ${index + 1} of ${this.setup.plan.repeat}`);
  }

  log(line: string): void {
    this.stream.write(`${this.erase()}${line}\n`);
    this.drawn = 0;
    this.draw();
  }

  finish(ending?: RunEnding): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
    const at = this.now();
    if (ending) {
      this.lines = this.lines.map((line) =>
        line.kind === 'running' ? { kind: 'done', failed: true, text: `${ending} after ${clock(at - line.status.phaseStartedMs)}` } : line,
      );
    }
    this.draw();
    this.drawn = 0;
  }

  /** Planned time left in the whole run: never restarts at a transport, and never grows. */
  remainingMs(at: number): number {
    const { plan } = this.setup;
    const laterRepeats = (plan.repeat - this.repeatIndex - 1) * plan.repeatMs;
    const later = (from: number) => plan.phases.slice(from).reduce((sum, p) => sum + p.ms, 0);
    const status = this.current;
    if (status === undefined || this.phaseIndex < 0) {
      // Between phases: what follows the last one that ran (or the server's start, before the first).
      const next = this.lines.findIndex((l) => l.kind === 'waiting');
      const start = this.phaseIndex < 0 ? Math.max(0, plan.startMs - (at - this.startedMs)) : 0;
      return laterRepeats + start + (next < 0 ? 0 : later(next));
    }
    const phase = plan.phases[this.phaseIndex]!;
    const stepPlanned = phase.steps.find((s) => s.step === status.step)?.ms ?? 0;
    const stepLeft = Math.max(0, stepPlanned - (at - status.stepStartedMs));
    return laterRepeats + later(this.phaseIndex + 1) + plannedAfter(phase, status.step) + stepLeft;
  }

  private erase(): string {
    return this.drawn > 0 ? `\x1b[${this.drawn}A\r\x1b[0J` : '';
  }

  private draw(): void {
    const at = this.now();
    this.lastDrawMs = at;
    const width = Math.max(20, (this.stream.columns ?? 120) - 1);
    const rows = [this.overall(at), ...this.lines.map((line, i) => this.transportLine(line, i, at))].map((row) => fit(row, width, this.colour));
    this.stream.write(`${this.erase()}${rows.map((r) => `${r}\n`).join('')}`);
    this.drawn = rows.length;
  }

  private overall(at: number): string {
    const { plan, scenario } = this.setup;
    const repeat = plan.repeat > 1 ? ` · repeat ${this.repeatIndex + 1} of ${plan.repeat}` : '';
    const starting =
      this.phaseIndex < 0 && this.lines.every((l) => l.kind === 'waiting') && plan.starting.length > 0 ? ` · starting ${listed(plan.starting)}` : '';
    return `${scenario}${repeat} · ${clock(at - this.startedMs)} elapsed · ~${clock(this.remainingMs(at), Math.ceil)} left of ~${clock(plan.totalMs, Math.ceil)}${starting}`;
  }

  private transportLine(line: Line, index: number, at: number): string {
    const name = this.setup.plan.phases[index]!.transport.padEnd(Math.max(...this.setup.plan.phases.map((p) => p.transport.length)));
    if (line.kind === 'waiting') return `  ${name}  waiting`;
    if (line.kind === 'done') return `${line.failed ? '✗' : '✓'} ${name}  ${line.text}`;
    return `▸ ${name}  ${runningLine(line.status, at, this.setup.plan.phases[index]!.steps.find((s) => s.step === line.status.step)?.ms ?? 0)}`;
  }
}

/** "[=======>            ]  35% measure 0:12, ~0:17 left · 500/500 connected · 9,870 delivered" */
export function runningLine(status: PhaseStatus, nowMs: number, stepPlannedMs: number): string {
  const share = status.phasePlannedMs > 0 ? Math.min(1, (nowMs - status.phaseStartedMs) / status.phasePlannedMs) : 0;
  const filled = Math.round(share * BAR_WIDTH);
  const bar = `[${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${' '.repeat(BAR_WIDTH - filled)}]`;
  const elapsed = nowMs - status.stepStartedMs;
  return [
    `${bar} ${String(Math.round(share * 100)).padStart(3)}% ${status.step} ${clock(elapsed)}, ~${clock(Math.max(0, stepPlannedMs - elapsed), Math.ceil)} left`,
    `${count(status.connected)}/${count(status.clients)} connected`,
    `${count(status.delivered)} delivered`,
  ].join(' · ');
}

/** Cut to the terminal's width (a wrapped line would break the redraw); on colour terminals a bold ✓ and a red ✗. */
function fit(row: string, width: number, colour: boolean): string {
  const cut = row.length > width ? `${row.slice(0, width - 1)}…` : row;
  if (!colour) return cut;
  if (cut.startsWith('✓')) return `\x1b[1m✓\x1b[22m${cut.slice(1)}`;
  if (cut.startsWith('✗')) return `\x1b[31m✗\x1b[39m${cut.slice(1)}`;
  return cut;
}

/** m:ss; time left is rounded up, so that "0:00 left" means done. */
function clock(ms: number, round: (n: number) => number = Math.floor): string {
  const seconds = round(ms / 1_000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

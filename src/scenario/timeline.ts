/**
 * How long a run of a scenario takes by the clock, step by step: the one plan that `validate`
 * states and the progress display counts down. The phase's own waits come from the scenario;
 * the process start-up and shutdown around them are estimates measured on a 2-core machine.
 */
import type { TransportPlan } from '../transports/catalog.js';
import { runName, transportModule } from '../transports/catalog.js';
import type { Scenario } from './scenario.js';

export type PhaseStep = 'connect' | 'warm-up' | 'measure' | 'drain' | 'disconnect';

/** Drain when the scenario names none: enough for in-flight events on loopback. */
const DEFAULT_DRAIN_MS = 2_000;
/** The client processes' ramp starts this far ahead, so that each is ready before its first client is due. */
export const RAMP_LEAD_MS = 300;
/** Time between the window message and the schedule's zero, so every process is ready. */
export const SCHEDULE_LEAD_MS = 200;
/** Stopping the client processes and collecting their reports (estimate: 0.07–0.11 s measured). */
const DISCONNECT_MS = 100;

interface PlannedStep {
  step: PhaseStep;
  ms: number;
}

export interface PlannedPhase {
  /** The run's name (runName). */
  transport: string;
  steps: PlannedStep[];
  /** Sum of the steps, ms. */
  ms: number;
}

/** A program a run starts before its first phase and stops after its last, and the time that takes (an estimate), ms. */
export interface PlannedStart {
  /** What is started, e.g. "the reference server" or "RabbitMQ". */
  what: string;
  ms: number;
}

export interface PlannedRun {
  /** What each repeat starts and stops around its phases (reference server, brokers, nginx, proxies), in start order. */
  starting: string[];
  /** Starting and stopping them, each repeat, ms. */
  startMs: number;
  phases: PlannedPhase[];
  /** One repeat: start plus every phase, ms. */
  repeatMs: number;
  repeat: number;
  /** The whole run, all repeats, ms. */
  totalMs: number;
}

export function drainMsOf(scenario: Scenario, plan: TransportPlan): number {
  return scenario.drainMs ?? DEFAULT_DRAIN_MS + transportModule(plan.name).drainExtraMs(plan.settings);
}

export function plannedPhase(scenario: Scenario, plan: TransportPlan): PlannedPhase {
  const steps: PlannedStep[] = [
    { step: 'connect', ms: RAMP_LEAD_MS + scenario.clients.rampUpMs },
    { step: 'warm-up', ms: SCHEDULE_LEAD_MS + scenario.warmupMs },
    { step: 'measure', ms: scenario.durationMs },
    { step: 'drain', ms: drainMsOf(scenario, plan) },
    { step: 'disconnect', ms: DISCONNECT_MS },
  ];
  return { transport: runName(plan), steps, ms: steps.reduce((sum, s) => sum + s.ms, 0) };
}

/** `starts`: what each repeat starts around its phases (runner/start-plan.ts knows what and how long). */
export function plannedRun(scenario: Scenario, transports: readonly TransportPlan[], repeat: number, starts: readonly PlannedStart[]): PlannedRun {
  const phases = transports.map((plan) => plannedPhase(scenario, plan));
  const startMs = starts.reduce((sum, s) => sum + s.ms, 0);
  const repeatMs = startMs + phases.reduce((sum, p) => sum + p.ms, 0);
  return { starting: starts.map((s) => s.what), startMs, phases, repeatMs, repeat, totalMs: repeatMs * repeat };
}

/** Where a running phase's later steps end, ms still planned after `step` (not counting it). */
export function plannedAfter(phase: PlannedPhase, step: PhaseStep): number {
  const index = phase.steps.findIndex((s) => s.step === step);
  return phase.steps.slice(index + 1).reduce((sum, s) => sum + s.ms, 0);
}

/** "2m10s", "45s", "1h02m": a wall time to the second. */
export function formatWallTime(ms: number): string {
  const seconds = Math.round(ms / 1_000);
  const h = Math.floor(seconds / 3_600);
  const m = Math.floor((seconds % 3_600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

/** "~2m10s in all (4 transports × 32s + 1s to start the reference server)" or, when phases differ, each one named. */
export function describeWallTime(run: PlannedRun): string {
  const lengths = run.phases.map((p) => formatWallTime(p.ms));
  const same = lengths.every((l) => l === lengths[0]);
  const phases =
    same && run.phases.length > 1 ? `${run.phases.length} transports × ${lengths[0]}` : run.phases.map((p, i) => `${p.transport} ${lengths[i]}`).join(', ');
  const repeats = run.repeat > 1 ? `, × ${run.repeat} repeats` : '';
  const start = run.starting.length > 0 ? ` + ${formatWallTime(run.startMs)} to start ${listed(run.starting)}` : '';
  return `~${formatWallTime(run.totalMs)} in all (${phases}${start}${repeats})`;
}

/** "a", "a and b", "a, b and c". */
export function listed(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

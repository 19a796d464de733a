/**
 * Runs a sweep point by point: each point is a whole run of the scenario with its overrides
 * (every transport, --repeat times), and sweep.json is rewritten atomically after each, so a
 * sweep cut short keeps what finished and `--resume` runs only the points left. The run of one
 * point is the caller's (the CLI sets it up as `push-bench run` does): this module owns the
 * order, the file and the resumption.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { makeDirectory } from '../io/directories.js';
import type { RunOutcome } from '../runner/run.js';
import type { Scenario } from '../scenario/scenario.js';
import { packageInfo } from '../tool/package-info.js';
import type { SweepPoint } from './grid.js';
import { SweepSchema, type Sweep } from './model.js';
import type { Vary } from '../scenario/vary.js';

export const SWEEP_FILE = 'sweep.json';

export interface SweepPlan {
  file: string;
  /** The scenario's text, as read (its fingerprint ties a resumed sweep to the same inputs). */
  text: string;
  sets: readonly string[];
  axes: readonly Vary[];
  repeat: number;
  points: ReadonlyArray<SweepPoint & { scenario: Scenario }>;
  /** The recommendation asked for, kept in sweep.json so that it can be drawn again. */
  choose?: { budget: string; minimise: string };
}

interface SweepProgress {
  /** 1-based, counting the points this invocation runs. */
  ordinal: number;
  of: number;
  point: SweepPoint;
}

export interface SweepOptions {
  outDir: string;
  /** Continue the sweep.json in outDir (skip its finished points) instead of refusing to touch it. */
  resume: boolean;
  /** Start over even though outDir holds a sweep. */
  force: boolean;
  signal: AbortSignal;
  runPoint: (point: SweepPoint & { scenario: Scenario }) => Promise<RunOutcome>;
  onPoint?: (progress: SweepProgress) => void;
}

export type SweepOutcome =
  | { ok: true; sweep: Sweep; skipped: number; ran: number; interrupted: boolean; failed: number }
  /** Input that cannot go on (a sweep.json in the way, or one of other inputs): the message says what to do. */
  | { ok: false; message: string };

/** SHA-256 over what decides every point's figures, bar the varied values themselves. */
function fingerprintOf(plan: Pick<SweepPlan, 'text' | 'sets' | 'repeat'>): string {
  return createHash('sha256')
    .update(JSON.stringify([plan.text, plan.sets, plan.repeat]))
    .digest('hex');
}

export async function runSweep(plan: SweepPlan, options: SweepOptions): Promise<SweepOutcome> {
  const path = join(options.outDir, SWEEP_FILE);
  const start = await startingSweep(plan, path, options);
  if (!start.ok) return start;
  const sweep = start.sweep;
  const done = new Set(sweep.points.filter((p) => p.status === 'done').map((p) => p.key));
  const left = plan.points.filter((point) => !done.has(point.key));
  await makeDirectory(options.outDir);
  await write(path, sweep);
  let ran = 0;
  let failed = 0;
  let interrupted = false;
  for (const [i, point] of left.entries()) {
    if (options.signal.aborted) {
      interrupted = true;
      break;
    }
    options.onPoint?.({ ordinal: i + 1, of: left.length, point });
    const outcome = await options.runPoint(point);
    if (outcome.interrupted) {
      // A point cut short is not kept: --resume runs it again whole.
      interrupted = true;
      break;
    }
    ran++;
    const error = outcome.error?.message;
    if (error !== undefined) failed++;
    const entry = {
      index: point.index,
      key: point.key,
      values: point.values,
      status: error === undefined ? ('done' as const) : ('failed' as const),
      ...(error === undefined ? {} : { error }),
      result: outcome.result,
    };
    sweep.points = [...sweep.points.filter((p) => p.key !== point.key), entry].sort((a, b) => a.index - b.index);
    if (sweep.points.length === plan.points.length && sweep.points.every((p) => p.status === 'done')) sweep.finishedAt = new Date().toISOString();
    await write(path, sweep);
  }
  return { ok: true, sweep, skipped: plan.points.length - left.length, ran, interrupted, failed };
}

async function write(path: string, sweep: Sweep): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(sweep, null, 2)}\n`);
}

type Start = { ok: true; sweep: Sweep } | { ok: false; message: string };

/** A new sweep, or the one in outDir when resuming it (same inputs), or a refusal. */
async function startingSweep(plan: SweepPlan, path: string, options: SweepOptions): Promise<Start> {
  const fresh: Sweep = {
    schemaVersion: 1,
    kind: 'push-bench-sweep',
    tool: { name: packageInfo.name, version: packageInfo.version },
    scenarioFile: plan.file,
    fingerprint: fingerprintOf(plan),
    sets: [...plan.sets],
    vary: plan.axes.map((axis) => ({ path: axis.path, values: [...axis.values] })),
    repeat: plan.repeat,
    ...(plan.choose ? { choose: plan.choose } : {}),
    startedAt: new Date().toISOString(),
    points: [],
  };
  if (!existsSync(path)) {
    return options.resume
      ? { ok: false, message: `--resume: ${path} does not exist; there is no sweep to resume there (leave out --resume to start one)` }
      : { ok: true, sweep: fresh };
  }
  if (options.force) return { ok: true, sweep: fresh };
  if (!options.resume) return { ok: false, message: `${path} holds a sweep already; add --resume to finish it, --force to start over, or give another --out` };
  const previous = await readSweep(path);
  if (!previous.ok) return previous;
  const differs = differences(previous.sweep, fresh);
  if (differs.length > 0)
    return {
      ok: false,
      message: `--resume: ${path} is a sweep of other inputs (${differs.join('; ')}); resume it with the same ones, or --force to start over`,
    };
  // The recommendation asked for now is the one drawn; it does not change what was measured.
  const { choose: _previous, ...kept } = previous.sweep;
  return { ok: true, sweep: { ...kept, ...(plan.choose ? { choose: plan.choose } : {}) } };
}

function differences(previous: Sweep, now: Sweep): string[] {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  return [
    ...(previous.fingerprint === now.fingerprint ? [] : ['the scenario text, --set or --repeat changed']),
    ...(same(previous.vary, now.vary) ? [] : [`it varied ${previous.vary.map((v) => `${v.path}=${v.values.join(',')}`).join(' ')}`]),
  ];
}

export async function readSweep(path: string): Promise<{ ok: true; sweep: Sweep } | { ok: false; message: string }> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    return { ok: false, message: `cannot read ${path}: ${(error as Error).message}` };
  }
  const parsed = SweepSchema.safeParse(data);
  if (parsed.success) return { ok: true, sweep: parsed.data };
  const first = parsed.error.issues[0];
  return { ok: false, message: `${path} is not a push-bench sweep (${first ? `${first.path.join('.')}: ${first.message}` : 'invalid'})` };
}

import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgress, headline, progressMode, runningLine, type ProgressStream } from '../../src/cli/progress.js';
import type { PhaseStatus } from '../../src/runner/phase.js';
import type { PlannedRun } from '../../src/scenario/timeline.js';
import { loadFixture } from '../report/fixture.js';
import { runCli, tempFiles } from '../helpers/cli.js';
import { join } from 'node:path';

function recorder(isTTY: boolean): ProgressStream & { text: () => string; writes: string[] } {
  const writes: string[] = [];
  return { isTTY, columns: 200, writes, write: (chunk: string) => writes.push(chunk), text: () => writes.join('') };
}

const steps = [
  { step: 'connect', ms: 1_000 },
  { step: 'warm-up', ms: 1_000 },
  { step: 'measure', ms: 10_000 },
  { step: 'drain', ms: 2_000 },
  { step: 'disconnect', ms: 100 },
] as const;
const phase = (transport: string) => ({ transport, steps: steps.map((s) => ({ ...s })), ms: 14_100 });
const plan = (repeat = 1): PlannedRun => ({
  starting: ['the reference server'],
  startMs: 600,
  phases: [phase('polling'), phase('sse')],
  repeatMs: 600 + 2 * 14_100,
  repeat,
  totalMs: (600 + 2 * 14_100) * repeat,
});

const status = (overrides: Partial<PhaseStatus> = {}): PhaseStatus => ({
  transport: 'sse',
  step: 'measure',
  detail: '10000 ms',
  phaseStartedMs: 1_000,
  phasePlannedMs: 14_100,
  stepStartedMs: 3_000,
  clients: 500,
  connected: 500,
  delivered: 9_870,
  ...overrides,
});

const ESC = String.fromCharCode(27);

/** The block as it last stood: the text after the final erase. */
function lastBlock(text: string): string[] {
  const parts = text.split(new RegExp(`${ESC}\\[\\d+A\r${ESC}\\[0J`));
  return parts[parts.length - 1]!.trimEnd().split('\n');
}

const overallLeft = (line: string) => {
  const [, m, s] = /~(\d+):(\d\d) left/.exec(line)!;
  return Number(m) * 60 + Number(s);
};

afterEach(() => {
  vi.useRealTimers();
});

describe('progress mode', () => {
  it.each([
    [undefined, true, {}, false, 'tty'],
    [undefined, true, { CI: 'true' }, false, 'plain'],
    [undefined, false, {}, false, 'plain'],
    ['tty', false, {}, false, 'tty'],
    ['plain', true, {}, false, 'plain'],
    [undefined, true, {}, true, 'none'],
    ['none', true, {}, false, 'none'],
  ])('requested %s, TTY %s, env %j, quiet %s → %s', (requested, isTTY, env, quiet, mode) => {
    expect(progressMode(requested, { isTTY, write: () => true }, env, quiet)).toBe(mode);
  });
});

describe('terminal block', () => {
  it('shows a line per transport: done ones keep their figures, the running one a bar, the rest wait', () => {
    let clock = 0;
    const stream = recorder(true);
    const progress = createProgress('tty', stream, { NO_COLOR: '1' }, () => clock, { scenario: 'demo', plan: plan() });
    clock = 1_000;
    progress.status(status({ transport: 'polling', step: 'connect', stepStartedMs: 1_000 }), true);
    let block = lastBlock(stream.text());
    expect(block).toHaveLength(3);
    expect(block[0]).toMatch(/^demo · 0:01 elapsed · ~0:29 left of ~0:29$/);
    expect(block[1]).toContain('polling');
    expect(block[1]).toContain('connect');
    expect(block[2]).toMatch(/sse\s+waiting$/);
    clock = 15_000;
    const result = { ...loadFixture().transports[0]!, transport: 'polling' };
    progress.done(result);
    clock = 16_000;
    progress.status(status({ phaseStartedMs: 16_000, stepStartedMs: 16_000, step: 'connect' }), true);
    block = lastBlock(stream.text());
    expect(block[1]).toContain(`done in 0:14 · ${headline(result)}`);
    expect(headline(result)).toMatch(/^delivered [\d,]+ · lost [\d,]+ · p50 [\d.,]+ ms · p99 [\d.,]+ ms · requests [\d,]+$/);
    expect(block[2]).toMatch(/sse\s+\[>?\s*\]\s+0% connect 0:00, ~0:01 left · 500\/500 connected · 9,870 delivered/);
    expect(stream.text()).not.toContain('\x1b[1m');
  });

  it('counts the overall ETA down across transports and repeats, never restarting', () => {
    let clock = 0;
    const stream = recorder(true);
    const progress = createProgress('tty', stream, {}, () => clock, { scenario: 'demo', plan: plan(2) });
    const lefts: number[] = [];
    const sample = () => lefts.push(overallLeft(lastBlock(stream.text())[0]!));
    for (let r = 0; r < 2; r++) {
      progress.repeat(r);
      clock += 700;
      for (const transport of ['polling', 'sse']) {
        const phaseStart = clock;
        for (const { step, ms } of steps) {
          const stepStart = clock;
          // A step that runs a little late, as on a loaded machine.
          for (let t = 0; t <= ms + 300; t += 250) {
            clock = stepStart + t;
            progress.status(status({ transport, step, phaseStartedMs: phaseStart, stepStartedMs: stepStart }), t === 0);
            sample();
          }
        }
        progress.done({ ...loadFixture().transports[0]!, transport });
        sample();
      }
    }
    progress.finish();
    for (let i = 1; i < lefts.length; i++) expect(lefts[i]).toBeLessThanOrEqual(lefts[i - 1]!);
    expect(lefts[0]).toBeGreaterThan(50);
    expect(lefts.at(-1)).toBe(0);
  });

  it('redraws at most about 4 times a second however often statuses come', () => {
    let clock = 0;
    const stream = recorder(true);
    const progress = createProgress('tty', stream, {}, () => clock, { scenario: 'demo', plan: plan() });
    for (clock = 0; clock < 2_000; clock += 10) progress.status(status({ transport: 'polling' }), false);
    expect(stream.writes.length).toBeLessThanOrEqual(9);
  });

  it('prints log lines above the block, and redraws the block below them', () => {
    const stream = recorder(true);
    const progress = createProgress('tty', stream, {}, () => 0, { scenario: 'demo', plan: plan() });
    progress.status(status({ transport: 'polling' }), true);
    progress.log('warning: something');
    const text = stream.text();
    const after = text.slice(text.lastIndexOf('warning: something'));
    expect(text.lastIndexOf('\x1b[3A\r\x1b[0J')).toBeLessThan(text.lastIndexOf('warning: something'));
    expect(after.split('\n').slice(1, 4).join('\n')).toMatch(/^demo .*\n.*polling.*\n.*sse\s+waiting/);
  });

  it('with NO_COLOR writes no colour codes', () => {
    const stream = recorder(true);
    const progress = createProgress('tty', stream, { NO_COLOR: '1' }, () => 0, { scenario: 'demo', plan: plan() });
    progress.done({ ...loadFixture().transports[0]!, transport: 'polling' });
    expect(stream.text()).not.toMatch(new RegExp(`${ESC}\\[[\\d;]*m`));
  });

  it('ticks on its own while nothing reports, saying what is being started', () => {
    vi.useFakeTimers();
    let clock = 0;
    const stream = recorder(true);
    const progress = createProgress('tty', stream, { NO_COLOR: '1' }, () => clock, { scenario: 'demo', plan: plan() });
    clock = 2_000;
    vi.advanceTimersByTime(300);
    // The start overran its 0.6 s plan: the phases' 28.2 s are still all ahead.
    expect(lastBlock(stream.text())[0]).toBe('demo · 0:02 elapsed · ~0:29 left of ~0:29 · starting the reference server');
    clock = 3_000;
    progress.status(status({ transport: 'polling', step: 'connect', phaseStartedMs: 3_000, stepStartedMs: 3_000 }), true);
    expect(lastBlock(stream.text())[0]).not.toContain('starting');
    progress.finish();
    // Finished: the ticker is gone and the block stays as it was left.
    const written = stream.writes.length;
    clock = 10_000;
    vi.advanceTimersByTime(2_000);
    expect(stream.writes.length).toBe(written);
  });

  it('marks a transport whose phase failed, keeping what it measured', () => {
    const stream = recorder(true);
    const progress = createProgress('tty', stream, { NO_COLOR: '1' }, () => 0, { scenario: 'demo', plan: plan() });
    const fixture = loadFixture().transports[0]!;
    const died = { ...fixture, transport: 'polling', warnings: [{ code: 'server-died' as const, message: 'the reference server died' }] };
    progress.done(died);
    expect(lastBlock(stream.text())[1]).toBe(`✗ polling  failed (server-died) · ${headline(died)}`);
  });

  it('marks the running transport interrupted or failed when the run ends in its middle', () => {
    let clock = 0;
    const stream = recorder(true);
    const progress = createProgress('tty', stream, { NO_COLOR: '1' }, () => clock, { scenario: 'demo', plan: plan() });
    progress.status(status({ transport: 'polling', step: 'measure', phaseStartedMs: 0, stepStartedMs: 0 }), true);
    clock = 7_000;
    progress.finish('interrupted');
    const block = lastBlock(stream.text());
    expect(block[1]).toMatch(/^✗ polling\s+interrupted after 0:07$/);
    expect(block[2]).toMatch(/sse\s+waiting$/);
  });

  it('a running line says the step, its time and ETA', () => {
    expect(runningLine(status(), 8_050, 10_000)).toBe('[=========>          ]  50% measure 0:05, ~0:05 left · 500/500 connected · 9,870 delivered');
  });
});

describe('plain progress', () => {
  it('prints one plain line per step and the finished transport’s figures, no escape codes', () => {
    const stream = recorder(false);
    const progress = createProgress('plain', stream, {}, () => 0, { scenario: 'demo', plan: plan(2) });
    progress.repeat(1);
    progress.status(status({ step: 'warm-up', detail: '3000 ms, not counted' }), true);
    progress.status(status(), false);
    progress.status(status({ step: 'drain', detail: '2000 ms' }), true);
    const result = { ...loadFixture().transports[0]!, transport: 'sse' };
    progress.done(result);
    expect(stream.text()).toBe(
      `push-bench: demo: repeat 2 of 2\n  sse: warm-up (3000 ms, not counted)\n  sse: drain (2000 ms); 9,870 delivered so far\n  sse: done · ${headline(result)}\n`,
    );
    expect(stream.text()).not.toContain('\x1b[');
  });

  it('says when a transport failed, and which one a run ended in the middle of', () => {
    const stream = recorder(false);
    const progress = createProgress('plain', stream, {}, () => 0, { scenario: 'demo', plan: plan() });
    const died = { ...loadFixture().transports[0]!, transport: 'polling', warnings: [{ code: 'nothing-delivered' as const, message: 'nothing' }] };
    progress.done(died);
    progress.status(status(), true);
    progress.finish('failed');
    expect(stream.text()).toContain(`  polling: failed (nothing-delivered) · ${headline(died)}\n`);
    expect(stream.text().endsWith('  sse: failed\n')).toBe(true);
  });

  it('prints nothing when quiet', () => {
    const stream = recorder(true);
    const progress = createProgress('none', stream, {}, () => 0, { scenario: 'demo', plan: plan() });
    progress.status(status(), true);
    progress.log('x');
    expect(stream.text()).toBe('');
  });
});

describe('progress through bin/push-bench.js', () => {
  it('draws the block when forced, and plain lines without a terminal', async () => {
    const dir = await tempFiles({
      's.yaml':
        'name: p\nduration: 1s\nwarmup: 200ms\nclients: { count: 3, rampUp: 100ms }\nevents: { rate: 40/s, audience: all }\ntransports: { websocket: {} }\n',
    });
    const live = await runCli(['run', join(dir, 's.yaml'), '--out', join(dir, 'a'), '--progress', 'tty', '--format', 'json']);
    expect(live.code, live.stderr).toBe(0);
    expect(live.stderr).toContain('\x1b[0J');
    expect(live.stderr).toMatch(/websocket\s+\[[=> ]+\]\s+\d+% measure \d:\d\d, ~\d:\d\d left · 3\/3 connected/);
    expect(live.stderr).toMatch(/websocket\s+done in \d:\d\d · delivered/);
    const plain = await runCli(['run', join(dir, 's.yaml'), '--out', join(dir, 'b'), '--format', 'json']);
    expect(plain.stderr).not.toContain('\x1b[');
    expect(plain.stderr).toContain('  websocket: measure (1000 ms)');
    expect(plain.stderr).toMatch(/ {2}websocket: done · delivered [\d,]+ · lost 0/);
    // Quiet: no progress and no table; only what the user must know (here: a scenario warning).
    const quiet = await runCli(['run', join(dir, 's.yaml'), '--out', join(dir, 'c'), '--quiet']);
    expect(quiet.stderr).not.toContain('websocket');
    expect(quiet.stderr).not.toContain('latency');
  }, 90_000);
});

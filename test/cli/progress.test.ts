import { describe, expect, it } from 'vitest';
import { createProgress, liveLine, progressMode, type ProgressStream } from '../../src/cli/progress.js';
import type { PhaseStatus } from '../../src/runner/phase.js';
import { runCli, tempFiles } from '../helpers/cli.js';
import { join } from 'node:path';

function recorder(isTTY: boolean): ProgressStream & { text: () => string } {
  let text = '';
  return { isTTY, write: (chunk: string) => (text += chunk), text: () => text };
}

const status = (overrides: Partial<PhaseStatus> = {}): PhaseStatus => ({
  transport: 'sse',
  step: 'measure',
  detail: '20000 ms',
  phaseStartedMs: 1_000,
  phasePlannedMs: 30_000,
  clients: 500,
  connected: 500,
  delivered: 9_870,
  ...overrides,
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

describe('progress output', () => {
  it('on a terminal rewrites one line with time elapsed and left, clients and deliveries', () => {
    expect(liveLine(status(), 13_500)).toBe('sse · measure · 0:12 elapsed, ~0:17 left · 500/500 connected · 9,870 delivered');
    const stream = recorder(true);
    const progress = createProgress('tty', stream, {}, () => 13_500);
    progress.status(status(), true);
    progress.log('a permanent line');
    progress.finish();
    expect(stream.text()).toBe(
      '\r\x1b[2K\x1b[1msse\x1b[22m · measure · 0:12 elapsed, ~0:17 left · 500/500 connected · 9,870 delivered\r\x1b[2Ka permanent line\n',
    );
  });

  it('has no colour with NO_COLOR', () => {
    const stream = recorder(true);
    createProgress('tty', stream, { NO_COLOR: '1' }, () => 0).status(status(), true);
    expect(stream.text()).not.toContain('\x1b[1m');
  });

  it('elsewhere prints one plain line per step and nothing in between', () => {
    const stream = recorder(false);
    const progress = createProgress('plain', stream, {}, () => 0);
    progress.status(status({ step: 'warm-up', detail: '3000 ms, not counted' }), true);
    progress.status(status(), false);
    progress.status(status({ step: 'drain', detail: '2000 ms' }), true);
    expect(stream.text()).toBe('  sse: warm-up (3000 ms, not counted)\n  sse: drain (2000 ms); 9,870 delivered so far\n');
  });

  it('prints nothing when quiet', () => {
    const stream = recorder(true);
    const progress = createProgress('none', stream, {}, () => 0);
    progress.status(status(), true);
    progress.log('x');
    expect(stream.text()).toBe('');
  });
});

describe('progress through bin/push-bench.js', () => {
  it('draws the live line when forced, and plain lines without a terminal', async () => {
    const dir = await tempFiles({
      's.yaml':
        'name: p\nduration: 1s\nwarmup: 200ms\nclients: { count: 3, rampUp: 100ms }\nevents: { rate: 40/s, audience: all }\ntransports: { websocket: {} }\n',
    });
    const live = await runCli(['run', join(dir, 's.yaml'), '--out', join(dir, 'a'), '--progress', 'tty', '--format', 'json']);
    expect(live.code, live.stderr).toBe(0);
    expect(live.stderr).toContain('\r\x1b[2K');
    expect(live.stderr).toMatch(/websocket · measure · \d:\d\d elapsed, ~\d:\d\d left · 3\/3 connected/);
    const plain = await runCli(['run', join(dir, 's.yaml'), '--out', join(dir, 'b'), '--format', 'json']);
    expect(plain.stderr).not.toContain('\x1b[');
    expect(plain.stderr).toContain('  websocket: measure (1000 ms)');
    // Quiet: no progress and no table; only what the user must know (here: a scenario warning).
    const quiet = await runCli(['run', join(dir, 's.yaml'), '--out', join(dir, 'c'), '--quiet']);
    expect(quiet.stderr).not.toContain('websocket');
    expect(quiet.stderr).not.toContain('latency');
  }, 90_000);
});

/**
 * A reference server split over three processes: every event reaches each recipient once, with
 * contiguous per-client sequence numbers, for each backplane and the main transports; and
 * nothing started for the run outlives it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/report/model.js';
import { backplaneMissing } from '../../src/runner/backplane-process.js';
import { scenarioOf, runToResult } from '../helpers/run.js';

const TRANSPORTS = ['polling', 'long-polling', 'sse', 'websocket'];

/** Half the events to all, half to one client: the split both whole broadcasts and single recipients. */
function scenario(backplane: string): string {
  return `name: sharded-${backplane}
duration: 2s
warmup: 300ms
drain: 1s
clients: { count: 12, rampUp: 200ms }
events: { rate: 30/s, arrival: uniform, payload: 64B, audience: 50% }
server: { processes: 3, backplane: ${backplane} }
transports:
  polling: { interval: 100ms }
  long-polling: {}
  sse: {}
  websocket: {}
`;
}

/** PIDs pgrep finds with these arguments now (none: an empty list). */
function pgrep(...args: string[]): string[] {
  try {
    return execFileSync('pgrep', args, { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * This test process's live children: the server processes, client processes and backplane a run
 * starts. A zombie is dead already (a killed guard shell that Node reaps when it gets to it).
 */
const children = () => pgrep('-P', String(process.pid)).filter((pid) => !isZombie(pid));

function isZombie(pid: string): boolean {
  try {
    // The state follows the command name in parentheses: "123 (sh) Z ...".
    return /\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // gone meanwhile
  }
}

function expectEveryEventOnce(result: Result): void {
  expect(result.transports.map((t) => t.transport)).toEqual(TRANSPORTS);
  for (const transport of result.transports) {
    const { events } = transport;
    expect.soft(events.expected, transport.transport).toBeGreaterThan(0);
    expect.soft(events, transport.transport).toMatchObject({ delivered: events.expected, lost: 0, duplicated: 0, reordered: 0 });
    expect
      .soft(
        transport.warnings.map((w) => w.code),
        transport.transport,
      )
      .not.toContain('recipients-mismatch');
    expect.soft(transport.server.processes).toBe(3);
    expect.soft(transport.server.cpuMsMax!).toBeGreaterThanOrEqual(transport.server.cpuMsMin!);
    expect.soft(transport.server.cpuMs!).toBeGreaterThanOrEqual(transport.server.cpuMsMax!);
  }
  expect(result.target).toMatchObject({ processes: 3 });
}

describe.each(['direct', 'redis', 'nats'] as const)('three server processes, backplane %s', (backplane) => {
  // Like the broker tests: skipped where the program is not installed (.ci/run installs it).
  it.skipIf(backplaneMissing(backplane) !== null)(
    'delivers every event once to each recipient, per transport, and leaves no process behind',
    async () => {
      const before = children();
      const result = await runToResult(scenarioOf(scenario(backplane), `${backplane}.yaml`), 2);
      expectEveryEventOnce(result);
      expect(result.target.backplane).toBe(backplane);
      for (const transport of result.transports) {
        if (backplane === 'direct') expect(transport.backplane).toBeUndefined();
        else expect(transport.backplane).toMatchObject({ kind: backplane, cpuMs: expect.any(Number) as number, rssPeakBytes: expect.any(Number) as number });
      }
      expect(children()).toEqual(before);
    },
    90_000,
  );
});

import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseResult, type Result, type TransportResult } from '../../src/report/model.js';
import { servedModules } from '../../src/transports/catalog.js';

/** The reference server's transports (the broker ones have tests of their own, test/brokers/). */
const TRANSPORTS = servedModules();
const TRANSPORT_NAMES = TRANSPORTS.map((module) => module.name);
import { runCli, tempFiles } from '../helpers/cli.js';

/** Every transport of the catalog with its defaults, except a polling interval that fits the window. */
const TRANSPORT_ENTRIES = TRANSPORT_NAMES.map((name) => `  ${name}: ${name === 'polling' ? '{ interval: 1s }' : '{}'}`).join('\n');

const SCENARIO = `name: e2e
duration: 3s
warmup: 1s
clients: { count: 20, rampUp: 500ms }
events: { rate: 20/s, arrival: uniform, payload: 100B, audience: all }
transports:
${TRANSPORT_ENTRIES}
thresholds:
  - sse.events.lost <= 0
`;

describe('push-bench run, end to end through bin/push-bench.js', () => {
  let dir: string;
  let run: { code: number; stdout: string; stderr: string };
  let result: Result;
  const transport = (name: string): TransportResult => {
    const found = result.transports.find((t) => t.transport === name);
    if (!found) throw new Error(`no ${name} in result`);
    return found;
  };

  beforeAll(async () => {
    dir = await tempFiles({ 'e2e.yaml': SCENARIO });
    run = await runCli(['run', join(dir, 'e2e.yaml'), '--out', join(dir, 'out')]);
    result = parseResult(JSON.parse(await readFile(join(dir, 'out', 'result.json'), 'utf8')));
  }, 180_000);
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('exits 0 and writes the three files and the table', async () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('latency p99');
    const csv = await readFile(join(dir, 'out', 'result.csv'), 'utf8');
    const md = await readFile(join(dir, 'out', 'result.md'), 'utf8');
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(1 + TRANSPORT_NAMES.length);
    expect(md).toContain('| websocket |');
  });

  it('runs every transport and checks the threshold', () => {
    expect(result.transports.map((t) => t.transport)).toEqual(TRANSPORT_NAMES);
    expect(result.thresholds).toEqual([{ expr: 'sse.events.lost <= 0', actual: 0, ok: true }]);
    expect(result.finishedAt).toBeDefined();
  });

  it('records the retention the reference server ran with: 30 s past two poll intervals', () => {
    expect(result.target.retention).toEqual({ maxEventsPerClient: 1000, maxAgeMs: 32_000 });
  });

  it.each(TRANSPORT_NAMES)('%s delivers every expected event exactly once', (name) => {
    const { events, latencyMs } = transport(name);
    // 20 events/s × 3 s, evenly spaced from half a gap in: exactly 60 events, each to all 20 clients.
    expect(events.published).toBe(60);
    expect(events.expected).toBe(1_200);
    expect(events).toMatchObject({ delivered: 1_200, lost: 0, duplicated: 0 });
    expect(latencyMs.count).toBe(1_200);
  });

  it.each(TRANSPORT_NAMES)('%s moved more bytes than the payload it delivered', (name) => {
    const t = transport(name);
    expect(t.payloadBytesDelivered).toBe(1_200 * 100);
    expect(t.bytes.down).toBeGreaterThan(t.payloadBytesDelivered);
    expect(t.bytes.phase.down).toBeGreaterThanOrEqual(t.bytes.down);
    expect(t.server.cpuMs).toBeGreaterThan(0);
  });

  it.each(TRANSPORTS.filter((module) => module.style === 'push').map((module) => module.name))(
    '%s: bytes per delivery as its model says one event costs on the socket',
    (name) => {
      const pair = transport(name).model?.bytesPerDelivery;
      expect(pair?.model).toBeTypeOf('number');
      expect(pair!.measured! / pair!.model!).toBeGreaterThan(0.97);
      expect(pair!.measured! / pair!.model!).toBeLessThan(1.03);
    },
  );

  it('push transports deliver far faster than short polling', () => {
    const polling = transport('polling').latencyMs.p50 ?? 0;
    // Short polling at 1 s waits about 500 ms on average; push waits for the network only.
    expect(polling).toBeGreaterThan(200);
    for (const name of ['long-polling', 'sse', 'websocket']) expect(transport(name).latencyMs.p50 ?? Infinity).toBeLessThan(polling / 4);
  });

  it('counts requests the way each transport makes them', () => {
    // 20 clients polling once a second over 3 s: about 60 polls, never one per event.
    expect(transport('polling').requests.total).toBeGreaterThan(30);
    expect(transport('polling').requests.total).toBeLessThan(120);
    // SSE and WebSocket connected before the window: no requests inside it.
    expect(transport('sse').requests.total).toBe(0);
    // One frame per event, counted in the same window as the deliveries (by intended time).
    expect(transport('websocket').frames?.down).toBe(transport('websocket').events.delivered);
  });
});

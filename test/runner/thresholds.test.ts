import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseResult } from '../../src/report/model.js';
import { evaluateThresholds } from '../../src/runner/thresholds.js';
import { parseThreshold, type Threshold } from '../../src/scenario/thresholds.js';

const result = parseResult(JSON.parse(readFileSync(join(import.meta.dirname, '../report/fixtures/result.json'), 'utf8')));
const polling = result.transports.find((t) => t.transport === 'polling')!;

function threshold(expr: string): Threshold {
  const parsed = parseThreshold(expr);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.threshold;
}

describe('threshold expressions', () => {
  it.each([
    ['websocket.latency.p99 < 50ms', 'latency.p99', '<', 50],
    ['sse.latency.p50<=1.5s', 'latency.p50', '<=', 1_500],
    ['polling.bytes.perDelivery < 2KB', 'bytes.perDelivery', '<', 2_000],
    ['polling.bytes.down < 1MiB', 'bytes.down', '<', 1_048_576],
    ['long-polling.requests.perDelivery > 0.5', 'requests.perDelivery', '>', 0.5],
    ['sse.events.lost <= 0', 'events.lost', '<=', 0],
    ['websocket.server.elu < 80%', 'server.elu', '<', 0.8],
    ['websocket.server.elu < 0.8', 'server.elu', '<', 0.8],
    ['sse.server.cpu < 2s', 'server.cpu', '<', 2_000],
    ['sse.client.rssPeak >= 10MB', 'client.rssPeak', '>=', 10_000_000],
    ['  sse.connect.p99   <   1m  ', 'connect.p99', '<', 60_000],
  ])('%s', (expr, figure, op, limit) => {
    expect(threshold(expr)).toMatchObject({ figure, op, limit });
  });

  it.each([
    ['sse.server.cpu < 2s', 'server.cpuMs'],
    ['sse.server.rssPeak < 2GB', 'server.rssPeakBytes'],
    ['sse.client.cpu < 2s', 'client.cpuMs'],
    ['sse.client.rssPeak < 2GB', 'client.rssPeakBytes'],
    ['sse.latency.p99 < 2s', 'latency.p99'],
  ])('%s names the catalog figure %s', (expr, id) => {
    expect(threshold(expr).definition.id).toBe(id);
  });

  it.each([
    ['websocket.latency.p99 50ms', 'is not a threshold expression'],
    ['websocket.latency.p99 == 50ms', 'is not a threshold expression'],
    ['ws.latency.p99 < 50ms', 'names transport "ws"'],
    ['sse.latency.p42 < 1s', 'names figure "latency.p42"'],
    ['sse.latency.p99 < 50', 'write a duration such as "50ms"'],
    ['sse.bytes.down < 5ms', 'write a size such as "2KB"'],
    ['sse.events.lost < 1%', 'write a plain number'],
    ['sse.latency.p99 < -5ms', 'write a duration'],
    ['', 'is not a threshold expression'],
  ])('%j is refused: %s', (expr, message) => {
    const parsed = parseThreshold(expr);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(message);
  });
});

describe('documented thresholds', () => {
  const documents = [
    'README.md',
    ...readdirSync('docs')
      .filter((name) => name.endsWith('.md'))
      .map((name) => join('docs', name)),
    ...readdirSync('scenarios')
      .filter((name) => name.endsWith('.yaml'))
      .map((name) => join('scenarios', name)),
  ];
  const written = documents.flatMap((path) =>
    [...readFileSync(path, 'utf8').matchAll(/\b(?:long-polling|polling|sse|websocket)\.[\w.]+ *(?:<=|>=|<|>) *[\d.]+[A-Za-z%]*/g)].map(
      (match) => [path, match[0]] as const,
    ),
  );

  it('are found', () => expect(written.length).toBeGreaterThan(5));

  it.each(written)('%s: %s parses', (_, expr) => {
    expect(parseThreshold(expr)).toMatchObject({ ok: true });
  });
});

describe('an unknown figure', () => {
  it.each([
    ['sse.server.cpuMs < 2s', 'did you mean "server.cpu"?'],
    ['sse.latncy.p99 < 2s', 'did you mean "latency.p99"?'],
  ])('%s: suggests the nearest name', (expr, suggestion) => {
    const parsed = parseThreshold(expr);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(suggestion);
  });

  it('lists every valid name, grouped', () => {
    const parsed = parseThreshold('sse.nothing.here < 1');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.message).toContain('latency.{min,p50,p90,p99,p999,max,mean}');
    expect(parsed.message).toContain('server.{cpu,rssPeak,elu,heartbeats,heartbeatBytes}');
    expect(parsed.message).toContain('offline.recover.{p50,p99,max}');
    expect(parsed.message).toContain('client.{cpu,rssPeak,elu}');
  });
});

describe('threshold evaluation', () => {
  it.each([
    [`polling.latency.p99 < ${polling.latencyMs.p99! + 1}ms`, true],
    [`polling.latency.p99 < ${polling.latencyMs.p99}ms`, false],
    [`polling.latency.p99 <= ${polling.latencyMs.p99}ms`, true],
    [`polling.events.lost >= ${polling.events.lost}`, true],
    [`polling.events.lost > ${polling.events.lost}`, false],
    [`polling.requests.total > 0`, true],
  ])('%s holds: %s', (expr, ok) => {
    const [outcome] = evaluateThresholds(result, [threshold(expr)]);
    expect(outcome?.ok).toBe(ok);
  });

  it('reports the actual value in the base unit', () => {
    expect(evaluateThresholds(result, [threshold('polling.latency.p99 < 1ms')])).toEqual([
      { expr: 'polling.latency.p99 < 1ms', actual: polling.latencyMs.p99, ok: false },
    ]);
  });

  it('does not let a figure that was not measured pass', () => {
    const nullLatency = result.transports.find((t) => t.latencyMs.p99 === null);
    expect(nullLatency, 'the fixture has a transport without latency').toBeDefined();
    const [outcome] = evaluateThresholds(result, [threshold(`${nullLatency!.transport}.latency.p99 < 1h`)]);
    expect(outcome).toMatchObject({ actual: null, ok: false });
  });

  it('skips thresholds of transports that did not run', () => {
    expect(evaluateThresholds({ transports: [polling] }, [threshold('sse.latency.p99 < 1s')])).toEqual([]);
  });
});

/**
 * sse-h2 through the whole run: a certificate made for the run, the server's TLS listener, two
 * client processes whose clients share HTTP/2 connections four at a time; every event accounted
 * for, and the bytes those shared connections moved.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseResult, type TransportResult } from '../../src/report/model.js';
import { runCli, tempFiles } from '../helpers/cli.js';

const SCENARIO = `name: sse-h2-e2e
duration: 3s
warmup: 1s
clients: { count: 16, rampUp: 500ms }
events: { rate: 20/s, arrival: uniform, payload: 100B, audience: all }
transports:
  sse-h2: { streamsPerConnection: 4 }
`;

describe('push-bench run with sse-h2, four streams per connection', () => {
  let dir: string;
  let run: { code: number; stdout: string; stderr: string };
  let result: TransportResult;

  beforeAll(async () => {
    dir = await tempFiles({ 'e2e.yaml': SCENARIO });
    run = await runCli(['run', join(dir, 'e2e.yaml'), '--out', join(dir, 'out'), '--client-processes', '2', '--format', 'json']);
    result = parseResult(JSON.parse(await readFile(join(dir, 'out', 'result.json'), 'utf8'))).transports[0]!;
  }, 120_000);
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('delivers every expected event exactly once', () => {
    expect(run.code, run.stderr).toBe(0);
    // 20 events/s × 3 s, evenly spaced: exactly 60 events, each to all 16 clients.
    expect(result.events).toMatchObject({ published: 60, expected: 960, delivered: 960, lost: 0, duplicated: 0 });
    expect(result.requests.failed).toBe(0);
    // Nothing failed or dropped; a small run may warn of its few samples, a loaded machine of publish lag.
    expect(result.warnings.filter((w) => w.code !== 'few-samples' && w.code !== 'publish-lag')).toEqual([]);
  });

  it('shares TLS records between the streams of a connection, as the model says', () => {
    // One record per event for four streams: 22/4 bytes of TLS per event where a connection per client pays 22.
    const pair = result.model?.bytesPerDelivery;
    expect(pair!.measured! / pair!.model!).toBeGreaterThan(0.97);
    expect(pair!.measured! / pair!.model!).toBeLessThan(1.03);
  });
});

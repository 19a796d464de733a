/**
 * The conformance check: the reference server passes every rule; a server with one fault fails
 * the rules that fault breaks, and only those.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck, type RuleResult } from '../../src/check/check.js';
import { RULES } from '../../src/check/catalog.js';
import { startReferenceServer, type RunningServer } from '../../src/server/index.js';
import { TRANSPORT_NAMES } from '../../src/transports/catalog.js';
import { startBrokenServer, type Fault } from './broken-server.js';

const failed = (results: readonly RuleResult[]) => results.filter((result) => result.verdict === 'fail');

describe('push-bench check', () => {
  let reference: RunningServer;
  beforeAll(async () => {
    reference = await startReferenceServer();
  });
  afterAll(async () => {
    await reference.close();
  });

  it('passes the reference server on every rule of every transport', async () => {
    const results = await runCheck({ url: reference.url, transports: TRANSPORT_NAMES });
    expect(results.map((result) => result.id)).toEqual(RULES.map((rule) => rule.id));
    expect(failed(results).map((result) => `${result.id}: ${result.detail} (sent ${result.sent}, got ${result.got})`)).toEqual([]);
    // Default options: retention (1,000 events) is within what the check tries, so gap rules really ran.
    expect(results.filter((result) => result.verdict === 'skip').map((result) => result.id)).toEqual([]);
  });

  it('runs only the rules of the transports asked for, and the control rules', async () => {
    const results = await runCheck({ url: reference.url, transports: ['sse'], rules: RULES.filter((rule) => !rule.id.endsWith('.gap-past-retention')) });
    expect(new Set(results.map((result) => result.transport))).toEqual(new Set([null, 'sse']));
  });

  it('passes the fixture server without faults on the control and polling rules (its retention is unbounded: skipped)', async () => {
    const server = await startBrokenServer();
    try {
      const results = await runCheck({ url: server.url, transports: ['polling'] });
      expect(failed(results).map((result) => `${result.id}: ${result.detail}`)).toEqual([]);
      expect(results.filter((result) => result.verdict === 'skip').map((result) => result.id)).toEqual(['polling.gap-past-retention']);
    } finally {
      await server.close();
    }
  });

  const faults: Array<{ fault: Fault; rules: string[]; detail: RegExp }> = [
    { fault: 'skip-seq', rules: ['polling.seq-contiguous', 'polling.resume-after'], detail: /seq 2 missing: expected seqs \[1,2,3\], got \[1,3\]/ },
    { fault: 'repeat-seq', rules: ['polling.seq-contiguous', 'polling.resume-after'], detail: /seq 2 repeated: expected seqs \[1,2,3\], got \[1,2,2,3\]/ },
    { fault: 'ignore-after', rules: ['polling.resume-after', 'polling.empty-answer'], detail: /seq 1 not expected: expected seqs \[2,3\], got \[1,2,3\]/ },
  ];
  it.each(faults)('names the rule a server that does $fault breaks', async ({ fault, rules, detail }) => {
    const server = await startBrokenServer({ faults: [fault] });
    try {
      const results = await runCheck({ url: server.url, transports: ['polling'], rules: RULES.filter((rule) => !rule.id.endsWith('.gap-past-retention')) });
      expect(failed(results).map((result) => result.id)).toEqual(rules);
      const first = failed(results)[0]!;
      expect(first.detail).toMatch(detail);
      expect(first.sent).toMatch(/^GET \/poll\?client=check-[0-9a-f]{6}-\d+&after=\d$/);
      expect(first.got).toMatch(/^200 \{"events":\[/);
    } finally {
      await server.close();
    }
  });

  it('fails, within its bound, every rule of a server that accepts connections and never answers', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      const started = performance.now();
      const results = await runCheck({ url: `http://127.0.0.1:${port}`, transports: ['polling'], rules: RULES.slice(0, 2) });
      expect(results.map((result) => result.verdict)).toEqual(['fail', 'fail']);
      expect(results[0]!.detail).toMatch(/^no answer within \d+ ms to GET \/health$/);
      expect(performance.now() - started).toBeLessThan(30_000);
    } finally {
      silent.close();
    }
  });
});

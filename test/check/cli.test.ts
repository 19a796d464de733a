/** `push-bench check` as a user runs it (bin/push-bench.js, no TTY): exit codes and what it prints. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceServer, type RunningServer } from '../../src/server/index.js';
import { runCli } from '../helpers/cli.js';
import { startBrokenServer } from './broken-server.js';

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

describe('push-bench check (CLI)', () => {
  let reference: RunningServer;
  beforeAll(async () => {
    reference = await startReferenceServer();
  });
  afterAll(async () => {
    await reference.close();
  });

  it('exit 0 on the reference server: a PASS line per rule and the summary', async () => {
    const { code, stdout } = await runCli(['check', reference.url]);
    expect(code, stdout).toBe(0);
    expect(stdout).toMatch(/^PASS {2}health\.ok +GET \/health answers 200/m);
    expect(stdout).toMatch(/^PASS {2}websocket\.unmasked-frame-1002 /m);
    expect(stdout).toMatch(/^\d+ passed, 0 failed, 0 skipped$/m);
  });

  it('exit 1 on a server that skips a seq, naming the rule with what was sent and what came back', async () => {
    const broken = await startBrokenServer({ faults: ['skip-seq'] });
    try {
      const { code, stdout } = await runCli(['check', broken.url, '--transports', 'polling']);
      expect(code, stdout).toBe(1);
      expect(stdout).toMatch(/^FAIL {2}polling\.seq-contiguous /m);
      expect(stdout).toMatch(/^ {6}why: {2}seq 2 missing: expected seqs \[1,2,3\], got \[1,3\]$/m);
      expect(stdout).toMatch(/^ {6}sent: GET \/poll\?client=check-/m);
      expect(stdout).toMatch(/^ {6}got: {2}200 \{"events":\[\{"seq":1,/m);
      expect(stdout).toMatch(/^SKIP {2}polling\.gap-past-retention /m);
      expect(stdout).not.toMatch(/^(PASS|FAIL|SKIP) {2}(long-polling|sse|websocket)\./m);
      expect(stdout).toMatch(/^\d+ passed, 2 failed, 1 skipped$/m);
    } finally {
      await broken.close();
    }
  });

  it('--format json: every rule with its verdict, sent and got', async () => {
    const broken = await startBrokenServer({ faults: ['repeat-seq'] });
    try {
      const { code, stdout } = await runCli(['check', broken.url, '--transports', 'polling', '--format', 'json']);
      expect(code).toBe(1);
      const report = JSON.parse(stdout) as { summary: { failed: number }; rules: Array<{ id: string; verdict: string; sent: string; got: string }> };
      expect(report.summary.failed).toBe(2);
      const rule = report.rules.find((r) => r.id === 'polling.seq-contiguous');
      expect(rule).toMatchObject({ verdict: 'fail', sent: expect.stringMatching(/^GET \/poll/) as unknown, got: expect.stringMatching(/^200 /) as unknown });
      expect(report.rules.find((r) => r.id === 'health.ok')).toMatchObject({ verdict: 'pass', sent: 'GET /health', got: '200 {"ok":true}' });
    } finally {
      await broken.close();
    }
  });

  it('exit 2 where nothing answers (a refused port), saying so', async () => {
    const closed = createServer();
    const url = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const { code, stderr, stdout } = await runCli(['check', url]);
    expect(code).toBe(2);
    expect(stderr).toContain(`check ${url}: nothing answers there (ECONNREFUSED)`);
    expect(stdout).toBe('');
  });

  it('a server answering 500 to everything: exit 1, every rule failed, a clear message, no hang', async () => {
    const failing = createServer((req, res) => {
      req.resume();
      res.writeHead(500, { 'content-type': 'text/plain' }).end('oops');
    });
    const url = await listen(failing);
    try {
      const started = performance.now();
      const { code, stdout, stderr } = await runCli(['check', url]);
      expect(code).toBe(1);
      expect(stdout).toMatch(/^FAIL {2}health\.ok /m);
      expect(stdout).toMatch(/^0 passed, \d+ failed, 0 skipped$/m);
      expect(stderr).toContain(`${url} did not answer GET /health with 200 {"ok": true}`);
      expect(performance.now() - started).toBeLessThan(30_000);
    } finally {
      failing.closeAllConnections();
      failing.close();
    }
  });

  it('exit 2 on bad usage, with the fix', async () => {
    expect(await runCli(['check', 'localhost:8080'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('push-bench speaks http: and https:') as unknown,
    });
    expect(await runCli(['check', 'http://127.0.0.1:1/api'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("give the server's base URL") as unknown,
    });
    expect(await runCli(['check', reference.url, '--transports', 'carrier-pigeon'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown transport "carrier-pigeon"') as unknown,
    });
    const help = await runCli(['check', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('push-bench check http://127.0.0.1:8080');
  });
});

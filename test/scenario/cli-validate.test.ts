import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/push-bench.js');

async function pushBench(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('push-bench validate (the real bin)', () => {
  let dir: string;
  const file = (name: string) => join(dir, name);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'push-bench-validate-'));
    await writeFile(file('typo.yaml'), 'name: t\nduraton: 30s\n');
    await writeFile(file('unit.yaml'), 'name: t\ntransports:\n  polling: { interval: fast }\n');
    await writeFile(file('dup.yaml'), 'name: a\nname: b\n');
    await writeFile(file('empty.yaml'), '');
    await writeFile(file('ok.yaml'), 'name: ok\nclients: { count: 20 }\nevents: { rate: 5/s, audience: all }\n');
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it.each([
    ['typo.yaml', /typo\.yaml:2:1 duraton: unknown key "duraton" \(did you mean "duration"\?\)/],
    ['unit.yaml', /unit\.yaml:3:24 transports\.polling\.interval: "fast" is not a duration; write e\.g\. "500ms", "2s"/],
    ['dup.yaml', /dup\.yaml:2:1 .*unique/i],
    ['empty.yaml', /empty\.yaml:1:1 the file is empty/],
  ])('%s exits 2 with a located message and no stack trace', async (name, message) => {
    const result = await pushBench('validate', file(name));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints one summary line for a valid file and exits 0', async () => {
    const result = await pushBench('validate', file('ok.yaml'));
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toContain('ok: polling, long-polling, sse, sse-h2, http-stream, websocket | 20 clients | 5/s poisson');
  });

  it('checks --set overrides exactly like the file', async () => {
    const good = await pushBench('validate', file('ok.yaml'), '--set', 'clients.count=2000');
    expect(good.stdout).toContain('2,000 clients');
    const bad = await pushBench('validate', file('ok.yaml'), '--set', 'clients.count=lots');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('(--set clients.count=lots) clients.count: "lots" is not a number');
  });

  it('exits 2 on an unknown flag or command', async () => {
    expect((await pushBench('validate', '--frobnicate', file('ok.yaml'))).code).toBe(2);
    const unknown = await pushBench('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
  });

  it('prints its version', async () => {
    expect((await pushBench('--version')).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

/** PUSH_BENCH_CPU_PROFILE=DIR: the children of a run leave their CPU profiles there when they are stopped. */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServerProcess } from '../../src/runner/server-process.js';

let dir: string | undefined;
afterEach(async () => {
  delete process.env.PUSH_BENCH_CPU_PROFILE;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('CPU profiles of the child processes', () => {
  it('are written into the folder named, one per child, when the child is stopped', async () => {
    dir = await mkdtemp(join(tmpdir(), 'push-bench-prof-'));
    process.env.PUSH_BENCH_CPU_PROFILE = dir;
    const server = await startServerProcess({ host: '127.0.0.1', port: 0 });
    await fetch(`${server.url}/health`);
    await server.stop();
    const files = (await readdir(dir)).filter((name) => name.endsWith('.cpuprofile'));
    expect(files).toHaveLength(1);
    const profile = JSON.parse(await readFile(join(dir, files[0]!), 'utf8')) as { nodes: unknown[]; samples: unknown[] };
    expect(profile.nodes.length).toBeGreaterThan(0);
  });
});

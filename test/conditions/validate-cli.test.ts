/** Bad network values through the real CLI: located, and exit code 2. */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempFiles } from '../helpers/cli.js';

describe('push-bench validate with bad conditions', () => {
  it('names each bad value with its place and exits 2', async () => {
    const dir = await tempFiles({ 'bad.yaml': 'name: bad\nnetwork:\n  latency: -20ms\n  bandwidth: fast\nintermediary: { idleTimeout: soon }\n' });
    try {
      const run = await runCli(['validate', join(dir, 'bad.yaml')]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('bad.yaml:3:12 network.latency: "-20ms" is negative');
      expect(run.stderr).toContain('bad.yaml:4:14 network.bandwidth: "fast" is not a bandwidth');
      expect(run.stderr).toContain('bad.yaml:5:30 intermediary.idleTimeout: "soon" is not a duration');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 20_000);
});

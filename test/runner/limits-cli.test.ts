import { spawn } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli, tempFiles } from '../helpers/cli.js';

describe('push-bench run refuses a plan the machine cannot hold, before anything starts', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempFiles({ 'big.yaml': 'name: big\nclients: { count: 1000 }\ntransports: { websocket: {} }\n' });
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('a low open-files limit: exit 2, the number it allows and the fix', async () => {
    // `ulimit -n` in sh sets the hard limit too, so Node cannot raise it back. One server process: by default there would be enough of them.
    const child = spawn('sh', ['-c', `ulimit -n 300 && exec "${process.execPath}" "${BIN}" run big.yaml --out out --server-processes 1`], {
      cwd: dir,
      env: { ...process.env, CI: 'true' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // 'close', not 'exit': stderr may still hold unread output when the process exits.
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code, stderr).toBe(2);
    expect(stderr).toMatch(/at most \d+ clients/);
    expect(stderr).toContain('raise the hard limit (as root: ulimit -Hn 1064');
    expect(await readdir(dir)).toEqual(['big.yaml']);
  });

  it('an --out that cannot be written: exit 2 naming it, before any run', async () => {
    const run = await runCli(['run', join(dir, 'big.yaml'), '--set', 'clients.count=5', '--out', join(dir, 'big.yaml', 'out')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--out: cannot write results to ${join(dir, 'big.yaml', 'out')}: a part of the path is not a folder`);
    expect(run.stderr).not.toContain('connect');
  });
});

/** `push-bench serve --token`: the bin as a user runs it. */
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

describe('push-bench serve --token', () => {
  it('refuses a token shorter than 8 characters (exit 2), also from PUSH_BENCH_TOKEN', async () => {
    const flag = await runCli(['serve', '--token', 'short']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--token (or PUSH_BENCH_TOKEN) must be at least 8 characters');
    expect((await runCli(['serve'], { PUSH_BENCH_TOKEN: 'tiny' })).code).toBe(2);
  });

  it('requires the token on control endpoints and shows it in the curl example', async () => {
    const run = startCli(['serve', '--port', '0'], { PUSH_BENCH_TOKEN: 'a-long-enough-token' });
    try {
      await waitFor(() => run.stdout().includes('Try:'), 'the endpoint list', 20_000);
      const url = /reference server on (\S+)/.exec(run.stdout())?.[1] ?? '';
      expect(run.stdout()).toContain('authorization: Bearer $PUSH_BENCH_TOKEN');
      const headers = { 'content-type': 'application/json' };
      expect((await fetch(`${url}/reset`, { method: 'POST', headers })).status).toBe(401);
      expect((await fetch(`${url}/reset`, { method: 'POST', headers: { ...headers, authorization: 'Bearer a-long-enough-token' } })).status).toBe(200);
    } finally {
      run.child.kill('SIGINT');
      expect(await run.exited).toBe(0);
    }
  });
});

/** `push-bench serve-nchan`: the bin as a user runs it, a real nginx with nchan behind it. */
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { nchanInstalled } from '../helpers/nchan.js';
import { descendants, isAlive } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';

const nchanHere = nchanInstalled();

describe('push-bench serve-nchan', () => {
  // Skipped only on a developer machine without nginx and nchan; CI installs both (.ci/run).
  it.skipIf(!nchanHere && !process.env.CI)('prints the URL to measure and the endpoints, serves them, and stops nginx on Ctrl-C', async () => {
    const run = startCli(['serve-nchan']);
    const nginx: number[] = [];
    try {
      await waitFor(() => run.stdout().includes('Try:'), 'the endpoint list', 20_000);
      const out = run.stdout();
      const [, pidText, url] = /nchan \(nginx, pid (\d+)\) on (http:\/\/127\.0\.0\.1:\d+)/.exec(out) ?? [];
      const pid = Number(pidText);
      expect(out).toContain(`--target nchan+${url} --target-pid ${pid}`);
      for (const path of ['/pub?id=a,b', '/sub?id=a', '/long-poll?id=a', '/poll?id=a', '/nchan_status']) expect(out).toContain(`${url}${path}`);
      expect(out).toContain(`curl -N -H 'Accept: text/event-stream' '${url}/sub?id=a'`);
      // nginx is the CLI's child: its master and one worker.
      nginx.push(
        ...descendants(run.child.pid!)
          .filter((p) => p.cmdline.startsWith('nginx'))
          .map((p) => p.pid),
      );
      expect(nginx).toContain(pid);
      expect(nginx).toHaveLength(2);

      expect((await fetch(`${url}/pub?id=a,b`, { method: 'POST', body: 'from the test' })).status).toBe(202);
      const poll = await fetch(`${url}/poll?id=b`);
      expect(poll.status).toBe(200);
      expect(await poll.text()).toBe('from the test');
      expect(isAlive(pid)).toBe(true);
    } finally {
      run.child.kill('SIGINT');
    }
    expect([0, 130]).toContain(await run.exited);
    expect(run.stderr()).toContain('Stopping…');
    // Stopped, master and worker, before the CLI exited; an orphan would outlive it.
    expect(nginx.filter(isAlive)).toEqual([]);
  });

  it('exits 2 naming the install command when the nchan module is missing', async () => {
    const { code, stdout, stderr } = await runCli(['serve-nchan'], { PUSH_BENCH_NCHAN_MODULE: '/nonexistent' });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/\/nonexistent is not a readable file.*apt-get install -y libnginx-mod-nchan/);
  });

  it('refuses a port that is not one (exit 2)', async () => {
    const { code, stderr } = await runCli(['serve-nchan', '--port', '70000']);
    expect(code).toBe(2);
    expect(stderr).toContain('--port "70000" is not a port');
  });
});

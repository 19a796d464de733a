/** `push-bench serve --port` on a port another process holds: bad input, with the fix, not a stack trace. */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('push-bench serve on a busy port', () => {
  it('exits 2 naming the port and how to get another', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      const { code, stderr } = await runCli(['serve', '--port', String(port)]);
      expect(code).toBe(2);
      expect(stderr).toContain(`--port ${port}: another process already listens on 127.0.0.1:${port}`);
      expect(stderr).toContain('--port 0 takes any free one');
      expect(stderr).not.toMatch(/at .*\.js:\d+/);
    } finally {
      holder.close();
    }
  }, 30_000);
});

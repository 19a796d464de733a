/** A derived export that cannot be written (a full disk, a folder in the way) does not cost the run its result. */
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseResult } from '../../src/report/model.js';
import { runCli, tempFiles } from '../helpers/cli.js';

describe('push-bench run when report.html cannot be written', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps measuring, writes result.json and the other files, names the export that failed, and exits 1', async () => {
    dir = await tempFiles({
      's.yaml':
        'name: exports\nduration: 1s\nwarmup: 0s\nclients: { count: 2, rampUp: 0s }\nevents: { rate: 20/s, audience: all }\ntransports: { sse: {}, websocket: {} }\n',
    });
    const out = join(dir, 'out');
    await mkdir(join(out, 'report.html'), { recursive: true });
    const run = await runCli(['run', join(dir, 's.yaml'), '--out', out]);
    expect(run.code).toBe(1);
    expect(run.stderr.match(/could not write .*report\.html \(it is a folder\)/g)).toHaveLength(1);
    expect(run.stderr).toContain('1 export could not be written');
    const result = parseResult(JSON.parse(await readFile(join(out, 'result.json'), 'utf8')));
    expect(result.transports.map((t) => t.transport)).toEqual(['sse', 'websocket']);
    expect(result.finishedAt).toBeDefined();
    expect(await readFile(join(out, 'result.csv'), 'utf8')).toContain('websocket');
  }, 60_000);
});

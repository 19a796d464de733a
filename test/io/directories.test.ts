import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDirectory } from '../../src/io/directories.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'push-bench-directories-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('makeDirectory', () => {
  it('creates missing parents and accepts an existing folder', async () => {
    const nested = join(dir, 'a', 'b', 'c');
    await makeDirectory(nested);
    await makeDirectory(nested);
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['c']);
  });

  it('refuses a path through a file', async () => {
    await writeFile(join(dir, 'file'), 'x');
    await expect(makeDirectory(join(dir, 'file', 'sub'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  it('answers for a path under /proc instead of hanging (Node 20 recursive mkdir never returns there)', async () => {
    await expect(makeDirectory('/proc/push-bench-nope/x')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

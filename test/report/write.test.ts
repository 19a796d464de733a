import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serialize as toCsv } from '../../src/report/csv.js';
import { readResultFile } from '../../src/report/result-file.js';
import { UnknownNameError } from '../../src/report/registry.js';
import { makeDirectory, writeFileAtomic, writeResultFiles } from '../../src/report/write.js';
import { loadFixture } from './fixture.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'push-bench-write-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeResultFiles', () => {
  const result = loadFixture();

  it('writes result.json and each derived format, nothing else', async () => {
    const out = join(dir, 'nested', 'run');
    const written = await writeResultFiles(out, result, ['csv', 'md', 'json', 'csv']);
    expect(written.map((path) => path.slice(out.length + 1))).toEqual(['result.json', 'result.csv', 'result.md']);
    expect((await readdir(out)).sort()).toEqual(['result.csv', 'result.json', 'result.md']);
    expect(await readFile(join(out, 'result.csv'), 'utf8')).toBe(toCsv(result));
    expect(await readResultFile(join(out, 'result.json'))).toEqual({ ok: true, result });
  });

  it('rejects an unknown format before writing anything', async () => {
    await expect(writeResultFiles(dir, result, ['md', 'xml'])).rejects.toBeInstanceOf(UnknownNameError);
    expect(await readdir(dir)).toEqual([]);
  });

  it('replaces an existing file whole and leaves no temporary file', async () => {
    const path = join(dir, 'result.json');
    await writeFile(path, 'old');
    await writeFileAtomic(path, 'new text');
    expect(await readFile(path, 'utf8')).toBe('new text');
    expect(await readdir(dir)).toEqual(['result.json']);
  });

  it('keeps the old file when the write fails', async () => {
    const path = join(dir, 'missing-folder', 'result.json');
    await expect(writeFileAtomic(path, 'x')).rejects.toThrow();
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('readResultFile', () => {
  it('rejects a file that does not match the schema', async () => {
    const path = join(dir, 'result.json');
    await writeFile(path, JSON.stringify({ schemaVersion: 1 }));
    const loaded = await readResultFile(path);
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.message).toContain('tool');
  });
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

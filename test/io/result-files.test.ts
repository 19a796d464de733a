import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reasonOf } from '../../src/io/fs-errors.js';
import { readResultFile, writeResultFiles } from '../../src/io/result-files.js';
import { serialize as toCsv } from '../../src/report/csv.js';
import { serialize as toJson } from '../../src/report/json.js';
import { UnknownNameError } from '../../src/report/registry.js';
import { loadFixture, rawFixture } from '../report/fixture.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'push-bench-result-files-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeResultFiles', () => {
  const result = loadFixture();

  it('writes result.json and each derived format, nothing else', async () => {
    const out = join(dir, 'nested', 'run');
    const { written } = await writeResultFiles(out, result, ['csv', 'md', 'json', 'csv']);
    expect(written.map((path) => path.slice(out.length + 1))).toEqual(['result.json', 'result.csv', 'result.md']);
    expect((await readdir(out)).sort()).toEqual(['result.csv', 'result.json', 'result.md']);
    expect(await readFile(join(out, 'result.csv'), 'utf8')).toBe(toCsv(result));
    expect(await readResultFile(join(out, 'result.json'))).toEqual({ ok: true, result });
  });

  it('rejects an unknown format before writing anything', async () => {
    await expect(writeResultFiles(dir, result, ['md', 'xml'])).rejects.toBeInstanceOf(UnknownNameError);
    expect(await readdir(dir)).toEqual([]);
  });

  it('replaces an existing result.json whole and leaves no temporary file', async () => {
    await writeFile(join(dir, 'result.json'), 'old');
    await writeResultFiles(dir, result);
    expect(await readFile(join(dir, 'result.json'), 'utf8')).toBe(toJson(result));
    expect(await readdir(dir)).toEqual(['result.json']);
  });

  it('fails with an error that names its cause, and leaves no temporary file', async () => {
    await mkdir(join(dir, 'result.json'));
    const error: unknown = await writeResultFiles(dir, result).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'EISDIR' });
    expect(reasonOf(error)).toBe('it is a folder');
    expect(await readdir(dir)).toEqual(['result.json']);
  });
});

describe('writeResultFiles after a write that was killed', () => {
  it('removes the temporary files a killed write left of the files it writes, and nothing else', async () => {
    const leftovers = ['result.json.3735928559', 'report.html.42', 'result.csv.7'];
    for (const name of [...leftovers, 'result.json.bak', 'notes.txt.12']) await writeFile(join(dir, name), 'x');
    await writeResultFiles(dir, loadFixture(), ['html']);
    expect((await readdir(dir)).sort()).toEqual(['notes.txt.12', 'report.html', 'result.csv.7', 'result.json', 'result.json.bak']);
  });
});

describe('writeResultFiles when a derived file cannot be written', () => {
  const result = loadFixture();

  it('keeps result.json and the other files, and names the file that failed and why', async () => {
    await mkdir(join(dir, 'report.html'));
    const files = await writeResultFiles(dir, result, ['html', 'csv']);
    expect(files.written.map((path) => path.slice(dir.length + 1))).toEqual(['result.json', 'result.csv']);
    expect(files.failed).toEqual([{ path: join(dir, 'report.html'), reason: 'it is a folder' }]);
    expect(await readResultFile(join(dir, 'result.json'))).toEqual({ ok: true, result });
  });
});

describe('readResultFile', () => {
  it('names a file that is missing, and one that is a folder', async () => {
    expect(await readResultFile(join(dir, 'nope.json'))).toEqual({ ok: false, message: `cannot read ${join(dir, 'nope.json')}: no such file or folder` });
    expect(await readResultFile(dir)).toEqual({ ok: false, message: `cannot read ${dir}: it is a folder; name the result.json inside it` });
  });

  it('reads back what was written', async () => {
    await writeFile(join(dir, 'result.json'), JSON.stringify(rawFixture()));
    expect((await readResultFile(join(dir, 'result.json'))).ok).toBe(true);
  });

  it('rejects a file that does not match the schema', async () => {
    const path = join(dir, 'result.json');
    await writeFile(path, JSON.stringify({ schemaVersion: 1 }));
    const loaded = await readResultFile(path);
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.message).toContain('tool');
  });
});

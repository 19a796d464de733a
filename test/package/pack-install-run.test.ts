/**
 * The path a user takes: the packed tarball installed into a fresh prefix, then `init`,
 * `validate` and a short `run` from a folder outside the repository, with the installed
 * binary; and the library example of docs/api.md, run against the installed package.
 * Packs what dist/ holds now (the global setup has just built it), without `prepare`.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '../..');
const run = promisify(execFile);
let temp: string;
let unpacked: string;
let prefix: string;
/** The node that runs the tests, first on PATH, so that the binary's `#!/usr/bin/env node` picks it too. */
const env = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`, NO_COLOR: '1', CI: 'true' };

async function exec(file: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof code === 'number' ? code : -1, stdout: stdout ?? '', stderr: stderr ?? String(error) };
  }
}

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'push-bench-package-'));
  const packed = await exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', temp], repo);
  expect(packed.code, packed.stderr).toBe(0);
  const [pack] = JSON.parse(packed.stdout) as Array<{ filename: string }>;
  const tarball = join(temp, pack!.filename);
  unpacked = join(temp, 'unpacked');
  await mkdir(unpacked);
  expect((await exec('tar', ['-xzf', tarball, '-C', unpacked], temp)).code).toBe(0);
  prefix = join(temp, 'prefix');
  const installed = await exec('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel', 'error', tarball], temp);
  expect(installed.code, installed.stderr).toBe(0);
}, 300_000);

afterAll(async () => {
  if (temp) await rm(temp, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('ships no source map whose sources it lacks', async () => {
    const root = join(unpacked, 'package');
    const files = (await readdir(root, { recursive: true, encoding: 'utf8' })).filter((file) => file.endsWith('.js') || file.endsWith('.map'));
    const problems: string[] = [];
    for (const file of files) {
      const text = await readFile(join(root, file), 'utf8');
      if (file.endsWith('.map')) {
        const { sources } = JSON.parse(text) as { sources: string[] };
        for (const source of sources) if (!existsSync(join(root, dirname(file), source))) problems.push(`${file}: source ${source} is not in the package`);
      } else {
        const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text)?.[1];
        if (url && !url.startsWith('data:') && !existsSync(join(root, dirname(file), url))) problems.push(`${file}: map ${url} is not in the package`);
      }
    }
    expect(files.length).toBeGreaterThan(100);
    expect(problems).toEqual([]);
  });

  it('ships the library entry with its types, and the license', () => {
    for (const file of ['dist/index.js', 'dist/index.d.ts', 'LICENSE', 'bin/push-bench.js'])
      expect(existsSync(join(unpacked, 'package', file)), file).toBe(true);
  });

  it('installs, and its binary runs init, validate and a short run outside the repository', async () => {
    const work = join(temp, 'work');
    await mkdir(work);
    const bin = join(prefix, 'node_modules/.bin/push-bench');
    const init = await exec(bin, ['init', 'demo'], work);
    expect(init.code, init.stderr).toBe(0);
    expect(existsSync(join(work, 'demo.yaml'))).toBe(true);

    const short = ['-s', 'duration=2s', '-s', 'warmup=1s', '-s', 'clients.count=10', '-s', 'clients.rampUp=0s'];
    const validate = await exec(bin, ['validate', 'demo.yaml', ...short], work);
    expect(validate.code, validate.stderr).toBe(0);

    const measured = await exec(bin, ['run', 'demo.yaml', '-t', 'websocket', ...short, '-o', 'out', '-q'], work);
    expect(measured.code, measured.stderr).toBe(0);
    for (const file of ['result.json', 'result.csv', 'result.md', 'report.html']) expect(existsSync(join(work, 'out', file)), file).toBe(true);
    const result = JSON.parse(await readFile(join(work, 'out/result.json'), 'utf8')) as {
      transports: Array<{ transport: string; events: { delivered: number } }>;
    };
    expect(result.transports.map((t) => t.transport)).toEqual(['websocket']);
    expect(result.transports[0]!.events.delivered).toBeGreaterThan(0);
  }, 120_000);

  it('runs the example of docs/api.md against the installed package', async () => {
    const doc = await readFile(join(repo, 'docs/api.md'), 'utf8');
    const example = /```js\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toContain("from 'push-bench'");
    // In the install prefix, 'push-bench' resolves to the installed package, as in a user's project.
    await writeFile(join(prefix, 'example.mjs'), example!);
    const ran = await exec(process.execPath, ['example.mjs'], prefix);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(/^websocket: p99 [\d.]+ ms, [1-9]\d* delivered$/m);
    expect(ran.stdout).toMatch(/^[1-9]\d* figures compared, \d+ worse$/m);
  }, 180_000);
});

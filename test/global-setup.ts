/**
 * Builds dist/ from the current sources once, before any test file runs, and again before
 * each rerun in watch mode.
 *
 * Why a build and not vitest's transform: the tests reach the code three ways, and two of
 * them leave vitest. Imports from src/ are transformed by vitest and are always fresh. But the
 * runner forks its client and server processes (from the sources, src/runner/child-process.ts
 * forks the same entry in dist/), and the CLI tests spawn bin/push-bench.js, which imports
 * dist/. Node 20 cannot run .ts files itself, and a TypeScript loader in every child would be
 * a second way to run the code that users never take. So the children run the tsc output that
 * ships, compiled here from what is on disk now.
 *
 * Cost: tsc is incremental (tsconfig.build.json keeps its .tsbuildinfo inside dist/, so that
 * deleting dist/ forces a full build): ~5 s after an edit, 10-15 s from scratch on a loaded
 * 2-core machine. When no source is newer than the last build started, even that is skipped.
 */
import { execFile } from 'node:child_process';
import { readdir, stat, writeFile, utimes } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';

const repo = join(import.meta.dirname, '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
/** Its mtime is when the last good build started: a file saved during a build counts as newer. */
const STAMP = join(repo, 'dist/.test-build-started');

async function newestInputMs(): Promise<number> {
  const sources = await readdir(join(repo, 'src'), { recursive: true });
  const inputs = [...sources.map((file) => join(repo, 'src', file)), join(repo, 'tsconfig.json'), join(repo, 'tsconfig.build.json')];
  const times = await Promise.all(inputs.map(async (file) => (await stat(file)).mtimeMs));
  return Math.max(...times);
}

async function stampMs(): Promise<number> {
  return stat(STAMP).then(
    (s) => s.mtimeMs,
    () => -Infinity,
  );
}

async function buildDist(): Promise<void> {
  if ((await newestInputMs()) < (await stampMs())) return;
  const started = new Date();
  try {
    await promisify(execFile)(process.execPath, [tsc, '-p', join(repo, 'tsconfig.build.json')], { cwd: repo });
  } catch (error) {
    // tsc prints its diagnostics on stdout; without them the failure says nothing.
    const { stdout, message } = error as { stdout?: string; message: string };
    throw new Error(`the test build of dist/ failed (tests would run stale code):\n${stdout || message}`, { cause: error });
  }
  await writeFile(STAMP, '');
  await utimes(STAMP, started, started);
}

export default async function setup(project: TestProject): Promise<void> {
  await buildDist();
  project.onTestsRerun(buildDist);
}

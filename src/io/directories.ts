import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * Creates `dir` and its missing parents, one level at a time. Not `mkdir(dir, {recursive:
 * true})`: on Node 20 that never returns for a path under /proc, and a benchmark must not
 * hang on a mistyped --out.
 */
export async function makeDirectory(dir: string): Promise<void> {
  const absolute = resolve(dir);
  const missing: string[] = [];
  for (let at = absolute; ; at = dirname(at)) {
    const found = await stat(at).catch(() => undefined);
    if (found) {
      if (!found.isDirectory()) throw Object.assign(new Error(`${at} is not a folder`), { code: 'ENOTDIR' });
      break;
    }
    missing.unshift(at);
    if (dirname(at) === at) break;
  }
  for (const at of missing)
    await mkdir(at).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
}

/** Creates `dir` if needed and checks that files can be written in it (before a run, not after). */
export async function prepareWritableDirectory(dir: string): Promise<void> {
  await makeDirectory(dir);
  await access(dir, constants.W_OK);
}

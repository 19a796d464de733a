import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Compiles the server and `serve` into test-artifacts/ (inside the repo, so that `ws` resolves
 * from node_modules) for tests that must run them as real processes, as dist/ would be.
 */
export function compileServer(): { dir: string; childJs: string; serveJs: string; cleanup(): void } {
  const dir = join(repo, 'test-artifacts', `server-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  const tsconfig = join(dir, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(repo, 'tsconfig.json'),
      compilerOptions: { rootDir: join(repo, 'src'), outDir: join(dir, 'dist'), noEmit: false, sourceMap: false },
      include: [],
      files: [join(repo, 'src/server/child.ts'), join(repo, 'src/cli/serve.ts')],
    }),
  );
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', tsconfig], { stdio: 'pipe' });
  return {
    dir,
    childJs: join(dir, 'dist/server/child.js'),
    serveJs: join(dir, 'dist/cli/serve.js'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

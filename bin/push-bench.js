#!/usr/bin/env node
// Thin shim: the CLI lives in dist/ (compiled by `npm run build`, run by `prepare` on `npm ci`).
import module from 'node:module';

// Node 22.1+ can keep the compiled code of dist/ and its dependencies on disk between runs, which
// shortens every start; Node 20 has no such cache, hence the optional call.
module.enableCompileCache?.();

// Imported only now, so that the cache above is in place before any of it compiles.
const { main } = await import('../dist/cli/main.js');

process.exitCode = await main(process.argv);

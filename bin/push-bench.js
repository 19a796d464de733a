#!/usr/bin/env node
// Thin shim: the CLI lives in dist/ (compiled by `npm run build`, run by `prepare` on `npm ci`).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv);

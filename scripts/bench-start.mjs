// How long the CLI takes to start: wall time of `--version` and the help screens, beside a bare
// `node -e ''` (the floor no CLI can beat). The cases alternate, round after round, so that a
// burst of load on a shared machine hits all of them alike; every sample counts.
// Usage: npm run bench:start [-- --runs 30]   (run `npm run build` first: the bin loads dist/)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`--runs ${JSON.stringify(values.runs)} is not a positive whole number; e.g. --runs 20`);
  process.exit(2);
}

const bin = fileURLToPath(new URL('../bin/push-bench.js', import.meta.url));
const cases = [
  { name: "node -e ''", args: ['-e', ''] },
  { name: 'push-bench --version', args: [bin, '--version'] },
  { name: 'push-bench --help', args: [bin, '--help'] },
  { name: 'push-bench run --help', args: [bin, 'run', '--help'] },
];

const samples = new Map(cases.map((c) => [c.name, []]));
for (let round = 0; round < runs; round++) {
  for (const c of cases) {
    const start = process.hrtime.bigint();
    const child = spawnSync(process.execPath, c.args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (child.status !== 0) {
      console.error(`${c.name} exited ${child.status}: ${child.stderr}`);
      process.exit(1);
    }
    samples.get(c.name).push(ms);
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const floor = median(samples.get(cases[0].name));
console.log(`Node ${process.version}, ${runs} runs each, wall time of the whole process`);
console.log(`${'command'.padEnd(24)} ${'median ms'.padStart(9)} ${'min ms'.padStart(7)} ${'max ms'.padStart(7)} ${'× node'.padStart(7)}`);
for (const c of cases) {
  const values = samples.get(c.name);
  const m = median(values);
  console.log(
    `${c.name.padEnd(24)} ${m.toFixed(0).padStart(9)} ${Math.min(...values)
      .toFixed(0)
      .padStart(7)} ${Math.max(...values)
      .toFixed(0)
      .padStart(7)} ${(m / floor).toFixed(1).padStart(7)}`,
  );
}

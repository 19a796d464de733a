/** Where a run ran, for result.json (no host name: results get shared). */
import { arch, cpus, platform, release, totalmem } from 'node:os';
import type { Result } from '../report/model.js';

export function describeEnvironment(): Result['environment'] {
  const cores = cpus();
  return {
    node: process.version,
    os: `${platform()} ${release()}`,
    arch: arch(),
    cpus: cores.length,
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    totalMemoryBytes: totalmem(),
  };
}

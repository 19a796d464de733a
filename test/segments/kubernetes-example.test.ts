/**
 * examples/kubernetes cannot run here (no cluster): this checks what can be checked without
 * one. The manifests parse, the Job is Indexed with as many pods as segments, its index
 * arithmetic gives segments 1 … N, its flags are ones run accepts, and the merge step reads
 * what the segments write.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseSegmentFlags } from '../../src/cli/segment-checks.js';
import { loadScenarioText } from '../../src/scenario/load.js';

const dir = new URL('../../examples/kubernetes/', import.meta.url);
/** The few fields of a manifest read here (each kind has some of them). */
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    completionMode?: string;
    completions: number;
    parallelism: number;
    template: { spec: { containers: Array<{ args: string[] }> } };
    ports: Array<{ port: number }>;
  };
  data: Record<string, string>;
}
const documents = (file: string) => parseAllDocuments(readFileSync(new URL(file, dir), 'utf8')).map((d) => d.toJS() as Manifest);

/** The container's shell command with JOB_COMPLETION_INDEX set, as the pod's sh -c expands it (node replaced by printf of its arguments). */
function expand(command: string, env: Record<string, string>): string[] {
  const script = `set -- ${command.replace(/^exec node \S+ /, '')}; for a in "$@"; do printf '%s\\n' "$a"; done`;
  return execFileSync('sh', ['-c', script], { env: { PATH: process.env.PATH!, ...env }, encoding: 'utf8' })
    .trim()
    .split('\n');
}

const flag = (args: string[], name: string) => args[args.indexOf(name) + 1];

describe('examples/kubernetes', () => {
  const [job] = documents('segments.yaml');
  const spec = job!.spec;
  const container = spec.template.spec.containers[0]!;

  it('is an Indexed Job with one pod per segment, running at once', () => {
    expect(job).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job' });
    expect(spec.completionMode).toBe('Indexed');
    expect(spec.parallelism).toBe(spec.completions);
  });

  it('runs segments 1 … N from JOB_COMPLETION_INDEX 0 … N−1, with flags run accepts', () => {
    const startAt = new Date(Date.now() + 180_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const segments = Array.from({ length: spec.completions }, (_, k) => {
      const args = expand(container.args[0]!, { JOB_COMPLETION_INDEX: String(k), START_AT: startAt });
      expect(args.slice(0, 2)).toEqual(['run', '/scenario/scenario.yaml']);
      expect(flag(args, '--target')).toBe('http://push-bench-server:8080');
      expect(flag(args, '--out')).toBe(`/parts/segment-${k + 1}`);
      return parseSegmentFlags({ segment: flag(args, '--segment')!, startAt: flag(args, '--start-at')! }, Date.now())!;
    });
    expect(segments.map((s) => `${s.spec.index}/${s.spec.count}`)).toEqual(Array.from({ length: spec.completions }, (_, k) => `${k + 1}/${spec.completions}`));
    expect(new Set(segments.map((s) => s.startAtMs)).size).toBe(1);
  });

  it('loads the server its --target names, with a scenario run accepts', () => {
    const server = documents('server.yaml');
    const service = server.find((d) => d.kind === 'Service')!;
    expect(`http://${service.metadata.name}:${service.spec.ports[0]!.port}`).toBe('http://push-bench-server:8080');
    const deployment = server.find((d) => d.kind === 'Deployment')!;
    expect(deployment.spec.template.spec.containers[0]!.args.slice(0, 1)).toEqual(['serve']);
    const scenario = server.find((d) => d.kind === 'ConfigMap')!.data['scenario.yaml']!;
    expect(loadScenarioText(scenario, 'scenario.yaml').ok).toBe(true);
  });

  it('merges every part the segments write', () => {
    const [merge] = documents('merge.yaml');
    const command = merge!.spec.template.spec.containers[0]!.args[0]!;
    expect(command).toContain('push-bench.js merge /parts/segment-*/result.json');
  });
});

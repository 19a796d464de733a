/** Problems found in a scenario, each tied to where it was written and worded with its fix. */
import type { z } from 'zod';
import { locate, type Position, type YamlSource } from './yaml-source.js';

type Severity = 'error' | 'warning';

export interface Problem {
  severity: Severity;
  file: string;
  /** Where in the file; absent when the value came from a `--set` override. */
  position?: Position;
  /** The `--set path=value` the value came from, if any. */
  override?: string;
  /** Dotted path of the field, e.g. `transports.polling.interval`; empty for the whole file. */
  path: string;
  message: string;
}

/** A path located in the file or in an override; built by the loader. */
export type Locator = (path: ReadonlyArray<PropertyKey>, options?: { key?: boolean }) => Pick<Problem, 'position' | 'override'>;

export function dotted(path: ReadonlyArray<PropertyKey>): string {
  return path.map(String).join('.');
}

export function formatProblem(problem: Problem): string {
  const where = problem.override
    ? `${problem.file} (--set ${problem.override})`
    : `${problem.file}:${problem.position?.line ?? 1}:${problem.position?.col ?? 1}`;
  const label = problem.severity === 'warning' ? 'warning: ' : '';
  const path = problem.path === '' ? '' : `${problem.path}: `;
  return `${where} ${label}${path}${problem.message}`;
}

/** zod issues → problems; an issue about several unknown keys becomes one problem per key. */
export function problemsFromIssues(file: string, issues: readonly z.core.$ZodIssue[], at: Locator): Problem[] {
  const problems: Problem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const lines = issue.message.split('\n');
      issue.keys.forEach((key, index) => {
        const path = [...issue.path, key];
        problems.push({ severity: 'error', file, ...at(path, { key: true }), path: dotted(path), message: lines[index] ?? issue.message });
      });
    } else {
      problems.push({ severity: 'error', file, ...at(issue.path), path: dotted(issue.path), message: issue.message });
    }
  }
  return problems;
}

export function sourceLocator(source: YamlSource | undefined): Locator {
  return (path, options) => (source ? { position: locate(source, path, options) } : { position: { line: 1, col: 1 } });
}

/** Orders problems as they appear in the file, overrides last, so reading goes top to bottom. */
export function byPosition(a: Problem, b: Problem): number {
  const line = (p: Problem) => (p.override ? Infinity : (p.position?.line ?? 0));
  const col = (p: Problem) => p.position?.col ?? 0;
  return line(a) - line(b) || col(a) - col(b);
}

/**
 * A sweep's grid: one parameter (a line of points) or two (a grid), every point a set of --set
 * overrides on one scenario. Every point is loaded and checked like a scenario before anything
 * runs, so a value that is wrong only in combination (a rate too high for a client count) is
 * found at the start, not an hour in.
 */
import { loadScenarioText } from '../scenario/load.js';
import { formatProblem } from '../scenario/problems.js';
import type { Scenario } from '../scenario/scenario.js';
import type { Vary } from '../scenario/vary.js';

/** More than two parameters would make a grid no chart can show and no machine can run soon. */
const MAX_AXES = 2;

export interface SweepPoint {
  /** 0-based, in run order: the first parameter changes fastest. */
  index: number;
  /** The value of each parameter at this point, in --vary order. */
  values: string[];
  /** `path=value` per parameter, as --set takes them. */
  overrides: string[];
  /** Names the point across runs of the sweep (what a resumed sweep matches on): `events.rate=1/s clients.count=100`. */
  key: string;
}

export type GridCheck = { ok: true; points: Array<SweepPoint & { scenario: Scenario }> } | { ok: false; problems: string[] };

/** The points of the grid, the first parameter changing fastest (it is the charts' x axis; the second, their series). */
export function expandGrid(axes: readonly Vary[]): SweepPoint[] {
  // Built from the last parameter in, each earlier one nested inside: the first ends up changing fastest.
  let combos: string[][] = [[]];
  for (const axis of [...axes].reverse()) combos = combos.flatMap((combo) => axis.values.map((value) => [value, ...combo]));
  return combos.map((values, index) => {
    const overrides = values.map((value, axis) => `${axes[axis]!.path}=${value}`);
    return { index, values, overrides, key: overrides.join(' ') };
  });
}

/**
 * The axes themselves (how many, not the same path twice, not also set by --set), then every
 * point loaded from `text` with `--set` and the point's overrides. Problems name the --vary
 * and the value; one that every point shares is said once.
 */
export function checkGrid(text: string, file: string, axes: readonly Vary[], sets: readonly string[]): GridCheck {
  if (axes.length === 0)
    return {
      ok: false,
      problems: [`${file}: a sweep needs at least one --vary, e.g. --vary events.rate=1/m,10/m,1/s, or a \`sweep: { vary: ... }\` section in the scenario`],
    };
  if (axes.length > MAX_AXES) return { ok: false, problems: [`${axes.length} --vary parameters; a sweep varies one or two (a line, or a grid)`] };
  const paths = axes.map((axis) => axis.path);
  const twice = paths.find((path, i) => paths.indexOf(path) !== i);
  if (twice !== undefined) return { ok: false, problems: [`--vary names ${twice} twice; give each parameter once, with all its values`] };
  const setAlso = sets.find((set) => paths.includes(set.slice(0, set.indexOf('='))));
  if (setAlso !== undefined) return { ok: false, problems: [`--set ${setAlso} fixes a parameter the sweep varies; drop one of them`] };

  const general = new Set<string>();
  /** Per parameter and problem, the values that have it: a problem every value has is the parameter's, not a value's. */
  const byParameter = new Map<string, { axis: number; values: Set<string> }>();
  const points: Array<SweepPoint & { scenario: Scenario }> = [];
  for (const point of expandGrid(axes)) {
    const loaded = loadScenarioText(text, file, [...sets, ...point.overrides]);
    if (loaded.ok) {
      points.push({ ...point, scenario: loaded.scenario });
      continue;
    }
    for (const problem of loaded.errors) {
      const axis = point.overrides.indexOf(problem.override ?? '');
      if (axis < 0) {
        general.add(formatProblem(problem));
        continue;
      }
      const what = `${problem.path ? `${problem.path}: ` : ''}${problem.message}`;
      const entry = byParameter.get(`${axis}\n${what}`) ?? { axis, values: new Set<string>() };
      entry.values.add(point.values[axis]!);
      byParameter.set(`${axis}\n${what}`, entry);
    }
  }
  const problems = [...general];
  for (const [key, { axis, values }] of byParameter) {
    const what = key.slice(key.indexOf('\n') + 1);
    const every = values.size === axes[axis]!.values.length;
    problems.push(`${file} (--vary ${axes[axis]!.path}${every ? '' : `, value ${[...values].join(', ')}`}) ${what}`);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, points };
}

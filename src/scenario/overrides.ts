/**
 * `--set path=value` overrides, applied to the parsed file before validation so that they are
 * checked exactly like values written in the file.
 */
import { parse as parseYamlValue } from 'yaml';

export interface Override {
  /** As typed, e.g. `clients.count=2000`. */
  raw: string;
  path: string[];
  value: unknown;
}

export type OverrideParse = { ok: true; override: Override } | { ok: false; message: string };

const PATH = /^[A-Za-z][A-Za-z0-9-]*(\.[A-Za-z][A-Za-z0-9-]*)*$/;

export function parseOverride(raw: string): OverrideParse {
  const equals = raw.indexOf('=');
  const pathText = equals < 0 ? raw : raw.slice(0, equals);
  if (equals < 0 || !PATH.test(pathText)) {
    return { ok: false, message: `${JSON.stringify(raw)} is not path=value; write e.g. --set clients.count=2000 or --set transports.polling.interval=2s` };
  }
  const valueText = raw.slice(equals + 1);
  let value: unknown;
  try {
    // The value is read as YAML so that `2000` is a number and `2s` a string, as in a file.
    value = valueText === '' ? null : parseYamlValue(valueText, { maxAliasCount: 0 });
  } catch {
    value = valueText;
  }
  return { ok: true, override: { raw, path: pathText.split('.'), value } };
}

/** Sets each override into `data` (a parsed YAML mapping); a path through a non-mapping is reported. */
export function applyOverrides(data: Record<string, unknown>, overrides: readonly Override[]): Array<{ override: Override; message: string }> {
  const problems: Array<{ override: Override; message: string }> = [];
  for (const override of overrides) {
    let target: Record<string, unknown> = data;
    const parents = override.path.slice(0, -1);
    let blocked = false;
    for (const segment of parents) {
      const next = target[segment];
      if (next === undefined || next === null) {
        target[segment] = {};
      } else if (typeof next !== 'object' || Array.isArray(next)) {
        problems.push({ override, message: `"${segment}" holds ${JSON.stringify(next)}, not a mapping, so ${override.path.join('.')} cannot be set` });
        blocked = true;
        break;
      }
      target = target[segment] as Record<string, unknown>;
    }
    if (!blocked) target[override.path[override.path.length - 1] ?? ''] = override.value;
  }
  return problems;
}

/** The override a problem's path falls under, if any (the last one wins, as when applied). */
export function overrideFor(path: ReadonlyArray<PropertyKey>, overrides: readonly Override[]): Override | undefined {
  const dotted = path.map(String);
  return [...overrides].reverse().find((o) => o.path.every((segment, i) => dotted[i] === segment));
}

import { serialize as serializeCsv, serializeAll as serializeAllCsv, type CsvLayout } from './csv.js';
import { htmlAssets } from './html-assets.js';
import { serialize as serializeHtml } from './html.js';
import { serialize as serializeJson, serializeAll as serializeAllJson } from './json.js';
import { serialize as serializeMarkdown } from './markdown.js';
import type { Result } from './model.js';
import { serialize as serializeTable } from './table.js';

/** Choices of a format's layout, from the command line. */
export interface ExportOptions {
  csvLayout?: CsvLayout;
}

/** A format a result can be rendered in. */
export interface Exporter {
  /** File extension without the dot. */
  extension: string;
  /** File name without the extension beside result.json; `result` unless set (the HTML page is report.html, as users open it). */
  baseName?: string;
  /** For a person at a terminal: `run` shows it on stderr instead of writing a file; `report` prints it. */
  terminal?: true;
  /** Pure: the whole file's text. */
  serialize: (result: Result, options?: ExportOptions) => string;
  /** Pure: several results as one document (for `--out -`); absent when the format holds one result only. */
  serializeAll?: (results: readonly Result[], options?: ExportOptions) => string;
}

/** Documents that read well one after another: a blank line between them. */
const oneAfterAnother =
  (serialize: (result: Result) => string) =>
  (results: readonly Result[]): string =>
    results.map(serialize).join('\n');

/** The formats, keyed by the name used on the command line (`--format`). */
export const exporters = {
  table: { extension: 'txt', terminal: true, serialize: serializeTable, serializeAll: oneAfterAnother(serializeTable) },
  json: { extension: 'json', serialize: serializeJson, serializeAll: serializeAllJson },
  csv: {
    extension: 'csv',
    serialize: (result: Result, options?: ExportOptions) => serializeCsv(result, options?.csvLayout),
    serializeAll: (results: readonly Result[], options?: ExportOptions) => serializeAllCsv(results, options?.csvLayout),
  },
  md: { extension: 'md', serialize: serializeMarkdown, serializeAll: oneAfterAnother(serializeMarkdown) },
  // The page inlines Chart.js, read from node_modules on first use (html-assets.ts), so the
  // HTML exporter itself stays a pure function of (result, assets).
  html: { extension: 'html', baseName: 'report', serialize: (result: Result) => serializeHtml(result, htmlAssets()) },
} as const satisfies Record<string, Exporter>;

export type ExporterName = keyof typeof exporters;

/**
 * A name that is not in a registry (a format, a transport): a usage error. The message names
 * the bad value and lists the valid ones, so the fix is on screen.
 */
export class UnknownNameError extends Error {
  /** What kind of name, e.g. "format", "transport". */
  readonly kind: string;
  /** The name given. */
  readonly given: string;
  /** Every valid name, in registry order. */
  readonly validNames: readonly string[];

  constructor(kind: string, given: string, validNames: readonly string[]) {
    super(`unknown ${kind} "${given}"; valid ${kind}s: ${validNames.join(', ')}`);
    this.name = 'UnknownNameError';
    this.kind = kind;
    this.given = given;
    this.validNames = validNames;
  }
}

/** Looks a name up in a registry, or throws UnknownNameError listing the valid names. */
export function lookup<T>(registry: Readonly<Record<string, T>>, kind: string, name: string): T {
  if (Object.hasOwn(registry, name)) return registry[name] as T;
  throw new UnknownNameError(kind, name, Object.keys(registry));
}

export function isExporterName(name: string): name is ExporterName {
  return Object.hasOwn(exporters, name);
}

/** The exporter for a `--format` name; throws UnknownNameError on an unknown one. */
export function getExporter(name: string): Exporter {
  return lookup<Exporter>(exporters, 'format', name);
}

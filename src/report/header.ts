import { MISSING } from './format.js';
import type { Result, ThresholdResult, Warning } from './model.js';

/** Facts shared by the human renderings (markdown, terminal): what ran, where, when. */

/** The scenario's name, or "scenario" when the scenario object has none. */
export function scenarioName(result: Result): string {
  const name = result.scenario['name'];
  return typeof name === 'string' && name.length > 0 ? name : 'scenario';
}

/** Said wherever a result is shown when the run did not finish (interrupted, failed, or still going). */
export const INCOMPLETE = 'INCOMPLETE: the run did not finish; the figures cover what it measured';

/** The scenario's name, and "(incomplete)" when the run did not finish: the title of a rendering. */
export function resultTitle(result: Result): string {
  return result.finishedAt === undefined ? `${scenarioName(result)} (incomplete)` : scenarioName(result);
}

/** One line: tool, node, machine, target, brokers, start time; and the INCOMPLETE label when the run did not finish. */
export function runLine(result: Result): string {
  const env = result.environment;
  return [
    `${result.tool.name} ${result.tool.version}`,
    `node ${env.node}`,
    `${env.os} ${env.arch}, ${env.cpus} × ${env.cpuModel}`,
    `target ${result.target.url}`,
    ...(result.brokers ?? []).map((broker) => `${broker.program} ${broker.url}${broker.started ? '' : ' (yours)'}`),
    `started ${result.startedAt}`,
    ...(result.finishedAt === undefined ? [INCOMPLETE] : []),
  ]
    .map(oneLine)
    .join(' · ');
}

/**
 * How to read the table, or '' when it reads as it says: after --repeat, what a cell's numbers
 * are; when the clients sent the events (a chat), what the catalog's rows, which speak of
 * publishing, mean there.
 */
export function workloadNote(result: Result): string {
  const notes: string[] = [];
  const repeats = result.repeats?.length ?? 0;
  if (repeats >= 2) {
    notes.push(
      `${repeats} repeats: each figure is their median, with (min–max; CI low–high), the 95 % confidence interval of the mean (Student t), shown from 3 repeats on; a figure every repeat agrees on stands alone.`,
    );
  }
  const chat = result.scenario['chat'] as { rooms?: unknown } | null | undefined;
  if (typeof chat === 'object' && chat !== null) {
    notes.push(
      `Chat over ${String(chat.rooms)} room(s): "events published" are the messages the clients sent in the window; latency is from a message's intended send time ` +
        'until each other member sees it; "publish lag" is from that time to the server\'s fan-out; requests, frames and bytes up include the sends.',
    );
  }
  return oneLine(notes.join(' '));
}

/** Every warning, run-wide first, then per transport, each prefixed with what it concerns. */
export function allWarnings(result: Result): Warning[] {
  const perTransport = result.transports.flatMap((transport) =>
    transport.warnings.map((warning) => ({ ...warning, transport: warning.transport ?? transport.transport })),
  );
  return [...result.warnings, ...perTransport];
}

/**
 * Text from servers and scenario files on one line, without control characters: a line
 * break would split a list item or table row, and an escape sequence could rewrite the
 * user's terminal.
 */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point: they are what this strips
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
}

/** "[polling] code: message" or "code: message" for run-wide warnings; one clean line. */
export function warningLine(warning: Warning): string {
  const scope = warning.transport === undefined ? '' : `[${warning.transport}] `;
  return oneLine(`${scope}${warning.code}: ${warning.message}`);
}

/**
 * "FAILED websocket.latency.p99 < 50ms (actual 62.1)"; actual in the figure's base unit
 * (ms, bytes, count). `padded` aligns "ok" with "FAILED" for the terminal.
 */
export function thresholdLine(threshold: ThresholdResult, padded = false): string {
  const actual = threshold.actual === null ? MISSING : String(Number(threshold.actual.toPrecision(6)));
  const verdict = threshold.ok ? (padded ? 'ok    ' : 'ok') : 'FAILED';
  return oneLine(`${verdict} ${threshold.expr} (actual ${actual})`);
}

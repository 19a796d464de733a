/**
 * `push-bench check URL`: the conformance check of a server against the wire contract. Prints
 * one line per rule as it ends (and, for a failure, what was sent and what came back), then a
 * summary. Exit 0 when no rule failed, 1 when one did, 2 for bad usage or a URL where nothing
 * answers.
 */
import { request } from 'undici';
import { runCheck, summarise, type RuleResult } from '../check/check.js';
import { RULES } from '../check/catalog.js';
import { isLoopback } from '../net/loopback.js';
import { parseTransportName, TRANSPORT_NAMES, type TransportName } from '../transports/catalog.js';
import { EXIT, UsageError, type ExitCode } from './exit-codes.js';
import type { Output } from './output.js';
import { parseTargetUrl, type TargetUrl } from '../targets/catalog.js';

export interface CheckCommandOptions {
  transports?: string;
  format?: string;
}

const FORMATS = ['text', 'json'] as const;
type CheckFormat = (typeof FORMATS)[number];

/** How long the first request may take: a server slower than this to say hello is not checked. */
const PROBE_TIMEOUT_MS = 5_000;

export async function checkCommand(target: string, options: CheckCommandOptions, out: Output): Promise<ExitCode> {
  const url = baseUrl(target);
  const transports = transportsOf(options.transports);
  const format = formatOf(options.format);
  const host = new URL(url).hostname;
  await probe(url);
  out.error(`push-bench: checking ${url}${isLoopback(host) ? '' : ` (the remote host ${host})`} against the wire contract: ${transports.join(', ')}`);
  const width = Math.max(...RULES.map((rule) => rule.id.length));
  const results = await runCheck({
    url,
    transports,
    token: process.env.PUSH_BENCH_TOKEN || undefined,
    onResult: (result) => {
      if (format === 'text') out.data(textLines(result, width).join('\n'));
    },
  });
  const summary = summarise(results);
  if (format === 'json') out.data(JSON.stringify({ url, transports, summary, rules: results }, null, 2));
  else out.data(`${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
  if (results.find((result) => result.id === 'health.ok')?.verdict === 'fail') {
    out.error(`push-bench: ${url} did not answer GET /health with 200 {"ok": true}: is it a server that speaks push-bench's wire contract (docs/protocol.md)?`);
  }
  return summary.failed > 0 ? EXIT.failed : EXIT.ok;
}

function textLines(result: RuleResult, width: number): string[] {
  const lines = [`${result.verdict.toUpperCase()}  ${result.id.padEnd(width)}  ${result.statement}`];
  const indent = ' '.repeat(6);
  if (result.verdict !== 'pass') lines.push(`${indent}why:  ${result.detail}`);
  if (result.verdict === 'fail') lines.push(`${indent}sent: ${result.sent}`, `${indent}got:  ${result.got}`);
  return lines;
}

/** The server's base URL: http(s), host and port, nothing else (its endpoints are /poll, /sse, …); a wire-contract server only. */
function baseUrl(text: string): string {
  let parsed: TargetUrl;
  try {
    parsed = parseTargetUrl(text);
  } catch (error) {
    throw new UsageError(`check ${JSON.stringify(text)}: ${(error as Error).message}`);
  }
  if (parsed.adapter.prefix !== '') {
    throw new UsageError(
      `check ${JSON.stringify(text)}: check tests servers that speak push-bench's wire contract; ${parsed.adapter.name} speaks its own, which its adapter translates: measure it with push-bench run --target ${text}`,
    );
  }
  return parsed.url;
}

function transportsOf(text: string | undefined): TransportName[] {
  if (text === undefined) return [...TRANSPORT_NAMES];
  try {
    return [...new Set(text.split(',').map((name) => parseTransportName(name.trim())))];
  } catch (error) {
    throw new UsageError(`--transports ${JSON.stringify(text)}: ${(error as Error).message}`);
  }
}

function formatOf(text: string | undefined): CheckFormat {
  const format = text ?? 'text';
  if ((FORMATS as readonly string[]).includes(format)) return format as CheckFormat;
  throw new UsageError(`--format ${JSON.stringify(format)}: unknown format; use one of ${FORMATS.join(', ')}`);
}

/** Any HTTP answer to GET /health will do (the rules judge it); no answer at all is exit 2. */
async function probe(url: string): Promise<void> {
  try {
    const response = await request(`${url}/health`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS), reset: true });
    await response.body.dump();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason =
      (error as Error).name === 'TimeoutError' || code === 'UND_ERR_ABORTED'
        ? `no answer within ${PROBE_TIMEOUT_MS} ms`
        : typeof code === 'string'
          ? code
          : (error as Error).message;
    throw new UsageError(`check ${url}: nothing answers there (${reason}); start the server first, or check the host and port`);
  }
}

/**
 * The command line: commander wiring only. Each command is one function that
 * returns an exit code; this file is the one place that maps errors to exit codes.
 */
import { Command, CommanderError, Option } from 'commander';
import { EXIT, UsageError, type ExitCode } from './exit-codes.js';
import { processOutput, type Output } from './output.js';
import { packageInfo } from '../tool/package-info.js';
// Commands load when they run (import() in each action), not here: `--version` and `--help` then
// start in a fraction of the time that loading every command and the scenario model takes.
import type { CheckCommandOptions } from './check.js';
import type { ReportCommandOptions } from './report.js';
import type { MergeCommandOptions } from './merge.js';
import type { CompareCommandOptions } from './compare.js';
import type { RunCommandOptions } from './run.js';
import type { InitOptions } from './init.js';
import type { SweepCommandOptions } from './sweep.js';
import { FIGURE_LIST } from '../scenario/threshold-figures.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** What every command's --help ends with: examples, the exit codes, and where the docs are. */
function helpFooter(examples: readonly string[], docs: string, extra: readonly string[] = []): string {
  return [
    '',
    ...extra,
    ...(extra.length > 0 ? [''] : []),
    'Examples:',
    ...examples.map((line) => `  ${line}`),
    '',
    'Exit codes: 0 ok, 1 the run failed or a threshold broke, 2 bad input, 130 interrupted.',
    `Docs: ${docs} (in the package's docs/ folder, and in the repository).`,
  ].join('\n');
}

function setOption(): Option {
  return new Option('-s, --set <path=value>', 'override a scenario value, e.g. --set clients.count=2000 (repeatable)').argParser(collect).default([]);
}

function parseToken(text: string | undefined): string | null {
  if (text === undefined) return null;
  if (text.length < 8) throw new UsageError('--token (or PUSH_BENCH_TOKEN) must be at least 8 characters; e.g. --token "$(openssl rand -hex 16)"');
  return text;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new UsageError(`--port ${JSON.stringify(text)} is not a port; use a whole number from 0 to 65535 (0 = any free port)`);
  return port;
}

/**
 * Ctrl-C (or SIGTERM) aborts the run, which stops its processes and keeps what finished. A
 * second one does not wait: it exits at once (the 'exit' hook still kills every child by PID).
 */
async function withInterrupt(command: (signal: AbortSignal) => Promise<ExitCode>): Promise<ExitCode> {
  const controller = new AbortController();
  const abort = () => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    controller.abort();
  };
  process.on('SIGINT', abort);
  process.on('SIGTERM', abort);
  try {
    return await command(controller.signal);
  } finally {
    process.off('SIGINT', abort);
    process.off('SIGTERM', abort);
  }
}

function buildProgram(out: Output, settle: (code: Promise<ExitCode> | ExitCode) => void): Command {
  const program = new Command('push-bench')
    .description('Push or pull? Measure delivery latency, requests, bytes and server cost of polling, long polling, SSE and WebSocket on one workload.')
    .version(packageInfo.version, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });

  program
    .command('run')
    .description('run scenarios over every transport and report them side by side')
    .argument('<scenario...>', 'scenario YAML files')
    .option('-t, --transports <names>', "comma-separated subset of the scenario's transports (a transport's name selects all its runs)")
    .option('-o, --out <dir>', 'output folder (default results/<scenario>-<timestamp>), or - for stdout')
    .option('--force', 'replace the result already in --out instead of refusing')
    .option('--format <list>', 'comma-separated: table (stderr), json, csv, md, html (default: all); with --out -, the one format for stdout (default json)')
    .addOption(
      new Option('--csv-layout <layout>', 'result.csv: wide (a row per transport, a column per figure) or long (a row per transport and figure)').choices([
        'wide',
        'long',
      ]),
    )
    .option('-q, --quiet', 'no table or progress on stderr')
    .addOption(
      new Option('--progress <mode>', 'progress on stderr: a live line on a terminal, plain lines otherwise')
        .choices(['auto', 'tty', 'plain', 'none'])
        .default('auto'),
    )
    .option('-n, --repeat <n>', "run the whole scenario n times; report each figure's median and spread")
    .addOption(
      new Option('--threshold <expr>', 'fail the run (exit 1) unless it holds, e.g. "sse.latency.p99 < 50ms" (repeatable)').argParser(collect).default([]),
    )
    .option(
      '--client-processes <n>',
      'client processes to shard the clients over (default: one per 2,500 clients up to one per core, and more if a process would pass its open-file limit)',
    )
    .option('--server-processes <n>', 'reference server processes to spread the clients over (default: server.processes, else enough for the open-file limit)')
    .option(
      '--target <url[,url…]>',
      'measure a running server instead of starting the reference server: http://host:port (the wire contract) or nchan+http://host:port (nginx + nchan); a list such as ref,nchan+http://… runs on each, side by side (docs/targets.md)',
    )
    .option('--target-pid <pid>', "the --target server's process on this machine: its CPU and peak memory are read from /proc")
    .option(
      '--segment <I/N>',
      'run segment I of N of the clients and their share of the publishing, against the shared --target; writes a partial result for push-bench merge (docs/distributed.md)',
    )
    .option('--start-at <time>', "with --segment: when every segment starts its schedule, ISO 8601 on the shared server's clock, e.g. 2026-11-29T12:00:00Z")
    .addOption(
      new Option(
        '--broker <url>',
        'use your own broker for the broker transports instead of starting one: amqp://user:pass@host:5672 (amqp-consume, amqp-get) or mqtt://host:1883 (mqtt); once per kind (docs/brokers.md)',
      )
        .argParser(collect)
        .default([]),
    )
    .addOption(setOption())
    .addHelpText(
      'after',
      helpFooter(
        [
          'push-bench run scenarios/notifications.yaml',
          'push-bench run my.yaml -t sse,websocket -s clients.count=2000 -o results/big',
          'push-bench run my.yaml -n 5 --threshold "sse.latency.p99 < 50ms"',
          'push-bench run scenarios/work-queue.yaml --broker amqp://guest:guest@127.0.0.1:5672',
          'push-bench run a.yaml b.yaml -o - --format json -q > results.json   # one JSON array',
          'push-bench run my.yaml -t sse --target http://10.0.0.5:8080 --segment 2/4 --start-at 2026-11-29T12:00:00Z -o parts/2',
        ],
        'docs/scenarios.md (scenario keys), docs/metrics.md (figures), docs/ci.md (thresholds in CI)',
        [`Threshold figures (<transport>.<figure> <op> <limit>): ${FIGURE_LIST}.`],
      ),
    )
    .action((files: string[], options: RunCommandOptions) =>
      settle(withInterrupt(async (signal) => (await import('./run.js')).runCommand(files, options, out, signal))),
    );

  program
    .command('sweep')
    .description('run a scenario at every point of a grid of values, every transport at every point, and find where they cross')
    .argument('<scenario>', 'scenario YAML file')
    .addOption(
      new Option(
        '--vary <path=values>',
        'a parameter and its values: a list (events.rate=1/m,10/m,1/s) or a range (events.rate=1/s..100/s x10, clients.count=100..1000 +300); once or twice',
      )
        .argParser(collect)
        .default([]),
    )
    .option('-o, --out <dir>', 'folder for sweep.json and sweep.md (default results/<scenario>-sweep-<timestamp>)')
    .option('--resume', 'finish the sweep in --out: run only the points it lacks')
    .option('--force', 'start over in an --out that holds a sweep')
    .option('-n, --repeat <n>', 'run every point n times (the spread decides what is within noise)')
    .option('--budget <expr>', 'with --minimise: what a recommendation must meet at each point, e.g. "latency.p99 < 2s"')
    .option('--minimise <figure>', 'with --budget: the cost to minimise, e.g. bytes.perDelivery')
    .option('--find <path>', 'instead of a grid: per transport, the largest value of path (e.g. clients.count) at which --until holds, doubling then bisecting')
    .option('--until <expr>', 'with --find: the condition, e.g. "latency.p99 < 1s"')
    .option('-t, --transports <names>', "comma-separated subset of the scenario's transports")
    .option('-y, --yes', 'run a sweep estimated to take over 30 minutes')
    .option('-q, --quiet', 'no progress or summary on stderr')
    .addOption(new Option('--progress <mode>', 'progress on stderr').choices(['auto', 'tty', 'plain', 'none']).default('auto'))
    .addOption(new Option('--broker <url>', 'use your own broker for the broker transports (as for run)').argParser(collect).default([]))
    .addOption(setOption())
    .addHelpText(
      'after',
      helpFooter(
        [
          "push-bench sweep scenarios/notifications.yaml --vary 'events.rate=1/m,10/m,1/s,10/s'",
          "push-bench sweep my.yaml --vary 'events.rate=1/s..100/s x10' --vary clients.count=100,1000 -n 3",
          "push-bench sweep my.yaml --vary 'events.rate=1/m,1/s' --budget 'latency.p99 < 2s' --minimise bytes.perDelivery",
          'push-bench sweep my.yaml --vary events.rate=1/m,1/s -o results/sw --resume',
          "push-bench sweep my.yaml --find clients.count --until 'latency.p99 < 1s'",
        ],
        'docs/sweeps.md',
      ),
    )
    .action((file: string, options: SweepCommandOptions) =>
      settle(withInterrupt(async (signal) => (await import('./sweep.js')).sweepCommand(file, options, out, signal))),
    );

  program
    .command('init')
    .description('write a starter scenario from an example, with the JSON Schema its editors use beside it')
    .argument('[name]', 'the scenario name, and its file <name>.yaml', 'my-scenario')
    .option(
      '--template <example>',
      'the example to start from: a name push-bench examples lists, or a word of it (chat, ticker, sparse, mobile)',
      'notifications',
    )
    .option('--force', 'replace a file of that name')
    .addHelpText('after', helpFooter(['push-bench init my-feed', 'push-bench init chat-app --template chat'], 'docs/scenarios.md'))
    .action((name: string, options: InitOptions) => settle(import('./init.js').then(({ initCommand }) => initCommand(name, options, out))));

  program
    .command('examples')
    .description('list the scenarios the package ships, with their paths')
    .action(() => settle(import('./init.js').then(({ examplesCommand }) => examplesCommand(out))));

  program
    .command('schema')
    .description('print the JSON Schema of scenario files (or write it with --out)')
    .option('--out <file>', 'write it to this file instead of stdout')
    .action((options: { out?: string }) => settle(import('./init.js').then(({ schemaCommand }) => schemaCommand(options, out))));

  program
    .command('validate')
    .description('check scenario files and say what each would run')
    .argument('<scenario...>', 'scenario YAML files')
    .addOption(setOption())
    .addHelpText(
      'after',
      helpFooter(
        ['push-bench validate my.yaml', 'push-bench validate my.yaml -s clients.count=5000', 'cat my.yaml | push-bench validate -'],
        'docs/scenarios.md',
      ),
    )
    .action((files: string[], options: { set: string[] }) =>
      settle(import('./validate.js').then(({ validateCommand }) => validateCommand(files, options, out))),
    );

  program
    .command('serve')
    .description('run the reference server alone')
    .option('--port <n>', 'port, 0 = any free port', '0')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .addOption(new Option('--token <token>', 'require "Authorization: Bearer <token>" on control endpoints (at least 8 characters)').env('PUSH_BENCH_TOKEN'))
    .action((options: { port: string; host: string; token?: string }) => {
      const serveOptions = { port: parsePort(options.port), host: options.host, token: parseToken(options.token) };
      settle(import('./serve.js').then(({ serveCommand }) => serveCommand(serveOptions) as Promise<ExitCode>));
    });

  program
    .command('serve-nchan')
    .description('run a real nginx with nchan (a push server) on 127.0.0.1, to measure with --target nchan+URL')
    .option('--port <n>', 'port, 0 = any free port', '0')
    .action((options: { port: string }) => {
      const port = parsePort(options.port);
      settle(import('./serve-nchan.js').then(({ serveNchanCommand }) => serveNchanCommand({ port }) as Promise<ExitCode>));
    });

  program
    .command('report')
    .description('re-render a saved result.json as html, md, csv, json or a terminal table')
    .argument('<result.json>')
    .option('--format <format>', 'html, md, csv, json or table (default html; table goes to stdout unless --out)')
    .option('--out <file>', 'output file (default: beside the result, e.g. result.html), or - for stdout')
    .addOption(
      new Option('--csv-layout <layout>', 'with --format csv: wide (a row per transport) or long (a row per transport and figure)').choices(['wide', 'long']),
    )
    .addHelpText(
      'after',
      helpFooter(
        [
          'push-bench report results/x/result.json',
          'push-bench report results/x/result.json --format md --out -',
          'push-bench report results/x/result.json --format table',
          'push-bench report results/x/result.json --format csv --csv-layout long --out tidy.csv',
        ],
        'docs/metrics.md',
      ),
    )
    .action((file: string, options: ReportCommandOptions) => settle(import('./report.js').then(({ reportCommand }) => reportCommand(file, options, out))));

  program
    .command('merge')
    .description("merge the partial results of a run's segments (run --segment I/N) into one result")
    .argument('<part.json...>', 'the result.json of every segment')
    .option('-o, --out <dir>', 'output folder (default results/<scenario>-merged-<timestamp>)')
    .option('--format <list>', 'comma-separated: table (stderr), json, csv, md, html (default: all)')
    .addHelpText('after', helpFooter(['push-bench merge parts/*/result.json -o results/merged'], 'docs/distributed.md'))
    .action((files: string[], options: MergeCommandOptions) => settle(import('./merge.js').then(({ mergeCommand }) => mergeCommand(files, options, out))));

  program
    .command('compare')
    .description('compare two results and flag regressions')
    .argument('<baseline.json>', 'result.json of the reference run (e.g. from main)')
    .argument('<current.json>', 'result.json of the run to judge')
    .option('--tolerance <percent>', 'smallest relative change that counts, e.g. 5%', '10%')
    .option('--format <format>', 'table (on stderr), md (Markdown on stdout) or json (one document on stdout)', 'table')
    .option('--allow-different-scenarios', 'compare runs of different workloads; their changes are labelled workload changes, never judged')
    .addHelpText(
      'after',
      helpFooter(
        [
          'push-bench compare main/result.json pr/result.json',
          'push-bench compare a/result.json b/result.json --tolerance 5% --format md > comment.md',
          'push-bench compare a/result.json b/result.json --format json | jq \'.figures[] | select(.verdict == "worse")\'',
        ],
        'docs/ci.md',
      ),
    )
    .action((baseline: string, current: string, options: CompareCommandOptions) =>
      settle(import('./compare.js').then(({ compareCommand }) => compareCommand(baseline, current, options, out))),
    );

  program
    .command('check')
    .description('check a server against the wire contract (docs/protocol.md), rule by rule: exit 1 when a rule fails')
    .argument('<url>', "the server's base URL, e.g. http://127.0.0.1:8080")
    .option('--transports <names>', 'comma-separated transports whose rules run (default: all); the control endpoints are always checked')
    .addOption(
      new Option('--format <format>', 'text: a line per rule and what a failure sent and got; json: every rule in full')
        .choices(['text', 'json'])
        .default('text'),
    )
    .addHelpText(
      'after',
      [
        '',
        'Each rule sends its own requests with client ids of its own (check-<random>-<n>) and never resets the',
        'server; control POSTs carry "Authorization: Bearer $PUSH_BENCH_TOKEN" when it is set. Every wait is',
        'bounded: a server that does not answer fails the rule, and one where nothing answers at all is exit 2.',
        '',
        'Example:',
        '  push-bench serve --port 8080 &',
        '  push-bench check http://127.0.0.1:8080 --transports polling,sse',
      ].join('\n'),
    )
    .action((url: string, options: CheckCommandOptions) => settle(import('./check.js').then(({ checkCommand }) => checkCommand(url, options, out))));

  return program;
}

/** Runs the CLI on `argv` (as process.argv) and resolves to the exit code. */
export async function main(argv: readonly string[], out: Output = processOutput): Promise<ExitCode> {
  let pending: Promise<ExitCode> = Promise.resolve(EXIT.ok);
  const program = buildProgram(out, (code) => {
    pending = Promise.resolve(code);
  });
  try {
    await program.parseAsync([...argv]);
    return await pending;
  } catch (error) {
    return exitCodeFor(error, out);
  }
}

function exitCodeFor(error: unknown, out: Output): ExitCode {
  if (error instanceof CommanderError) {
    // --help and --version end through here with code 0; commander has printed them already.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof UsageError) {
    out.error(`push-bench: ${error.message}`);
    return EXIT.usage;
  }
  out.error(`push-bench: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  out.error('This is a bug in push-bench; please report it with the command you ran.');
  return EXIT.failed;
}

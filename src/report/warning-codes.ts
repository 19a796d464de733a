/**
 * Every warning code push-bench writes, with what it means. A warning's `code` is typed by this
 * list, so a producer cannot invent a code that readers and docs/metrics.md do not know
 * (test/report/warning-codes.test.ts holds the docs to it). Codes are part of result.json's
 * contract: add new ones, never rename or remove one.
 */
interface WarningMeaning {
  /** When it is raised, one line (docs/metrics.md shows it). */
  meaning: string;
  /** The figures are written, but the run did not succeed: `push-bench run` exits 1. */
  failsRun?: true;
}

export const WARNING_CODES = {
  // From the numbers of one transport (src/report/transport-result.ts).
  'events-lost': { meaning: 'fewer unique deliveries than expected' },
  'delivered-exceeds-expected': { meaning: 'more unique deliveries than the schedule sent: the schedule and the server disagree' },
  'publish-lag': { meaning: "publish lag p99 above 10 ms: the publisher or the server's fan-out fell behind; latencies include the delay" },
  'few-samples': { meaning: 'fewer than 1,000 latency samples (p99 is then little more than the maximum) or fewer than 10,000 (p99.9)' },
  'generator-saturated': { meaning: "a client process's event-loop utilisation reached 0.9: the numbers describe the load generator, not the transport" },
  'proxy-saturated': { meaning: "a shaping proxy's event-loop utilisation reached 0.9: the emulated link, not the transport, limited the run" },
  'server-gaps': { meaning: 'the server reported events it could no longer deliver (retention passed); they count as lost' },
  'latency-clamped': { meaning: 'latencies outside 0 … 1 h were clamped into the histogram (never dropped)' },
  'connect-failures': { meaning: 'connection attempts failed' },
  'slow-clients-disconnected': { meaning: 'the server closed streams of clients that fell behind (blocked past slowConsumer.stallTimeoutMs)' },
  'slow-clients-lost-events': {
    meaning: 'clients that consume slowly (clients.consume) never got to some of their events: skipped by the server, or still queued when the run ended',
  },
  // From the runner, per transport (src/runner/phase.ts).
  'clients-not-connected': { meaning: 'clients never connected; their events count as lost' },
  'client-process-died': { meaning: 'a client process died; its clients reported nothing and the run fails (exit 1)', failsRun: true },
  'publish-failed': { meaning: 'events of the window could not be published; they count as lost and the run fails (exit 1)', failsRun: true },
  'client-failures': { meaning: 'clients reported failed requests, protocol errors or drops' },
  'recipients-mismatch': {
    meaning:
      "the server said it fanned the window's events out to fewer (or more) clients than the schedule addressed (a reset, lost registrations, a server that under-reports); expected counts from the schedule and the run fails (exit 1)",
    failsRun: true,
  },
  'nothing-delivered': { meaning: 'not one expected delivery arrived: the transport did not work; the run fails (exit 1)', failsRun: true },
  'server-died': {
    meaning:
      'the reference server died during the phase: the figures cover the part measured until then, server figures are unknown, and the run fails (exit 1)',
    failsRun: true,
  },
  'proxy-died': {
    meaning: 'a shaping proxy died during the phase: its clients lost their link, the figures cover the part measured until then, and the run fails (exit 1)',
    failsRun: true,
  },
  'generator-stalled': {
    meaning: 'a client process sent nothing for 2.5 s or more (stopped or starved of CPU): the latency tail of that time belongs to the generator',
  },
  'skipped-polls': { meaning: 'fixed-interval poll ticks were skipped because the previous poll was still in flight' },
  // For the whole run (src/runner/run.ts).
  interrupted: { meaning: 'the run was interrupted; the transports that finished are kept' },
  'run-failed': { meaning: 'the run failed; the message says why' },
  // Of a segment of a distributed run (run --segment) and of the merged result (push-bench merge).
  'clock-unaligned': { meaning: "the shared server has no GET /clock: segments started on their own machines' wall clocks, whose offset is not known" },
  'clock-uncertain': { meaning: "a segment's clock offset to the shared server is uncertain by more than a quarter of the median latency" },
  // From the check of the machine's limits before the run (src/runner/limits.ts, `limit-` + its code).
  // The first three are problems today: the run is refused before it starts, so no result has them.
  'limit-open-files-server': { meaning: 'the reference server would run out of file descriptors for this many clients' },
  'limit-open-files-client': { meaning: 'a client process would run out of file descriptors for its share of the clients' },
  'limit-ephemeral-ports': { meaning: 'the clients would run out of ephemeral ports on their source addresses' },
  'limit-memory': { meaning: 'the connections need more memory than is free now: the run may swap or be killed' },
  'limit-accept-queue': { meaning: "the ramp-up opens connections faster than the server's accept queue comfortably takes" },
  'limit-time-wait': { meaning: 'connections closed by earlier transports may still hold ports in TIME_WAIT' },
} as const satisfies Readonly<Record<string, WarningMeaning>>;

/** A warning code push-bench writes. */
export type WarningCode = keyof typeof WARNING_CODES;

export const WARNING_CODE_LIST = Object.keys(WARNING_CODES) as [WarningCode, ...WarningCode[]];

/** Codes whose warning makes `push-bench run` exit 1. */
export function failsRun(code: string): boolean {
  return (WARNING_CODES as Readonly<Record<string, WarningMeaning>>)[code]?.failsRun === true;
}

/**
 * Every warning code push-bench writes, with what it means. A warning's `code` is typed by this
 * list, so a producer cannot invent a code that readers and docs/metrics.md do not know
 * (test/report/warning-codes.test.ts holds the docs to it). Codes are part of result.json's
 * contract: add new ones, never rename or remove one.
 */
export const WARNING_CODES = {
  // From the numbers of one transport (src/report/transport-result.ts).
  'events-lost': 'fewer unique deliveries than expected',
  'delivered-exceeds-expected': 'more unique deliveries than the schedule sent: the schedule and the server disagree',
  'publish-lag': 'publish lag p99 above 10 ms: the publisher or the server\'s fan-out fell behind; latencies include the delay',
  'few-samples': 'fewer than 1,000 latency samples (p99 is then little more than the maximum) or fewer than 10,000 (p99.9)',
  'generator-saturated': 'a client process\'s event-loop utilisation reached 0.9: the numbers describe the load generator, not the transport',
  'server-gaps': 'the server reported events it could no longer deliver (retention passed); they count as lost',
  'latency-clamped': 'latencies outside 0 … 1 h were clamped into the histogram (never dropped)',
  'connect-failures': 'connection attempts failed',
  // From the runner, per transport (src/runner/phase.ts).
  'clients-not-connected': 'clients never connected; their events count as lost',
  'client-process-died': 'a client process died; its clients reported nothing and the run fails (exit 1)',
  'publish-failed': 'events of the window could not be published; they count as lost and the run fails (exit 1)',
  'client-failures': 'clients reported failed requests, protocol errors or drops',
  'skipped-polls': 'fixed-interval poll ticks were skipped because the previous poll was still in flight',
  // For the whole run (src/runner/run.ts).
  interrupted: 'the run was interrupted; the transports that finished are kept',
  'run-failed': 'the run failed; the message says why',
  // From the check of the machine's limits before the run (src/runner/limits.ts, `limit-` + its code).
  // The first three are problems today: the run is refused before it starts, so no result has them.
  'limit-open-files-server': 'the reference server would run out of file descriptors for this many clients',
  'limit-open-files-client': 'a client process would run out of file descriptors for its share of the clients',
  'limit-ephemeral-ports': 'the clients would run out of ephemeral ports on their source addresses',
  'limit-memory': 'the connections need more memory than is free now: the run may swap or be killed',
  'limit-accept-queue': 'the ramp-up opens connections faster than the server\'s accept queue comfortably takes',
  'limit-time-wait': 'connections closed by earlier transports may still hold ports in TIME_WAIT',
} as const satisfies Readonly<Record<string, string>>;

/** A warning code push-bench writes. */
export type WarningCode = keyof typeof WARNING_CODES;

export const WARNING_CODE_LIST = Object.keys(WARNING_CODES) as [WarningCode, ...WarningCode[]];

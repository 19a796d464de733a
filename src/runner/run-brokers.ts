/**
 * The brokers of one run: for each kind a broker transport of the run needs, the user's own
 * (--broker) or one started for the run and stopped at its end; and the runner's side of each.
 */
import type { Result } from '../report/model.js';
import type { TargetControl } from '../targets/control.js';
import type { TransportPlan } from '../transports/catalog.js';
import { transportModule } from '../transports/catalog.js';
import type { BrokerKind } from '../transports/module.js';
import type { ProcessWatch } from '../tool/process-usage.js';
import type { BrokerProcess } from './broker-process.js';
import { brokerOfKind } from './brokers.js';

/** A broker a phase runs against. */
export interface PhaseBroker {
  control: TargetControl;
  /** The broker's process, when the run started it: its CPU and memory are the server's figures. */
  watch?: ProcessWatch;
}

export class RunBrokers {
  private readonly started: BrokerProcess[] = [];
  private readonly byKind = new Map<BrokerKind, PhaseBroker>();
  /** What the result says of them. */
  readonly described: NonNullable<Result['brokers']> = [];

  constructor(private readonly given: Partial<Record<BrokerKind, string>>) {}

  /** Starts (or links to) every broker the plans need; on failure, what was started is stopped by the caller's stop(). */
  async start(plans: readonly TransportPlan[]): Promise<void> {
    const kinds = new Set(plans.flatMap((plan) => transportModule(plan.name).broker ?? []));
    for (const kind of kinds) {
      const broker = brokerOfKind(kind);
      const url = this.given[kind];
      if (url !== undefined) {
        this.byKind.set(kind, { control: broker.control(url) });
        this.described.push({ kind, program: broker.program, url: withoutCredentials(url), started: false });
        continue;
      }
      const running = await broker.start();
      this.started.push(running);
      this.described.push({ kind, program: broker.program, url: withoutCredentials(running.url), started: true });
      this.byKind.set(kind, { control: broker.control(running.url), watch: running.watch });
    }
  }

  /** The broker of a plan's transport; undefined for a transport the reference server (or a target) serves. */
  of(plan: TransportPlan): PhaseBroker | undefined {
    const kind = transportModule(plan.name).broker;
    return kind === undefined ? undefined : this.byKind.get(kind);
  }

  /** Aborted when a broker started for the run dies. */
  died(): AbortSignal[] {
    return this.started.map((broker) => broker.died);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.byKind.values()].map((broker) => broker.control.close().catch(() => undefined)));
    await Promise.all(this.started.map((broker) => broker.stop()));
  }
}

/** A broker URL fit for a result file: no user name or password. */
function withoutCredentials(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.toString().replace(/\/$/, '');
}

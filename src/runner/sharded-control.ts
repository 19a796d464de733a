/**
 * The control of a reference server split over several processes, as one TargetControl: each
 * client is registered with the process that holds it (client-ids.ts, serverProcessOf), and each
 * event reaches every process that holds a recipient, exactly once. `direct`: each process is
 * sent the part of the batch its clients need; a backplane: the batch is published once to Redis
 * or NATS, every process receives it and keeps its own recipients. Figures are summed over the
 * processes (CPU, RSS, counters), the event loop's busiest process stands for the whole, and each
 * process's own cost is kept beside the sums.
 */
import type { StatsSnapshot } from '../server/stats.js';
import type { BackplanePublisher } from '../server/backplane-link.js';
import type { DialectSpec, PublishAnswer, PublishSpec, TargetControl } from '../targets/control.js';
import { clientIndexOf, serverProcessOf } from './client-ids.js';

export class ShardedControl implements TargetControl {
  /** Clients registered with each process in this phase. */
  private registered: number[];

  constructor(
    private readonly controls: readonly TargetControl[],
    /** Absent: direct. */
    private readonly backplane?: BackplanePublisher,
  ) {
    this.registered = controls.map(() => 0);
  }

  get baseUrl(): string {
    return this.controls[0]!.baseUrl;
  }

  private processOf(id: string): number {
    const index = clientIndexOf(id);
    if (!Number.isInteger(index) || index < 0) throw new Error(`client id ${JSON.stringify(id)} is not c<index>: a sharded server cannot tell its process`);
    return serverProcessOf(index, this.controls.length);
  }

  private split(ids: readonly string[]): string[][] {
    const parts: string[][] = this.controls.map(() => []);
    for (const id of ids) parts[this.processOf(id)]!.push(id);
    return parts;
  }

  async register(ids: readonly string[]): Promise<void> {
    const parts = this.split(ids);
    await Promise.all(this.controls.map((control, p) => control.register(parts[p]!)));
    parts.forEach((part, p) => (this.registered[p]! += part.length));
  }

  publish(specs: readonly PublishSpec[]): Promise<PublishAnswer[]> {
    return this.backplane ? this.publishOnce(specs, this.backplane) : this.publishSplit(specs);
  }

  /** Each process gets the events (and of each, the recipients) it holds; the answer sums recipients, and the event is out when the last process has it. */
  private async publishSplit(specs: readonly PublishSpec[]): Promise<PublishAnswer[]> {
    const perProcess = this.controls.map(() => ({ specs: [] as PublishSpec[], of: [] as number[] }));
    specs.forEach((spec, s) => {
      const parts = spec.to === 'all' ? undefined : this.split(spec.to);
      perProcess.forEach((batch, p) => {
        const to = parts ? parts[p]! : 'all';
        if (to !== 'all' && to.length === 0) return;
        batch.specs.push({ ...spec, to });
        batch.of.push(s);
      });
    });
    const answers: PublishAnswer[] = specs.map((spec) => ({ id: spec.index + 1, recipients: 0, publishedAt: '0' }));
    await Promise.all(
      perProcess.map(async (batch, p) => {
        if (batch.specs.length === 0) return;
        const got = await this.controls[p]!.publish(batch.specs);
        got.forEach((answer, i) => {
          const total = answers[batch.of[i]!]!;
          total.recipients += answer.recipients;
          if (BigInt(answer.publishedAt) > BigInt(total.publishedAt)) total.publishedAt = answer.publishedAt;
        });
      }),
    );
    // An event that addressed nobody held by any process was out at once.
    const now = process.hrtime.bigint().toString();
    for (const answer of answers) if (answer.publishedAt === '0') answer.publishedAt = now;
    return answers;
  }

  /**
   * One message on the backplane for the whole batch. The processes do not answer, so the
   * recipients are those addressed (every registered client for "all"); Redis says how many
   * processes got the message, and fewer than all is a failed publish (its events count as lost).
   */
  private async publishOnce(specs: readonly PublishSpec[], backplane: BackplanePublisher): Promise<PublishAnswer[]> {
    const body = JSON.stringify(specs.map(({ to, intended, payloadBytes }) => ({ to, intended, payloadBytes })));
    const receivers = await backplane.publish(body);
    if (receivers !== null && receivers < this.controls.length)
      throw new Error(`the backplane delivered the batch to ${receivers} of ${this.controls.length} server processes: the others lost their subscription`);
    const publishedAt = process.hrtime.bigint().toString();
    const everyone = this.registered.reduce((a, b) => a + b, 0);
    return specs.map((spec) => ({ id: spec.index + 1, recipients: spec.to === 'all' ? everyone : new Set(spec.to).size, publishedAt }));
  }

  rooms(): Promise<void> {
    return Promise.reject(new Error('a chat cannot run on a sharded reference server (its rooms live in one process)'));
  }

  async reset(): Promise<void> {
    await Promise.all(this.controls.map((control) => control.reset()));
    this.registered = this.controls.map(() => 0);
  }

  async resetStats(): Promise<void> {
    await Promise.all(this.controls.map((control) => control.resetStats()));
  }

  async stats(): Promise<StatsSnapshot | undefined> {
    const all = await Promise.all(this.controls.map((control) => control.stats()));
    if (all.some((stats) => stats === undefined)) return undefined;
    return sumStats(all as StatsSnapshot[]);
  }

  dialect(): DialectSpec {
    return null;
  }

  async close(): Promise<void> {
    await Promise.all([...this.controls.map((control) => control.close()), this.backplane?.close()]);
  }
}

/**
 * Several processes' snapshots as one: every count, byte, CPU and memory figure summed (peak RSS:
 * the sum of each process's peak), the window as the first process's, the event loop's
 * utilisation the highest of any process (its active and idle times summed, which the per-second
 * series reads as the mean); each process's own cost in `processes`.
 */
function sumStats(all: readonly StatsSnapshot[]): StatsSnapshot {
  const sum = all.slice(1).reduce((total, one) => addNumbers(total, one) as StatsSnapshot, structuredClone(all[0]!));
  sum.sinceResetMs = all[0]!.sinceResetMs;
  sum.eventLoop.utilization = Math.max(...all.map((one) => one.eventLoop.utilization));
  for (const [name, channel] of Object.entries(sum.transports)) {
    channel.maxSocketBufferedBytes = Math.max(...all.map((one) => one.transports[name as keyof StatsSnapshot['transports']].maxSocketBufferedBytes));
    channel.heartbeatSilenceMsMax = Math.max(...all.map((one) => one.transports[name as keyof StatsSnapshot['transports']].heartbeatSilenceMsMax));
  }
  sum.processes = all.map((one) => ({ cpuMs: one.cpu.totalMs, rssPeakBytes: one.memory.rssPeakBytes, elu: Math.min(1, one.eventLoop.utilization) }));
  return sum;
}

function addNumbers(a: unknown, b: unknown): unknown {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && !Array.isArray(a)) {
    const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
    for (const [key, value] of Object.entries(b as Record<string, unknown>)) out[key] = key in out ? addNumbers(out[key], value) : value;
    return out;
  }
  return a;
}

/**
 * The check's side of the wire: one session per check run (the target, its own connection
 * pool, unique client ids) and one context per rule (its deadline and the transcript of what it
 * sent and what came back). Every wait is bounded: a server that never answers fails the rule
 * with "no answer within N ms", it never holds the check.
 */
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'undici';
import { Broken } from './rule.js';

/** Longest text kept of one request or answer: enough to see what went wrong, short enough to read. */
const EXCERPT_CHARS = 300;

export interface Exchange {
  sent: string;
  got: string;
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface EventSpec {
  to: string[] | 'all';
  intended: string;
  payload: string;
}

/** One event as the contract sends it to a client. */
export interface WireEvent {
  seq: number;
  id: number;
  t: string;
  p: string;
}

export interface Gap {
  from: number;
  to: number;
}

/** What POST /publish answers for one event. */
export interface Published {
  id: number;
  recipients: number;
  publishedAt: string;
}

export class CheckSession {
  /** Its own pool, closed at the end, so that no connection outlives the check. */
  readonly agent = new Agent({ connections: 16, keepAliveTimeout: 2_000 });
  readonly ws: string;
  private readonly prefix = `check-${randomBytes(3).toString('hex')}`;
  private count = 0;
  private readonly shared = new Map<string, { done: Promise<unknown>; exchanges: Exchange[] }>();

  constructor(
    /** Base URL, no trailing slash. */
    readonly url: string,
    /** Sent as `Authorization: Bearer` on control POSTs when set. */
    readonly token: string | undefined,
  ) {
    this.ws = url.replace(/^http/, 'ws');
  }

  /** A client id no other check run and no benchmark uses: the server may be in use. */
  clientId(): string {
    this.count += 1;
    return `${this.prefix}-${this.count}`;
  }

  /**
   * Work several rules need (a client pushed past retention), done once, by the first rule that
   * asks; the others get its transcript too, so that a failure of the shared work shows what was sent.
   */
  async once<T>(key: string, ctx: RuleContext, make: () => Promise<T>): Promise<T> {
    let found = this.shared.get(key);
    if (!found) {
      found = { done: make(), exchanges: ctx.exchanges };
      this.shared.set(key, found);
      return found.done as Promise<T>;
    }
    try {
      return (await found.done) as T;
    } finally {
      ctx.exchanges.push(...found.exchanges);
    }
  }

  close(): Promise<void> {
    return this.agent.destroy();
  }
}

export class RuleContext {
  readonly exchanges: Exchange[] = [];
  private readonly cleanups: Array<() => void> = [];

  constructor(
    readonly session: CheckSession,
    /** Aborted when the rule's time is up. */
    readonly signal: AbortSignal,
    /** Bound of one wait for an answer. */
    readonly waitMs: number,
  ) {}

  /** Notes a request; its answer is filled in when it comes. */
  record(sent: string): Exchange {
    const exchange = { sent: excerpt(sent), got: '(no answer)' };
    this.exchanges.push(exchange);
    return exchange;
  }

  /** Runs at the end of the rule, whatever happened: closes the streams it opened. */
  onEnd(cleanup: () => void): void {
    this.cleanups.push(cleanup);
  }

  end(): void {
    for (const cleanup of this.cleanups.splice(0)) {
      try {
        cleanup();
      } catch {
        // A stream that is already gone needs no closing.
      }
    }
  }

  /** A signal for one wait of `ms`, also aborted when the rule's time is up. */
  deadline(ms = this.waitMs): AbortSignal {
    return AbortSignal.any([this.signal, AbortSignal.timeout(ms)]);
  }

  /** One HTTP request, answered in full within the wait bound. */
  async http(
    method: string,
    path: string,
    options: { body?: string; headers?: Record<string, string>; control?: boolean; waitMs?: number } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.control) {
      headers['content-type'] = 'application/json';
      if (this.session.token) headers.authorization = `Bearer ${this.session.token}`;
    }
    const exchange = this.record(`${method} ${path}${options.body === undefined ? '' : ` ${options.body}`}`);
    const waitMs = options.waitMs ?? this.waitMs;
    const signal = this.deadline(waitMs);
    try {
      const response = await request(`${this.session.url}${path}`, {
        method: method as 'GET',
        headers,
        ...(options.body === undefined ? {} : { body: options.body }),
        dispatcher: this.session.agent,
        signal,
      });
      const text = await response.body.text();
      exchange.got = excerpt(`${response.statusCode}${text ? ` ${text}` : ''}`);
      return { status: response.statusCode, headers: response.headers, text, json: parseJson(text) };
    } catch (error) {
      if (signal.aborted) throw new Broken(`no answer within ${waitMs} ms to ${method} ${path}`);
      exchange.got = `(${describeError(error)})`;
      throw new Broken(`${method} ${path}: ${describeError(error)}`);
    }
  }

  /** POST /clients; a refusal breaks the rule (registration is every rule's first step). */
  async register(ids: string[]): Promise<void> {
    const answer = await this.http('POST', '/clients', { body: JSON.stringify({ ids }), control: true });
    if (answer.status !== 200) throw new Broken(`registering ${ids.join(', ')}: POST /clients answered ${answer.status}, not 200${tokenHint(answer.status)}`);
  }

  /** A client of this check run, registered. */
  async client(): Promise<string> {
    const id = this.session.clientId();
    await this.register([id]);
    return id;
  }

  /** POST /publish of one spec or an array; anything but 200 with one answer per spec breaks the rule. */
  async publish(specs: EventSpec[]): Promise<Published[]> {
    const answer = await this.http('POST', '/publish', { body: JSON.stringify(specs), control: true });
    if (answer.status !== 200) throw new Broken(`POST /publish answered ${answer.status}, not 200${tokenHint(answer.status)}`);
    if (!Array.isArray(answer.json) || answer.json.length !== specs.length)
      throw new Broken(`POST /publish of ${specs.length} events did not answer an array of ${specs.length}`);
    return answer.json as Published[];
  }

  /** Publishes `n` events to `client` (one request) and returns them as the client should see them, seq aside. */
  async publishTo(client: string, n: number): Promise<Array<Omit<WireEvent, 'seq'>>> {
    const specs = Array.from({ length: n }, (_, i) => spec([client], i));
    const answers = await this.publish(specs);
    return answers.map((answer, i) => ({ id: answer.id, t: specs[i]!.intended, p: specs[i]!.payload }));
  }
}

/** A 401 on a control POST: the server has a token the check was not given. */
function tokenHint(status: number): string {
  return status === 401 ? ' (the server wants a token: set PUSH_BENCH_TOKEN)' : '';
}

/** An event spec whose intended time and payload the check can recognise when it arrives. */
export function spec(to: string[] | 'all', n: number): EventSpec {
  return { to, intended: process.hrtime.bigint().toString(), payload: `check-${n}` };
}

export function excerpt(text: string): string {
  const line = text.replace(/\s*\n\s*/g, ' ');
  return line.length > EXCERPT_CHARS ? `${line.slice(0, EXCERPT_CHARS)}… (${line.length} chars)` : line;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function describeError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}

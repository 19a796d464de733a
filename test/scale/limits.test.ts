import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compiledEntry } from '../../src/runner/child-process.js';
import { checkLimits, maxServerClients, parseOpenFiles, RESERVED_FILES, type LimitFacts, type LimitPlan } from '../../src/runner/limits.js';
import { preflight } from '../../src/runner/preflight.js';
import { sourceAddressesFor } from '../../src/runner/source-addresses.js';

/** This machine's facts (machine-notes.md), injected so the rules are tested exactly. */
const facts: LimitFacts = {
  openFiles: { soft: 20_000, hard: 20_000 },
  somaxconn: 4_096,
  ephemeralPorts: { low: 32_768, high: 60_999 },
  tcpTwReuse: 2,
  loopbackSlash8: true,
  memory: { totalBytes: 24 * 2 ** 30, freeBytes: 22 * 2 ** 30 },
  cores: 2,
};
const plan: LimitPlan = { clients: 10_000, clientProcesses: 2, sourceAddresses: 1, rampUpMs: 5_000, transports: 4 };
const codes = (findings: Array<{ code: string }>) => findings.map((f) => f.code);

describe('checkLimits', () => {
  it('lets 10,000 clients run on this machine without a word', () => {
    expect(checkLimits(facts, plan)).toEqual({ problems: [], warnings: [] });
  });

  it('stops a fleet the one server process cannot hold, naming the number allowed and the fix', () => {
    const { problems } = checkLimits(facts, { ...plan, clients: 25_000, clientProcesses: 2 });
    expect(codes(problems)).toEqual(['open-files-server']);
    expect(problems[0]?.message).toContain(`at most ${20_000 - RESERVED_FILES} clients`);
    expect(problems[0]?.message).toContain('ulimit -Hn');
  });

  it('asks for more client processes when one cannot hold its share', () => {
    const small = { ...facts, openFiles: { soft: 4_096, hard: 4_096 } };
    const { problems } = checkLimits(small, { ...plan, clients: 5_000, clientProcesses: 1 });
    // The server holds every client in one process, so it runs out first; both are said.
    expect(codes(problems)).toEqual(['open-files-server', 'open-files-client']);
    expect(problems[1]?.message).toContain('--client-processes 2');
  });

  it('counts ephemeral ports per source address and offers more loopback addresses', () => {
    const narrow = { ...facts, ephemeralPorts: { low: 60_000, high: 60_999 } };
    const one = checkLimits(narrow, { ...plan, clients: 2_000 });
    expect(codes(one.problems)).toEqual(['ephemeral-ports']);
    expect(one.problems[0]?.message).toContain('3 source addresses (127.0.0.1 … 127.0.0.3)');
    expect(checkLimits(narrow, { ...plan, clients: 2_000, sourceAddresses: 3 }).problems).toEqual([]);
  });

  it('warns about a ramp that floods the accept queue, with the ramp that would not', () => {
    const { problems, warnings } = checkLimits(facts, { ...plan, rampUpMs: 0 });
    expect(problems).toEqual([]);
    expect(codes(warnings)).toEqual(['accept-queue']);
    expect(warnings[0]?.message).toContain('rampUp ≥ 4s');
  });

  it('refuses more clients than memory holds and warns when free memory is short', () => {
    const tiny = { ...facts, memory: { totalBytes: 2 ** 29, freeBytes: 2 ** 28 } };
    expect(codes(checkLimits(tiny, plan).problems)).toEqual(['memory']);
    expect(codes(checkLimits(tiny, { ...plan, clients: 6_000 }).warnings)).toEqual(['memory']);
  });

  it('warns that TIME_WAIT ports may run out between transports when tcp_tw_reuse is off', () => {
    const noReuse = { ...facts, tcpTwReuse: 0 };
    expect(codes(checkLimits(noReuse, { ...plan, clients: 19_000, rampUpMs: 10_000 }).warnings)).toEqual(['time-wait']);
    expect(checkLimits(noReuse, { ...plan, clients: 19_000, rampUpMs: 10_000, transports: 1 }).warnings).toEqual([]);
  });
});

describe('preflight', () => {
  it('chooses loopback source addresses when one address runs out of ports', () => {
    const narrow = { ...facts, ephemeralPorts: { low: 60_000, high: 60_999 } };
    const result = preflight({ clients: 2_000, clientProcesses: 2, rampUpMs: 2_000, transports: 1 }, narrow);
    // 1,000 ports: 225 clients bind quickly to one address (a quarter of the range, 10 % spare).
    expect(result.localAddresses).toEqual(Array.from({ length: 9 }, (_, i) => `127.0.0.${i + 1}`));
    expect(result.problems).toEqual([]);
  });

  it('keeps the OS choice when one address suffices, and a user choice as given', () => {
    expect(preflight({ clients: 10_000, clientProcesses: 2, rampUpMs: 5_000, transports: 1 }, facts).localAddresses).toEqual([]);
    expect(preflight({ clients: 10, clientProcesses: 1, rampUpMs: 0, transports: 1, localAddresses: ['127.0.0.9'] }, facts).localAddresses).toEqual([
      '127.0.0.9',
    ]);
  });

  it('does not spread over loopback addresses for a remote server', () => {
    const narrow = { ...facts, ephemeralPorts: { low: 60_000, high: 60_999 } };
    const result = preflight({ clients: 2_000, clientProcesses: 2, rampUpMs: 2_000, transports: 1, serverHost: '10.0.0.5' }, narrow);
    expect(result.localAddresses).toEqual([]);
    expect(codes(result.problems)).toEqual(['ephemeral-ports']);
  });
});

describe('reading the limits', () => {
  it('parses /proc/self/limits', () => {
    const text =
      'Limit                     Soft Limit           Hard Limit           Units     \nMax open files            1024                 unlimited            files     \n';
    expect(parseOpenFiles(text)).toEqual({ soft: 1_024, hard: Number.MAX_SAFE_INTEGER });
    expect(parseOpenFiles('nothing here')).toBeUndefined();
  });

  it.runIf(process.platform === 'linux')('gives the clear message under a low ulimit -n set in a child shell', () => {
    // A plain node child: it runs the compiled modules, which the global setup built from the current sources.
    const compiled = (path: string) => JSON.stringify(compiledEntry(new URL(path, import.meta.url)).href);
    const script = `const { preflight } = await import(${compiled('../../src/runner/preflight.js')});
      const { formatLimitCheck } = await import(${compiled('../../src/runner/limits.js')});
      const result = preflight({ clients: 1000, clientProcesses: 1, rampUpMs: 1000, transports: 1 });
      console.log(formatLimitCheck(result).join('\\n'));`;
    const out = execFileSync('/bin/sh', ['-c', 'ulimit -n 300 && exec "$0" --input-type=module -e "$1"', process.execPath, script], { encoding: 'utf8' });
    expect(out).toContain(`at most ${maxServerClients({ ...facts, openFiles: { soft: 300, hard: 300 } })} clients`);
    expect(out).toContain('push-bench: cannot run: 1000 clients need 1064 open files in the reference server');
    expect(out).toContain('--client-processes 5');
  });
});

describe('sourceAddressesFor', () => {
  it('spreads clients that one server port cannot take quickly over 127.0.0.x, few enough per address that binding is quick too', () => {
    // 12,704 per server port without binding; bound, 6,352 per address (a quarter of 28,232 ports, 10 % spare).
    expect(sourceAddressesFor(19_000, facts)).toEqual(['127.0.0.1', '127.0.0.2', '127.0.0.3']);
    expect(sourceAddressesFor(19_000, facts, 'localhost')).toHaveLength(3);
  });

  it('leaves the choice to the OS when the server ports take them all quickly', () => {
    expect(sourceAddressesFor(1_000, facts)).toEqual([]);
    expect(sourceAddressesFor(12_704, facts)).toEqual([]);
    expect(sourceAddressesFor(100_000, facts, '127.0.0.1', 8)).toEqual([]);
    expect(sourceAddressesFor(100_000, facts, '127.0.0.1', 6)).toHaveLength(16);
  });

  it.each(['::1', '[::1]', '192.168.1.10', 'example.com'])('does not spread towards %s (IPv4 loopback sources cannot reach it)', (host) => {
    expect(sourceAddressesFor(19_000, facts, host)).toEqual([]);
  });
});

describe('the preflight for 100,000 clients on this machine', () => {
  it('passes with the default layout: 8 server processes, no source address to bind, no problem', async () => {
    const { defaultServerProcesses } = await import('../../src/runner/limits.js');
    const serverProcesses = defaultServerProcesses(100_000, facts);
    const result = preflight({ clients: 100_000, clientProcesses: 6, serverProcesses, rampUpMs: 40_000, transports: 2 }, facts);
    expect(serverProcesses).toBe(8);
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.localAddresses).toEqual([]);
  });

  it('refuses one server process, naming how many would do, and binds what 6 processes cannot take quickly', () => {
    const one = preflight({ clients: 100_000, clientProcesses: 6, rampUpMs: 40_000, transports: 1 }, facts);
    expect(codes(one.problems)).toContain('open-files-server');
    expect(one.problems.find((p) => p.code === 'open-files-server')?.message).toContain('--server-processes 6');
    const six = preflight({ clients: 100_000, clientProcesses: 6, serverProcesses: 6, rampUpMs: 40_000, transports: 1 }, facts);
    expect(six.problems).toEqual([]);
    expect(six.localAddresses).toHaveLength(16);
  });

  it('asks for more client processes when 100,000 sockets are in too few', () => {
    const result = preflight({ clients: 100_000, clientProcesses: 2, serverProcesses: 8, rampUpMs: 40_000, transports: 1 }, facts);
    expect(codes(result.problems)).toEqual(['open-files-client']);
    expect(result.problems[0]?.message).toContain('--client-processes 6');
  });
});

describe('client processes by default', () => {
  it('one per 2,500 clients up to the cores, and always enough that none passes its open-file limit', async () => {
    const { defaultShards } = await import('../../src/runner/run.js');
    const { availableParallelism } = await import('node:os');
    const cores = availableParallelism();
    expect(defaultShards(1_000, 19_936)).toBe(1);
    expect(defaultShards(10_000, 19_936)).toBe(Math.min(cores, 4));
    // 100,000 sockets at 19,936 a process: 6 processes, however few the cores.
    expect(defaultShards(100_000, 19_936)).toBe(Math.max(6, Math.min(cores, 40)));
    expect(defaultShards(100_000, 19_936) * 19_936).toBeGreaterThanOrEqual(100_000);
    expect(defaultShards(500, 100)).toBe(5);
  });
});

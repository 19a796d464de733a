import { describe, expect, it } from 'vitest';
import { OfflineRecorder } from '../../src/metrics/offline.js';
import { OfflineDriver } from '../../src/runner/offline-driver.js';
import type { OfflineHow } from '../../src/transports/offline.js';
import type { TransportClient } from '../../src/transports/types.js';
import { sleep, waitFor } from '../helpers/wait.js';

const MS = 1_000_000;

function fakeClient(name: string, log: string[]): TransportClient {
  return {
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    goOffline: (how: OfflineHow) => log.push(`${name} off ${how}`),
    comeBack: () => log.push(`${name} back`),
    send: () => Promise.reject(new Error('not a chat client')),
  };
}

describe('OfflineDriver', () => {
  it('plays every client’s episodes in time order on one timer, and nothing after stop()', async () => {
    const log: string[] = [];
    const clients = [fakeClient('a', log), fakeClient('b', log)];
    const perClient = [
      [20 * MS, 60 * MS, 200 * MS, 5_000 * MS],
      [40 * MS, 80 * MS],
    ];
    const zero = process.hrtime.bigint();
    const recorder = new OfflineRecorder(perClient, zero, { startNs: zero, endNs: zero + 10_000n * BigInt(MS) });
    const driver = new OfflineDriver(clients, perClient, zero, { everyMs: 1, forMs: 1, how: 'silent' }, recorder);
    driver.start();
    await waitFor(() => log.length === 5, 'five transitions', 5_000);
    driver.stop();
    await sleep(50);
    expect(log).toEqual(['a off silent', 'b off silent', 'a back', 'b back', 'a off silent']);
    expect(recorder.snapshot().episodes).toBe(3);
  });

  it('a late start plays every transition already due, in order', () => {
    const log: string[] = [];
    const perClient = [[1 * MS, 2 * MS, 3 * MS, 4 * MS]];
    // The schedule's zero a second ago: all four transitions are overdue.
    const zero = process.hrtime.bigint() - 1_000n * BigInt(MS);
    const recorder = new OfflineRecorder(perClient, zero, { startNs: zero, endNs: zero + 10n * BigInt(MS) });
    const driver = new OfflineDriver([fakeClient('a', log)], perClient, zero, { everyMs: 1, forMs: 1, how: 'close' }, recorder);
    driver.start();
    return waitFor(() => log.length === 4, 'four transitions', 5_000).then(() => {
      driver.stop();
      expect(log).toEqual(['a off close', 'a back', 'a off close', 'a back']);
    });
  });
});

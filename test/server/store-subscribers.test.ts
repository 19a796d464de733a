/**
 * Who is woken by a publish: one subscriber is held as is, a second makes a Set, and every
 * subscriber is woken once per batch whichever way they are held.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ServerStats } from '../../src/server/stats.js';
import { EventStore, type Subscriber } from '../../src/server/store.js';

const stores: EventStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function storeWithClient() {
  const store = new EventStore({ maxEventsPerClient: 100, maxAgeMs: 60_000 }, 10, new ServerStats([], () => ({ registered: 0, listening: 0 })));
  stores.push(store);
  store.register(['a']);
  const client = store.get('a')!;
  const publish = () => store.publish([{ to: [client], intendedNs: '1', payloadJson: '"x"' }]);
  return { store, client, publish };
}

function counter(onWake: () => void = () => undefined): Subscriber & { woken: number } {
  const subscriber = {
    woken: 0,
    onEvents() {
      subscriber.woken++;
      onWake();
    },
  };
  return subscriber;
}

describe('subscribers of a client', () => {
  it('wakes one, then two, then the one left, and stops listening when none is left', () => {
    const { store, client, publish } = storeWithClient();
    const [first, second] = [counter(), counter()];
    store.subscribe(client, first);
    expect(store.listeningCount).toBe(1);
    publish();
    store.subscribe(client, second);
    publish();
    expect([first.woken, second.woken]).toEqual([2, 1]);
    store.unsubscribe(client, first);
    publish();
    expect([first.woken, second.woken]).toEqual([2, 2]);
    store.unsubscribe(client, second);
    expect(store.listeningCount).toBe(0);
    publish();
    expect([first.woken, second.woken]).toEqual([2, 2]);
  });

  it('ignores a second subscribe of the same subscriber and an unsubscribe of a stranger', () => {
    const { store, client, publish } = storeWithClient();
    const only = counter();
    store.subscribe(client, only);
    store.subscribe(client, only);
    store.unsubscribe(client, counter());
    publish();
    expect(only.woken).toBe(1);
    expect(store.listeningCount).toBe(1);
  });

  it('lets a subscriber leave while it is being woken (a long poll answers and goes)', () => {
    const { store, client, publish } = storeWithClient();
    const leaving: Subscriber & { woken: number } = counter(() => store.unsubscribe(client, leaving));
    const staying = counter();
    store.subscribe(client, leaving);
    publish();
    expect(leaving.woken).toBe(1);
    expect(store.listeningCount).toBe(0);
    store.subscribe(client, leaving);
    store.subscribe(client, staying);
    publish();
    publish();
    expect([leaving.woken, staying.woken]).toEqual([2, 2]);
  });
});

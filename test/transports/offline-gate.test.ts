import type { Dispatcher } from 'undici';
import { describe, expect, it } from 'vitest';
import { HandlerGate } from '../../src/transports/offline.js';

/** A controller that records pause/resume, as undici's would act on them. */
function fakeController(log: string[]): Dispatcher.DispatchController {
  let paused = false;
  return {
    pause: () => {
      paused = true;
      log.push('pause');
    },
    resume: () => {
      if (paused) log.push('resume');
      paused = false;
    },
    get paused() {
      return paused;
    },
  } as unknown as Dispatcher.DispatchController;
}

function recordingHandler(log: string[]): Dispatcher.DispatchHandler {
  return {
    onRequestStart: () => log.push('start'),
    onResponseStart: (_c, status) => log.push(`headers ${status}`),
    onResponseData: (_c, chunk) => log.push(`data ${chunk.toString()}`),
    onResponseEnd: () => log.push('end'),
    onResponseError: (_c, error) => log.push(`error ${error.message}`),
  };
}

describe('HandlerGate', () => {
  it('passes everything through while not held', () => {
    const log: string[] = [];
    const gate = new HandlerGate(recordingHandler(log));
    const controller = fakeController(log);
    gate.onRequestStart(controller, {});
    gate.onResponseStart(controller, 200, {});
    gate.onResponseData(controller, Buffer.from('a'));
    gate.onResponseEnd(controller, {});
    expect(log).toEqual(['start', 'headers 200', 'data a', 'end']);
    gate.release();
    expect(log).toHaveLength(4);
  });

  it('held: pauses the response, queues what still comes, replays it in order before resuming', () => {
    const log: string[] = [];
    const gate = new HandlerGate(recordingHandler(log));
    const controller = fakeController(log);
    gate.onRequestStart(controller, {});
    gate.onResponseStart(controller, 200, {});
    gate.hold();
    gate.onResponseData(controller, Buffer.from('late'));
    gate.onResponseError(controller, new Error('reset'));
    expect(log).toEqual(['start', 'headers 200', 'pause', 'pause', 'pause']);
    log.length = 0;
    gate.release();
    expect(log).toEqual(['data late', 'error reset', 'resume']);
  });

  it('a request started while held starts paused', () => {
    const log: string[] = [];
    const gate = new HandlerGate(recordingHandler(log));
    gate.hold();
    const controller = fakeController(log);
    gate.onRequestStart(controller, {});
    expect(log).toEqual(['pause', 'start']);
    gate.release();
    expect(log).toEqual(['pause', 'start', 'resume']);
  });
});

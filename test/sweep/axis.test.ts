import { describe, expect, it } from 'vitest';
import { axisOf } from '../../src/sweep/axis.js';

describe('a swept parameter as an axis', () => {
  it('rates in events/s, log over decades', () => {
    expect(axisOf('events.rate', ['1/h', '1/m', '1/s', '10/s'])).toEqual({
      path: 'events.rate',
      labels: ['1/h', '1/m', '1/s', '10/s'],
      numbers: [1 / 3600, 1 / 60, 1, 10],
      unit: 'events/s',
      scale: 'log',
    });
  });

  it('plain numbers, linear over a short span; durations in ms', () => {
    expect(axisOf('clients.count', ['100', '200', '400'])).toMatchObject({ numbers: [100, 200, 400], unit: '', scale: 'linear' });
    expect(axisOf('transports.polling.interval', ['500ms', '1s', '30s'])).toMatchObject({ numbers: [500, 1000, 30000], unit: 'ms', scale: 'log' });
  });

  it('words make a categorical axis', () => {
    expect(axisOf('transports.polling.mode', ['fixed', 'chained'])).toMatchObject({ numbers: null, scale: 'linear' });
    expect(axisOf('x', ['1/s', '2s'])).toMatchObject({ numbers: null });
  });
});

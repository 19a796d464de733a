import { describe, expect, it } from 'vitest';
import { COMPARE_FIGURES } from '../../src/compare/figures.js';
import { FIGURES } from '../../src/report/figures.js';
import { orMissing } from '../../src/report/format.js';
import { loadFixture } from '../report/fixture.js';

const transports = loadFixture().transports;
const direction = (id: string) => COMPARE_FIGURES.find((figure) => figure.id === id)?.direction;

describe('compared figures', () => {
  it('are figures of the report, with its labels', () => {
    for (const figure of COMPARE_FIGURES) {
      expect(FIGURES.find((reported) => reported.id === figure.id)?.label, figure.id).toBe(figure.label);
    }
  });

  it('read and format each value exactly as the report shows it', () => {
    for (const figure of COMPARE_FIGURES) {
      const reported = FIGURES.find((candidate) => candidate.id === figure.id)!;
      for (const transport of transports) {
        if (reported.appliesTo && !reported.appliesTo(transport)) continue;
        expect(orMissing(figure.format)(figure.value(transport)), `${figure.id} of ${transport.transport}`).toBe(reported.cell(transport));
      }
    }
  });

  it('cover every measured figure of the report except setup and models', () => {
    const left = FIGURES.map((figure) => figure.id).filter((id) => !COMPARE_FIGURES.some((figure) => figure.id === id));
    expect(left).toEqual(['clients', 'duration', 'model.meanLatencyMs', 'model.emptyFraction', 'model.requestsPerDelivery', 'model.bytesPerDelivery']);
  });

  it.each([
    'latency.p50',
    'latency.p99',
    'latency.max',
    'bytes.down',
    'bytes.perDelivery',
    'requests.total',
    'requests.emptyFraction',
    'events.lost',
    'events.duplicated',
    'server.cpuMs',
    'server.rssPeakBytes',
    'client.cpuMs',
  ])('lower %s is better', (id) => expect(direction(id)).toBe('lower'));

  it.each(['events.published', 'events.expected', 'events.delivered', 'payloadBytesDelivered', 'frames.down'])(
    '%s follows the workload: no direction',
    (id) => {
      expect(direction(id)).toBe('none');
    },
  );

  it('shows a change of a fraction in percentage points', () => {
    const elu = COMPARE_FIGURES.find((figure) => figure.id === 'server.elu')!;
    expect(elu.formatChange(0.025)).toBe('2.5 pp');
    expect(elu.format(0.025)).toBe('2.5 %');
  });
});

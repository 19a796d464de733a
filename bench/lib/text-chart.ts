/**
 * A column chart in text, for a terminal and for docs/benchmarks.md: one column per bucket of
 * samples, eighth blocks for resolution, the y axis from 0 so that a flat line looks flat and a
 * growth of 10 % looks like 10 %. Marks under the axis show where the phase changed step.
 */

const EIGHTHS = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

export interface ChartOptions {
  /** Columns. */
  width: number;
  /** Rows; each holds eight levels. */
  height: number;
  /** Printed above the chart. */
  title: string;
  /** Formats an axis value, e.g. bytes as MB. */
  format: (value: number) => string;
  /** Sample indexes where something began, each with the letter marked under the axis. */
  marks?: Array<{ index: number; letter: string }>;
}

/** Renders `values` (one per sample, null = no reading) as text lines. */
export function columnChart(values: Array<number | null>, options: ChartOptions): string[] {
  const { width, height, title, format } = options;
  const columns = bucketMedians(values, width);
  const top = Math.max(0, ...columns.map((v) => v ?? 0));
  const levels = height * 8;
  const levelOf = (v: number | null) => (v === null || top === 0 ? 0 : Math.round((v / top) * levels));
  const labelWidth = Math.max(format(top).length, format(0).length);
  const rows: string[] = [];
  for (let row = 0; row < height; row++) {
    const floor = (height - 1 - row) * 8;
    const cells = columns.map((v) => EIGHTHS[Math.max(0, Math.min(8, levelOf(v) - floor))]).join('');
    const label = row === 0 ? format(top) : row === height - 1 ? format(0) : '';
    rows.push(`${label.padStart(labelWidth)} ┤${cells}`);
  }
  const axis = [...'─'.repeat(columns.length)];
  const legend = [...' '.repeat(columns.length)];
  for (const mark of options.marks ?? []) {
    const column = Math.min(columns.length - 1, Math.floor((mark.index * columns.length) / Math.max(1, values.length)));
    axis[column] = '┴';
    legend[column] = mark.letter;
  }
  return [title, ...rows, `${' '.repeat(labelWidth)} └${axis.join('')}`, `${' '.repeat(labelWidth)}  ${legend.join('').trimEnd()}`];
}

/** `values` in `width` consecutive buckets, each the median of its readings (a lone spike does not draw a column). */
function bucketMedians(values: Array<number | null>, width: number): Array<number | null> {
  const buckets = Math.max(1, Math.min(width, values.length));
  return Array.from({ length: buckets }, (_, b) => {
    const slice = values.slice(Math.floor((b * values.length) / buckets), Math.floor(((b + 1) * values.length) / buckets));
    const readings = slice.filter((v): v is number => v !== null).sort((x, y) => x - y);
    return readings.length === 0 ? null : readings[Math.floor(readings.length / 2)]!;
  });
}

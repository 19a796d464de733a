/**
 * sweep.html in a real browser: a real two-point sweep writes the page, and Debian's chromium
 * (driven by playwright-core) opens it from file://. Checks that every chart drew (a median
 * line per transport, a crossing mark where the sweep found one), that the page asked the
 * network for nothing, and saves a screenshot (test-artifacts/sweep.png).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const CHROMIUM = '/usr/bin/chromium';
const IN_CI = Boolean(process.env['CI']) && process.env['CI'] !== 'false';
const SCREENSHOT = join(import.meta.dirname, '../../test-artifacts/sweep.png');

/** Polling every 200 ms against SSE at two rates, 1.5 s each: about 15 s in all. */
const SCENARIO = `name: sweep-check
duration: 1500ms
warmup: 0s
drain: 500ms
seed: 3
clients: { count: 5, rampUp: 0s }
events: { rate: 1/s, payload: 100B, audience: all }
transports:
  polling: { interval: 200ms }
  sse: {}
`;

interface PageGlobals {
  Chart: { getChart: (id: string) => { data: { datasets: { label: string; data: unknown[] }[] } } | undefined };
  document: {
    querySelectorAll: (selector: string) => ArrayLike<{
      id: string;
      width: number;
      height: number;
      getContext: (kind: '2d') => { getImageData: (x: number, y: number, w: number, h: number) => { data: Uint8ClampedArray } };
    }>;
  };
}

const present = existsSync(CHROMIUM);
if (!present && !IN_CI) console.warn(`SKIPPED test/browser/sweep-html.test.ts: ${CHROMIUM} is missing (apt-get install -y chromium); CI fails without it.`);

describe.skipIf(!present && !IN_CI)('sweep.html in chromium', () => {
  let browser: Browser | undefined;
  let page: Page;
  let dir: string;
  const requests: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    expect(present, `${CHROMIUM} is missing (.ci/run installs it)`).toBe(true);
    dir = await mkdtemp(join(tmpdir(), 'push-bench-sweep-html-'));
    await writeFile(join(dir, 's.yaml'), SCENARIO);
    const run = await runCli(['sweep', join(dir, 's.yaml'), '--vary', 'events.rate=1/s,20/s', '-o', join(dir, 'out'), '-q']);
    expect(run.code, run.stderr).toBe(0);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1 });
    page.on('request', (request) => requests.push(request.url()));
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    await page.goto(pathToFileURL(join(dir, 'out', 'sweep.html')).href, { waitUntil: 'load' });
    await page.waitForSelector('body[data-charts="drawn"]', { timeout: 10_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('loads nothing from the network and logs no error', () => {
    expect(requests.filter((url) => !url.startsWith('file:') && !url.startsWith('data:'))).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('draws every figure: a median line per transport, pixels on every canvas', async () => {
    const charts = await page.evaluate(() => {
      const globals = globalThis as unknown as PageGlobals;
      return Array.from(globals.document.querySelectorAll('canvas')).map((canvas) => {
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let inked = 0;
        for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] ?? 0) > 0) inked++;
        const chart = globals.Chart.getChart(canvas.id);
        return { id: canvas.id, inked, lines: chart?.data.datasets.filter((d) => !d.label.startsWith('_')).map((d) => [d.label, d.data.length]) };
      });
    });
    expect(charts.map((c) => c.id)).toEqual([
      'sweep-0-latency-p50',
      'sweep-0-latency-p99',
      'sweep-0-bytes-perDelivery',
      'sweep-0-requests-perDelivery',
      'sweep-0-server-cpuMsPerDelivery',
      'sweep-0-server-rssPerClient',
    ]);
    for (const chart of charts) {
      expect(chart.inked, chart.id).toBeGreaterThan(1000);
      expect(
        chart.lines?.filter(([label]) => label === 'polling' || label === 'sse').map(([, n]) => n),
        chart.id,
      ).toEqual([2, 2]);
    }
    // The model's prediction is drawn beside the measurement, where the transport has one.
    const requests = charts.find((c) => c.id === 'sweep-0-requests-perDelivery')!;
    expect(requests.lines?.some(([label]) => label === 'polling (model)')).toBe(true);
    await mkdir(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });
});

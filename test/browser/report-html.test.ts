/**
 * report.html in a real browser: a real short run of every transport writes the page, and
 * Debian's chromium (driven by playwright-core) opens it from file://. Checks that every
 * chart drew, that the page asked the network for nothing, and saves a screenshot for people
 * to look at (test-artifacts/report.png).
 *
 * Without /usr/bin/chromium the test fails in CI (CI=true; .ci/run installs it) and is
 * skipped, loudly, elsewhere.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRANSPORT_NAMES, type TransportName } from '../../src/transports/catalog.js';
import { runCli } from '../helpers/cli.js';

const CHROMIUM = '/usr/bin/chromium';
const IN_CI = Boolean(process.env['CI']) && process.env['CI'] !== 'false';
const SCREENSHOT = join(import.meta.dirname, '../../test-artifacts/report.png');
const TRANSPORTS = TRANSPORT_NAMES;
/** Every transport of the catalog with its defaults, except where a default would make the run slow. */
const ENTRIES: Partial<Record<TransportName, string>> = { polling: '{ interval: 250ms }', 'long-polling': '{ timeout: 5s }' };
/** Per transport, its charts over time (the failures chart only when there were failures: checked apart). */
const OVER_TIME = ['latency', 'deliveries', 'connected', 'server', 'elu'];
const CHART_IDS = [
  'latency-cdf',
  'latency-histogram',
  'bytes-per-delivery',
  'requests-per-delivery',
  ...TRANSPORTS.flatMap((_, index) => OVER_TIME.map((what) => `ts-${what}-${index}`)),
];

/** Small but real: 10 clients, 2 s measured per transport, about 20 s in all. */
const SCENARIO = `name: browser-check
description: A tiny broadcast run of every transport, to check report.html in a real browser.
duration: 2s
warmup: 500ms
drain: 1s
seed: 5
clients: { count: 10, rampUp: 200ms }
events: { rate: 20/s, arrival: poisson, payload: 120B, audience: all }
transports:
${TRANSPORTS.map((name) => `  ${name}: ${ENTRIES[name] ?? '{}'}`).join('\n')}
thresholds:
  - websocket.latency.p99 < 5s
  - polling.requests.perDelivery < 100
`;

/** What the tests read inside the page (the repo's TS config has no DOM types). */
interface PageGlobals {
  Chart: { getChart: (id: string) => { data: { labels?: string[]; datasets: { label: string; data: unknown[] }[] } } | undefined };
  document: {
    getElementById: (id: string) => {
      width: number;
      height: number;
      getContext: (kind: '2d') => { getImageData: (x: number, y: number, w: number, h: number) => { data: Uint8ClampedArray } };
    } | null;
  };
}

const present = existsSync(CHROMIUM);
if (!present && !IN_CI) console.warn(`SKIPPED test/browser/report-html.test.ts: ${CHROMIUM} is missing (apt-get install -y chromium); CI fails without it.`);

describe.skipIf(!present && !IN_CI)('report.html in chromium', () => {
  let browser: Browser | undefined;
  let page: Page;
  const requests: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    expect(
      present,
      `${CHROMIUM} is missing: the report.html browser test needs Debian's chromium (.ci/run installs it: apt-get install -y --no-install-recommends chromium)`,
    ).toBe(true);
    const htmlFile = await runTinyScenario();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1 });
    page.on('request', (request) => requests.push(request.url()));
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load' });
    await page.waitForSelector('body[data-charts="drawn"]', { timeout: 10_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('loads nothing from the network: only file: and data: requests, no errors', () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((url) => !url.startsWith('file:') && !url.startsWith('data:'))).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('draws one CDF and one histogram series per transport, from the stored histogram (more than the 6 stored percentiles)', async () => {
    for (const id of ['latency-cdf', 'latency-histogram']) {
      const series = await page.evaluate((chartId) => {
        const chart = (globalThis as unknown as PageGlobals).Chart.getChart(chartId);
        return chart?.data.datasets.map((dataset) => ({ label: dataset.label, points: dataset.data.length }));
      }, id);
      expect(
        series?.map((s) => s.label),
        id,
      ).toEqual(TRANSPORTS);
      for (const s of series ?? []) expect(s.points, `${id} ${s.label}`).toBeGreaterThan(id === 'latency-cdf' ? 6 : 1);
    }
  });

  it('draws every transport over time, with one point per second of its phase', async () => {
    for (const [index] of TRANSPORTS.entries()) {
      const lengths = await page.evaluate((i) => {
        const chart = (globalThis as unknown as PageGlobals).Chart.getChart(`ts-deliveries-${i}`);
        return chart?.data.datasets.map((dataset) => dataset.data.length);
      }, index);
      // ramp, warm-up 0.5 s, 2 s measured, drain 1 s: at least 4 seconds, well under 20
      expect(lengths?.[0], TRANSPORTS[index]).toBeGreaterThanOrEqual(4);
      expect(lengths?.[0], TRANSPORTS[index]).toBeLessThan(20);
    }
  });

  it('has a failures panel per transport: a drawn chart when there were failures, else a note saying there were none', async () => {
    for (const [index, name] of TRANSPORTS.entries()) {
      const chart = await page.locator(`#ts-failures-${index}`).count();
      const none = await page.locator(`#ts-failures-${index}-none`).count();
      expect(chart + none, name).toBe(1);
      if (chart === 1) expect(await inkShare(page, `ts-failures-${index}`), name).toBeGreaterThan(0.02);
    }
  });

  it('draws a bar per transport in both cost charts', async () => {
    for (const id of ['bytes-per-delivery', 'requests-per-delivery']) {
      const labels = await page.evaluate((chartId) => {
        const chart = (globalThis as unknown as PageGlobals).Chart.getChart(chartId);
        return chart?.data.labels;
      }, id);
      expect(labels, id).toEqual(TRANSPORTS);
    }
  });

  it('puts ink on every canvas', async () => {
    for (const id of CHART_IDS) expect(await inkShare(page, id), id).toBeGreaterThan(0.02);
  });

  it('shows the figure table, the verdicts, and saves a screenshot', async () => {
    expect(await page.locator('#figure-table thead th').count()).toBe(1 + TRANSPORTS.length);
    expect(await page.locator('#figure-table tbody tr').count()).toBeGreaterThan(25);
    expect(await page.locator('#verdicts').innerText()).toContain('all 2 thresholds held');
    await mkdir(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
  });
});

/** The share of a canvas's pixels that are not transparent (0 for a missing or tiny canvas). */
async function inkShare(page: Page, id: string): Promise<number> {
  const inked = await page.evaluate((canvasId) => {
    const canvas = (globalThis as unknown as PageGlobals).document.getElementById(canvasId);
    if (!canvas) return { count: 0, area: 0 };
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let count = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) count++;
    return { count, area: canvas.width * canvas.height };
  }, id);
  return inked.area > 100_000 ? inked.count / inked.area : 0;
}

/** Runs the real CLI on the tiny scenario and returns the path of its report.html. */
async function runTinyScenario(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'push-bench-browser-'));
  const scenario = join(dir, 'browser-check.yaml');
  await writeFile(scenario, SCENARIO);
  const out = join(dir, 'out');
  const run = await runCli(['run', scenario, '--format', 'json,html', '--out', out, '--quiet']);
  if (run.code !== 0) throw new Error(`push-bench run exited ${run.code}:\n${run.stderr}`);
  return join(out, 'report.html');
}

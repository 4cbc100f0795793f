/**
 * The Identity Risks Explorer at 100,000 findings (issue #8: "virtualised lists, smooth at
 * 100,000 findings"), in headless chromium over the real server and an embedded store of a few
 * synthetic scans (bench/synthetic-store.ts). Measures, at 1280×800:
 * - navigation → first rows, grouped by nothing, by resource and by risk (a fresh context each,
 *   so nothing is cached), with the API requests the page made (Resource Timing in the browser,
 *   and the server's own time per request from an onResponse hook);
 * - scrolling the flat list with the mouse wheel to the bottom of 20 pages of 100 rows (keyset
 *   "load more" as it goes), with a requestAnimationFrame probe injected by the bench: median,
 *   p95 and worst frame, frames over 50 ms, long tasks, and the rows in the DOM;
 * - a facet click (severity high) and a free-text search → the filtered rows on screen.
 * The server runs in a child process, so the browser driver does not share its event loop.
 * Needs chromium (/usr/bin/chromium or IAMSIGHT_CHROMIUM); says so and stops without it.
 * `IAMSIGHT_BENCH_WEB_FINDINGS` and `IAMSIGHT_BENCH_WEB_SCANS` change the size (100,000 × 3).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { DAY, recordSyntheticScans, START } from './synthetic-store.js';
import { findChromium, launchBrowser, openPage } from '../web/e2e/browser.js';
import type * as ServerModule from '../src/server/index.js';
import type * as StoreModule from '../src/store/index.js';

const FINDINGS = Number(process.env.IAMSIGHT_BENCH_WEB_FINDINGS ?? '100000');
const SCANS = Number(process.env.IAMSIGHT_BENCH_WEB_SCANS ?? '3');
/** Pages of 100 rows the scroll test loads and scrolls through. */
const SCROLL_PAGES = 20;
const ROW_HEIGHT = 48;
const WHEEL_STEP = 240;
const LONG_FRAME_MS = 50;

const dist = new URL('../dist/', import.meta.url);
const load = <T>(path: string): Promise<T> => import(new URL(path, dist).href) as Promise<T>;

/** A line the server child prints: ready, or one API request it answered. */
type ServerLine =
  | { ready: string; findings: number; scans: number; storeMs: number }
  | { api: string; status: number; ms: number };

/** The child: builds the store, serves it with the built UI, logs each API request's time. */
async function serve(dir: string): Promise<void> {
  const { openStore } = await load<typeof StoreModule>('store/index.js');
  const { createServer, fixedAnalysis } = await load<typeof ServerModule>('server/index.js');
  const store = await openStore({ kind: 'sqlite', dir, file: join(dir, 'iamsight.db') });
  const started = performance.now();
  await recordSyntheticScans(store, { findings: FINDINGS, scans: SCANS });
  const storeMs = performance.now() - started;
  const now = new Date(START + (SCANS + 1) * DAY).toISOString();
  const app = await createServer({
    store,
    // Resource panels are not measured: no snapshot.
    analysis: fixedAnalysis({ state: 'none', detail: 'bench: no snapshot' }),
    staticDir: fileURLToPath(new URL('web/', dist)),
    now: () => now,
  });
  app.addHook('onResponse', async (request, reply) => {
    if (request.url.startsWith('/api/'))
      process.stdout.write(
        JSON.stringify({ api: request.url, status: reply.statusCode, ms: reply.elapsedTime }) +
          '\n',
      );
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(
    JSON.stringify({
      ready: `http://127.0.0.1:${port}/`,
      findings: FINDINGS,
      scans: SCANS,
      storeMs,
    }) + '\n',
  );
  const stop = (): void => {
    void app
      .close()
      .then(() => store.close())
      .then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop); // the parent went away
  process.stdin.resume();
}

interface ServerChild {
  readonly url: string;
  readonly storeMs: number;
  /** API requests answered since the last call, oldest first. */
  take(): { api: string; status: number; ms: number }[];
  close(): Promise<void>;
}

function startServerChild(dir: string): Promise<ServerChild> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve', dir],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let requests: { api: string; status: number; ms: number }[] = [];
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the server child exited (${code})`)));
    createInterface({ input: child.stdout }).on('line', (text) => {
      if (!text.startsWith('{')) return;
      const line = JSON.parse(text) as ServerLine;
      if ('api' in line) requests.push(line);
      else
        resolve({
          url: line.ready,
          storeMs: line.storeMs,
          take: () => {
            const out = requests;
            requests = [];
            return out;
          },
          close: async () => {
            child.kill('SIGTERM');
            await exited;
          },
        });
    });
  });
}

// Scripts for the page, as plain JavaScript text: tsx would add helpers the page does not have.

/** Before the app runs: the time (since navigation) the first rows of the list appeared. */
const FIRST_ROWS_PROBE = `(() => {
  const seen = () => document.querySelector('.list-scroll[aria-busy="false"] [data-index]');
  new MutationObserver((_, observer) => {
    if (window.__firstRowsAt === undefined && seen()) {
      window.__firstRowsAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true, attributes: true });
})()`;

/** Starts recording the time between animation frames, and long tasks. */
const FRAME_PROBE_START = `(() => {
  window.__frames = [];
  window.__longTasks = [];
  window.__probing = true;
  let last = performance.now();
  const tick = (t) => {
    window.__frames.push(t - last);
    last = t;
    if (window.__probing) requestAnimationFrame(tick);
  };
  requestAnimationFrame((t) => { last = t; requestAnimationFrame(tick); });
  try {
    window.__longTaskObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push(e.duration);
    });
    window.__longTaskObserver.observe({ type: 'longtask' });
  } catch {}
})()`;

const FRAME_PROBE_STOP = `(() => {
  window.__probing = false;
  window.__longTaskObserver?.disconnect();
  return { frames: window.__frames, longTasks: window.__longTasks };
})()`;

/** The list's state: rows in the DOM, rows the list holds, scroll position. */
const LIST_STATE = `(() => {
  const list = document.querySelector('.list-scroll');
  return {
    domRows: list ? list.querySelectorAll('[data-index]').length : 0,
    domNodes: document.getElementsByTagName('*').length,
    height: list ? list.scrollHeight : 0,
    scrolled: list ? list.scrollTop + list.clientHeight : 0,
    loadingRow: !!document.querySelector('.list-scroll .row-loading'),
  };
})()`;

/** The API requests the page made since `since` (ms after navigation). */
const API_TIMINGS = `(since) => performance.getEntriesByType('resource')
  .filter((e) => e.name.includes('/api/') && e.startTime >= since)
  .map((e) => ({ url: new URL(e.name).pathname + new URL(e.name).search, ms: e.responseEnd - e.startTime, bytes: e.encodedBodySize }))`;

/**
 * Page script text: runs the statements \`act\` and resolves with the ms until the predicate
 * \`done\` (function text) holds, checked on every DOM change and frame. Composed as text, not
 * passed to \`new Function\`: the app's CSP forbids eval (the bench's own \`evaluate\` is exempt).
 */
function timeUntil(act: string, done: string): string {
  return `new Promise((resolve) => {
    const isDone = ${done};
    const started = performance.now();
    let finished = false;
    const check = () => {
      if (finished) return;
      if (isDone()) {
        finished = true;
        observer.disconnect();
        resolve({ ms: performance.now() - started });
      } else requestAnimationFrame(check);
    };
    const observer = new MutationObserver(check);
    observer.observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
    (() => { ${act} })();
    requestAnimationFrame(check);
  })`;
}

/** Waits (polling each frame, in the page) until the expression \`condition\` is true. */
async function waitUntil(page: Page, condition: string, timeoutMs = 60_000): Promise<void> {
  await page.evaluate(`new Promise((resolve, reject) => {
    const limit = performance.now() + ${timeoutMs};
    const check = () => {
      if (${condition}) resolve();
      else if (performance.now() > limit) reject(new Error('timed out waiting for ' + ${JSON.stringify(condition)}));
      else setTimeout(check, 10);
    };
    check();
  })`);
}

/** The list is loaded and every row on screen is a finding satisfying `test(row)`. */
function rowsSatisfy(test: string): string {
  return `() => {
    const list = document.querySelector('.list-scroll[aria-busy="false"]');
    if (!list) return false;
    const rows = [...list.querySelectorAll('.row-finding')];
    return rows.length > 0 && rows.every(${test});
  }`;
}

interface ApiTiming {
  readonly url: string;
  readonly ms: number;
  readonly bytes: number;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? NaN;
}

/** "findings?…" → a short name for the table. */
function endpointOf(url: string): string {
  const path = url.split('?')[0]!.replace(/^\/api\//, '');
  return path === 'findings' && url.includes('cursor=') ? 'findings (next page)' : path;
}

function describeApi(
  browser: readonly ApiTiming[],
  server: readonly { api: string; ms: number }[],
) {
  return browser.map((b) => {
    const match = server.find((s) => s.api === b.url);
    return {
      endpoint: endpointOf(b.url),
      browserMs: b.ms,
      serverMs: match?.ms ?? NaN,
      kb: b.bytes / 1024,
    };
  });
}

const f0 = (v: number): string => (Number.isFinite(v) ? v.toFixed(0) : '–');
const f1 = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '–');

async function newPage(browser: Browser) {
  const opened = await openPage(browser);
  await opened.page.addInitScript(FIRST_ROWS_PROBE);
  return opened;
}

async function firstRows(page: Page, url: string, group: 'none' | 'resource' | 'risk') {
  await page.goto(`${url}explorer${group === 'risk' ? '' : `?group=${group}`}`);
  await waitUntil(page, 'window.__firstRowsAt !== undefined');
  // Let the facets finish too: they are part of what the page asked for.
  await page.waitForSelector('.facets input[data-facet="severity"]', { timeout: 60_000 });
  await page.waitForLoadState('networkidle');
  const firstRowsMs = (await page.evaluate('window.__firstRowsAt')) as number;
  const api = (await page.evaluate(`(${API_TIMINGS})(0)`)) as ApiTiming[];
  return { firstRowsMs, api };
}

async function run(): Promise<void> {
  const executable = findChromium();
  if (!executable) {
    console.log('web-explorer: skipped, no chromium (apt-get install -y chromium)');
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'iamsight-bench-web-'));
  let server: ServerChild | null = null;
  let browser: Browser | null = null;
  try {
    console.log(
      `building an embedded store of ${FINDINGS.toLocaleString('en')} findings × ${SCANS} scans…`,
    );
    server = await startServerChild(dir);
    console.log(`store ready in ${(server.storeMs / 1000).toFixed(1)} s; server ${server.url}`);
    browser = await launchBrowser(executable);

    // 1. Navigation → first rows.
    console.log('\nnavigation → first rows (fresh context, 1280×800)');
    console.log('  group      first rows   API requests (browser ms / server ms / kB)');
    for (const group of ['none', 'resource', 'risk'] as const) {
      server.take();
      const { page, close } = await newPage(browser);
      const { firstRowsMs, api } = await firstRows(page, server.url, group);
      const calls = describeApi(api, server.take());
      console.log(
        `  ${group.padEnd(10)} ${f0(firstRowsMs).padStart(7)} ms   ` +
          calls
            .map((c) => `${c.endpoint} ${f0(c.browserMs)}/${f0(c.serverMs)}/${f1(c.kb)}`)
            .join(', '),
      );
      await close();
    }

    // 2. Scrolling the flat list through 20 pages.
    const { page, close } = await newPage(browser);
    await firstRows(page, server.url, 'none');
    server.take();
    const box = (await page.locator('.list-scroll').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.evaluate(FRAME_PROBE_START);
    const scrollStarted = Date.now();
    let maxDomRows = 0;
    let maxDomNodes = 0;
    let steps = 0;
    const wanted = SCROLL_PAGES * 100 * ROW_HEIGHT;
    for (;;) {
      await page.mouse.wheel(0, WHEEL_STEP);
      // One frame per step, as a wheel or trackpad gives them.
      await page.evaluate('new Promise((r) => requestAnimationFrame(() => r()))');
      steps += 1;
      const state = (await page.evaluate(LIST_STATE)) as {
        domRows: number;
        domNodes: number;
        height: number;
        scrolled: number;
        loadingRow: boolean;
      };
      maxDomRows = Math.max(maxDomRows, state.domRows);
      maxDomNodes = Math.max(maxDomNodes, state.domNodes);
      // The bottom of the 20th page is on screen (the 21st may be loading).
      if (state.scrolled >= wanted) break;
      if (Date.now() - scrollStarted > 90_000) throw new Error('scrolling took over 90 s');
    }
    const scrollMs = Date.now() - scrollStarted;
    const probe = (await page.evaluate(FRAME_PROBE_STOP)) as {
      frames: number[];
      longTasks: number[];
    };
    const pages = server.take().filter((r) => r.api.startsWith('/api/findings?'));
    const pageApi = (await page.evaluate(`(${API_TIMINGS})(0)`)) as ApiTiming[];
    const nextPages = pageApi.filter(
      (a) => a.url.startsWith('/api/findings?') && a.url.includes('cursor='),
    );
    const frames = [...probe.frames].sort((a, b) => a - b);
    const rowsLoaded = Math.round(
      ((await page.evaluate(LIST_STATE)) as { height: number }).height / ROW_HEIGHT,
    );
    console.log(
      `\nscrolling the flat list (wheel ${WHEEL_STEP} px × ${steps} steps, ${(scrollMs / 1000).toFixed(1)} s, ` +
        `${rowsLoaded} rows loaded in ${nextPages.length + 1} pages)`,
    );
    console.log(
      `  frames ${frames.length}: median ${f1(quantile(frames, 0.5))} ms, p95 ${f1(quantile(frames, 0.95))} ms, ` +
        `max ${f1(frames.at(-1) ?? NaN)} ms; over ${LONG_FRAME_MS} ms: ${frames.filter((f) => f > LONG_FRAME_MS).length}; ` +
        `long tasks ${probe.longTasks.length} (max ${f0(Math.max(0, ...probe.longTasks))} ms)`,
    );
    const pageMs = nextPages.map((p) => p.ms).sort((a, b) => a - b);
    const pageServerMs = pages.map((p) => p.ms).sort((a, b) => a - b);
    console.log(
      `  next page (limit 100): browser median ${f0(quantile(pageMs, 0.5))} ms, max ${f0(pageMs.at(-1) ?? NaN)} ms; ` +
        `server median ${f0(quantile(pageServerMs, 0.5))} ms, max ${f0(pageServerMs.at(-1) ?? NaN)} ms`,
    );
    console.log(`  rows in the DOM: at most ${maxDomRows}; DOM elements at most ${maxDomNodes}`);

    // 3. Facet click and free-text search, from the top of the flat list.
    await firstRows(page, server.url, 'none');
    server.take();
    const since = (await page.evaluate('performance.now()')) as number;
    const facet = (await page.evaluate(
      timeUntil(
        `document.querySelector('.facets input[data-facet="severity"][data-value="high"]').click();`,
        rowsSatisfy(`(r) => r.querySelector('.sev')?.textContent === 'high'`),
      ),
    )) as { ms: number };
    await page.waitForLoadState('networkidle');
    const facetApi = describeApi(
      (await page.evaluate(`(${API_TIMINGS})(${since})`)) as ApiTiming[],
      server.take(),
    );
    console.log(`\nfacet click (severity high) → filtered rows: ${f0(facet.ms)} ms`);
    for (const c of facetApi)
      console.log(`  ${c.endpoint}: browser ${f0(c.browserMs)} ms, server ${f0(c.serverMs)} ms`);

    await firstRows(page, server.url, 'none');
    server.take();
    const term = 'service-123';
    await page.fill('input.search', term.slice(0, -1));
    const since2 = (await page.evaluate('performance.now()')) as number;
    // The last keystroke, then the box waits 300 ms of quiet before it searches.
    const search = (await page.evaluate(
      timeUntil(
        `const input = document.querySelector('input.search');
       const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
       set.call(input, ${JSON.stringify(term)});
       input.dispatchEvent(new Event('input', { bubbles: true }));`,
        rowsSatisfy(
          `(r) => (r.querySelector('.row-resource')?.textContent ?? '').includes(${JSON.stringify(term)}) || (r.querySelector('.row-title')?.textContent ?? '').includes(${JSON.stringify(term)})`,
        ),
      ),
    )) as { ms: number };
    await page.waitForLoadState('networkidle');
    const searchApi = describeApi(
      (await page.evaluate(`(${API_TIMINGS})(${since2})`)) as ApiTiming[],
      server.take(),
    );
    console.log(
      `free-text search "${term}" → results: ${f0(search.ms)} ms after the last keystroke (300 ms of it the box's debounce)`,
    );
    for (const c of searchApi)
      console.log(`  ${c.endpoint}: browser ${f0(c.browserMs)} ms, server ${f0(c.serverMs)} ms`);
    await close();
  } finally {
    await browser?.close();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--serve' && process.argv[3]) await serve(process.argv[3]);
else if (import.meta.url === `file://${process.argv[1]}`) await run();

/**
 * The Relationships view's layout: dagre (the same build the UI bundles) laying out access-graph
 * neighbourhoods of 50, 200 (the API's cap) and 400 nodes inside headless chromium, as the UI
 * does (left to right, 190×46 nodes). Prints the median and worst of 15 runs after 3 warm-ups.
 * Needs chromium (/usr/bin/chromium or IAMSIGHT_CHROMIUM); says so and stops without it.
 */
import { fileURLToPath } from 'node:url';
import { findChromium, launchBrowser } from '../web/e2e/browser.js';

const executable = findChromium();
if (!executable) {
  console.log('web-layout: skipped, no chromium (apt-get install -y chromium)');
  process.exit(0);
}
const dagreFile = fileURLToPath(
  new URL('../node_modules/@dagrejs/dagre/dist/dagre.js', import.meta.url),
);
/**
 * Runs in the page: a neighbourhood shaped like the API's (a centre principal, its groups and
 * policies, roles it can assume with their policies, principals trusting it, compute running as
 * roles), laid out 18 times; the first 3 are warm-ups.
 */
const LAYOUT_IN_PAGE = `function (count) {
  let seed = 7;
  const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  const ids = Array.from({ length: count }, (_, i) => 'n' + i);
  const edges = [];
  for (let i = 1; i < count; i++) {
    const parent = i < 12 ? 0 : Math.floor(random() * Math.min(i, 40));
    edges.push(random() < 0.5 ? ['n' + parent, 'n' + i] : ['n' + i, 'n' + parent]);
    if (random() < 0.4) edges.push(['n' + i, 'n' + Math.floor(random() * i)]);
  }
  const runs = [];
  for (let run = 0; run < 18; run++) {
    const started = performance.now();
    const g = new dagre.graphlib.Graph({ multigraph: true });
    g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 70, marginx: 10, marginy: 10 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const id of ids) g.setNode(id, { width: 190, height: 46 });
    edges.forEach(([a, b], i) => { if (a !== b) g.setEdge(a, b, {}, 'e' + i); });
    dagre.layout(g);
    if (run >= 3) runs.push(performance.now() - started);
  }
  runs.sort((a, b) => a - b);
  return { edges: edges.length, medianMs: runs[Math.floor(runs.length / 2)], maxMs: runs[runs.length - 1] };
}`;

const browser = await launchBrowser(executable);
try {
  const page = await browser.newPage();
  await page.addScriptTag({ path: dagreFile });
  for (const nodes of [50, 200, 400]) {
    // Plain JavaScript text: tsx would add helpers to a function that the page does not have.
    const result = (await page.evaluate(`(${LAYOUT_IN_PAGE})(${nodes})`)) as {
      edges: number;
      medianMs: number;
      maxMs: number;
    };
    console.log(
      JSON.stringify({
        nodes,
        edges: result.edges,
        medianMs: Number(result.medianMs?.toFixed(1)),
        maxMs: Number(result.maxMs?.toFixed(1)),
      }),
    );
  }
} finally {
  await browser.close();
}

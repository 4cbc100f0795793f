/**
 * Catalog: cold load time and retained memory of the action catalog, throughput of action-pattern
 * expansion on a realistic pattern mix (cold and warm cache), and memory per ActionSet.
 *
 * Patterns come from the Action/NotAction elements of the iam-vulnerable authorization details in
 * the shared corpus, mixed with generated `svc:Prefix*` patterns; without the corpus, all are
 * generated.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ActionSet, Catalog } from '../src/catalog/index.js';
import { buildCatalog, loadCatalog, readIamDataSource } from '../src/catalog/index.js';

const PATTERN_COUNT = 200_000;
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const corpusFile = join(
  process.env.IAMSIGHT_CORPUS ?? resolve(repoRoot, '..', 'shared', 'corpus'),
  'cloudsplaining',
  'iam-vulnerable-account-authorization-details.json',
);

/** A garbage-collection trigger, so heap figures are retained memory rather than garbage. */
function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = unknown;

/** The Action/NotAction lists of every statement of every policy document in an authz file. */
function statementActionLists(file: string): string[][] {
  const details = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Json>;
  const lists: string[][] = [];
  const visitDocument = (document: Json): void => {
    const parsed = (
      typeof document === 'string' ? JSON.parse(decodeURIComponent(document)) : document
    ) as { Statement?: Json };
    const statements = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
    for (const statement of statements as Record<string, Json>[]) {
      for (const element of [statement?.Action, statement?.NotAction]) {
        if (typeof element === 'string') lists.push([element]);
        else if (Array.isArray(element)) lists.push(element.filter((a) => typeof a === 'string'));
      }
    }
  };
  for (const policy of (details.Policies ?? []) as Record<string, Json>[]) {
    for (const version of (policy.PolicyVersionList ?? []) as Record<string, Json>[]) {
      visitDocument(version.Document);
    }
  }
  for (const list of ['UserDetailList', 'GroupDetailList', 'RoleDetailList']) {
    for (const entity of (details[list] ?? []) as Record<string, Json>[]) {
      for (const inline of ['UserPolicyList', 'GroupPolicyList', 'RolePolicyList']) {
        for (const policy of (entity[inline] ?? []) as Record<string, Json>[]) {
          visitDocument(policy.PolicyDocument);
        }
      }
    }
  }
  return lists;
}

/** `svc:Prefix*` patterns built from real action names (and some `svc:*` and exact names). */
function generatedPatterns(catalog: Catalog, count: number, random: () => number): string[] {
  const patterns: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = catalog.actionName(Math.floor(random() * catalog.actionCount));
    const colon = name.indexOf(':');
    const roll = random();
    if (roll < 0.1) patterns.push(`${name.slice(0, colon)}:*`);
    else if (roll < 0.3) patterns.push(name);
    else {
      const cut = colon + 1 + Math.floor(random() * (name.length - colon));
      patterns.push(`${name.slice(0, cut)}*`);
    }
  }
  return patterns;
}

function timeIt(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

function rate(count: number, ms: number): string {
  return `${Math.round(count / (ms / 1000)).toLocaleString('en')}/s`;
}

export default async function run(): Promise<void> {
  const gc = collectGarbage();
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  let catalog!: Catalog;
  const loadMs = timeIt(() => {
    catalog = loadCatalog();
  });
  gc();
  const retainedMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
  console.log(
    `catalog load (cold, this process): ${loadMs.toFixed(0)} ms; ${catalog.serviceCount} services, ` +
      `${catalog.actionCount.toLocaleString('en')} actions (iam-data ${catalog.version}, ${catalog.updatedAt}); ` +
      `retained heap ${retainedMb.toFixed(1)} MB`,
  );
  const rebuildMs = timeIt(() => buildCatalog(readIamDataSource()));
  console.log(`catalog build again (warm JIT and file cache): ${rebuildMs.toFixed(0)} ms`);

  const random = seededRandom(1);
  const lists = existsSync(corpusFile) ? statementActionLists(corpusFile) : [];
  const corpusPatterns = lists.flat();
  const pool =
    corpusPatterns.length > 0
      ? [...corpusPatterns, ...generatedPatterns(catalog, corpusPatterns.length, random)]
      : generatedPatterns(catalog, 20_000, random);
  console.log(
    corpusPatterns.length > 0
      ? `patterns: ${corpusPatterns.length.toLocaleString('en')} from ${lists.length.toLocaleString('en')} statements of the corpus + as many generated svc:Prefix*`
      : `patterns: generated only (corpus absent: ${corpusFile})`,
  );
  const patterns = Array.from(
    { length: PATTERN_COUNT },
    () => pool[Math.floor(random() * pool.length)]!,
  );
  const distinct = new Set(patterns.map((pattern) => pattern.toLowerCase())).size;

  // A fresh catalog, so its expansion cache starts empty.
  const fresh = buildCatalog(readIamDataSource());
  gc();
  const heapBeforeCache = process.memoryUsage().heapUsed;
  const coldMs = timeIt(() => {
    for (const pattern of patterns) fresh.expandActionPattern(pattern);
  });
  gc();
  const cacheBytes = process.memoryUsage().heapUsed - heapBeforeCache;
  const warmMs = timeIt(() => {
    for (const pattern of patterns) fresh.expandActionPattern(pattern);
  });
  console.log(
    `expand ${PATTERN_COUNT.toLocaleString('en')} patterns (${distinct.toLocaleString('en')} distinct), cold cache: ` +
      `${coldMs.toFixed(0)} ms (${rate(PATTERN_COUNT, coldMs)}; ${((coldMs * 1000) / distinct).toFixed(1)} µs per distinct pattern)`,
  );
  console.log(
    `expand ${PATTERN_COUNT.toLocaleString('en')} patterns, warm cache: ${warmMs.toFixed(0)} ms (${rate(PATTERN_COUNT, warmMs)})`,
  );

  // Whole statements, as the policy engine will expand them: union of each Action list.
  const statements = lists.length > 0 ? lists : [];
  if (statements.length > 0) {
    const repeats = Math.ceil(PATTERN_COUNT / corpusPatterns.length);
    const statementMs = timeIt(() => {
      for (let r = 0; r < repeats; r++) {
        for (const list of statements) fresh.expandActionPatterns(list);
      }
    });
    const statementCount = statements.length * repeats;
    console.log(
      `expand ${statementCount.toLocaleString('en')} statements' Action lists (union, warm cache): ` +
        `${statementMs.toFixed(0)} ms (${rate(statementCount, statementMs)})`,
    );
  }

  const sets: ActionSet[] = [...new Set(patterns)].map((p) => fresh.expandActionPattern(p));
  const averageBytes = sets.reduce((sum, set) => sum + set.storageBytes(), 0) / sets.length;
  console.log(
    `ActionSet memory: full set ${catalog.allActions().storageBytes().toLocaleString('en')} bytes of words; ` +
      `average over the distinct patterns ${averageBytes.toFixed(0)} bytes of words; ` +
      `expansion cache ${(cacheBytes / 1e6).toFixed(1)} MB heap for ${fresh.expansionCacheSize.toLocaleString('en')} entries ` +
      `(${Math.round(cacheBytes / fresh.expansionCacheSize)} bytes each, key and result included)`,
  );
  const notAction = fresh.expandActionPatterns(['iam:*', 's3:*'], { not: true });
  console.log(`NotAction [iam:*, s3:*]: ${notAction.count().toLocaleString('en')} actions`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();

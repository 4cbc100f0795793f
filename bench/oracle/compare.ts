/**
 * Differential check of iamsight's policy engine against @cloud-copilot/iam-simulate (AGPL-3.0,
 * installed only in this folder). A report, not a gate: it always exits 0.
 *
 *   cd bench/oracle && npm install && npm run compare -- [--n 2000] [--seed 42]
 *       [--verbose] [--no-shrink] [--no-throughput] [--throughput-ms 3000] [--json FILE]
 *
 * 1. replays every case of src/policy/cases/**.json through both engines;
 * 2. draws N random realistic cases (seeded) and compares the decisions;
 * 3. shrinks each random disagreement to a minimal case and groups them by what they contain;
 * 4. measures both engines' requests per second on the random cases.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { evalFileSchema, type EvalCase } from '../../src/policy/eval-case.js';
import { compareCase, type Comparison } from './engines.js';
import { generateCases } from './generate.js';
import { shrinkCase } from './shrink.js';
import { measureThroughput } from './throughput.js';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '42' },
    verbose: { type: 'boolean', default: false },
    'no-shrink': { type: 'boolean', default: false },
    'no-throughput': { type: 'boolean', default: false },
    'throughput-ms': { type: 'string', default: '3000' },
    json: { type: 'string' },
  },
});

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const casesRoot = join(repoRoot, 'src', 'policy', 'cases');

interface Disagreement {
  readonly source: string;
  readonly evalCase: EvalCase;
  readonly ours: string;
  readonly theirs: string;
  readonly detail: string;
  minimal?: EvalCase;
  minimalDetail?: string;
  signature?: string;
}

interface Tally {
  compared: number;
  agreed: number;
  /** iamsight's decisions on the compared cases, to show the mix the generator draws. */
  readonly decisions: Map<string, number>;
  readonly disagreements: Disagreement[];
  readonly skipped: Map<string, number>;
}

const newTally = (): Tally => ({
  compared: 0,
  agreed: 0,
  decisions: new Map(),
  disagreements: [],
  skipped: new Map(),
});

function record(tally: Tally, source: string, evalCase: EvalCase, result: Comparison): void {
  if (result.kind === 'skipped') {
    tally.skipped.set(result.reason, (tally.skipped.get(result.reason) ?? 0) + 1);
    return;
  }
  tally.compared += 1;
  tally.decisions.set(result.ours, (tally.decisions.get(result.ours) ?? 0) + 1);
  if (result.ours === result.theirs.decision) {
    tally.agreed += 1;
    return;
  }
  const { theirs } = result;
  const detail = [
    theirs.blockedBy.length > 0 ? `iam-simulate blockedBy: ${theirs.blockedBy.join(', ')}` : '',
    theirs.ignoredContextKeys.length > 0
      ? `iam-simulate ignored context keys: ${theirs.ignoredContextKeys.join(', ')}`
      : '',
    ...theirs.notes,
    `iamsight: ${result.oursReasons.join(' | ')}`,
  ]
    .filter(Boolean)
    .join('\n      ');
  tally.disagreements.push({
    source,
    evalCase,
    ours: result.ours,
    theirs: theirs.decision,
    detail,
  });
}

function corpusFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? corpusFiles(join(dir, entry.name))
        : entry.name.endsWith('.json')
          ? [join(dir, entry.name)]
          : [],
    )
    .sort();
}

/** Condition operators and keys (`NotIpAddress aws:SourceIp`) anywhere in a policy value. */
function conditionFeatures(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) conditionFeatures(item, into);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'Condition' && child !== null && typeof child === 'object') {
      for (const [operator, clauses] of Object.entries(child))
        for (const conditionKey of Object.keys(clauses as object))
          into.add(`${operator} ${conditionKey.replace(/\/.*/, '/*')}`);
    } else conditionFeatures(child, into);
  }
}

/** What a (minimal) case is made of: the key a disagreement class is grouped by. */
function signatureOf(d: Disagreement): string {
  const c = d.minimal ?? d.evalCase;
  // GetCallerIdentity needs no permission at all: one class whatever the policies.
  if (c.request.action.toLowerCase() === 'sts:getcalleridentity')
    return `iamsight ${d.ours} vs iam-simulate ${d.theirs}: sts:GetCallerIdentity`;
  const features = new Set<string>();
  const caller = c.request.principal.includes(':assumed-role/') ? 'role session' : 'user';
  const callerAccount = c.request.principal.split(':')[4];
  const owner = c.request.resourceAccount ?? c.request.resource.split(':')[4] ?? callerAccount;
  features.add(`${caller}, ${owner && owner !== callerAccount ? 'cross-account' : 'same account'}`);
  if (c.request.action === 'sts:AssumeRole') features.add('sts:AssumeRole (trust policy)');
  const kinds: [string, unknown][] = [
    ['identity', c.identityPolicies.length > 0 ? c.identityPolicies : undefined],
    ['boundary', c.permissionBoundary],
    ['session policy', c.sessionPolicy],
    ['SCP', c.scps],
    ['RCP', c.rcps],
    ['resource policy', c.resourcePolicy],
  ];
  for (const [kind, value] of kinds) {
    if (value === undefined) continue;
    features.add(kind);
    conditionFeatures(value, features);
    const text = JSON.stringify(value);
    for (const element of ['NotAction', 'NotResource', 'NotPrincipal'])
      if (text.includes(`"${element}"`)) features.add(element);
    if (text.includes('${')) features.add('policy variable');
  }
  return `iamsight ${d.ours} vs iam-simulate ${d.theirs}: ${[...features].join(', ')}`;
}

function printSkipped(skipped: Map<string, number>): void {
  for (const [reason, count] of [...skipped].sort((a, b) => b[1] - a[1]))
    console.log(`    ${String(count).padStart(5)}  ${reason}`);
}

function printSummary(title: string, tally: Tally, total: number): void {
  const skippedCount = [...tally.skipped.values()].reduce((a, b) => a + b, 0);
  console.log(`\n== ${title}`);
  console.log(
    `  cases: ${total}; compared: ${tally.compared}; agreed: ${tally.agreed}; ` +
      `disagreed: ${tally.disagreements.length}; skipped: ${skippedCount}`,
  );
  const mix = [...tally.decisions].map(([decision, n]) => `${decision} ${n}`).join(', ');
  console.log(`  iamsight's decisions on the compared cases: ${mix}`);
  if (skippedCount > 0) {
    console.log('  skipped, by reason:');
    printSkipped(tally.skipped);
  }
}

async function main(): Promise<void> {
  const count = Number(args.n);
  const seed = Number(args.seed);

  // 1. The corpus.
  const corpus = newTally();
  let corpusTotal = 0;
  for (const file of corpusFiles(casesRoot)) {
    const source = relative(casesRoot, file);
    for (const evalCase of evalFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')))) {
      corpusTotal += 1;
      record(corpus, source, evalCase, await compareCase(evalCase));
    }
  }
  printSummary('corpus: src/policy/cases/**/*.json', corpus, corpusTotal);
  if (corpus.disagreements.length > 0) console.log('  disagreements:');
  for (const d of corpus.disagreements) {
    console.log(`    ${d.source} — ${d.evalCase.name}`);
    console.log(
      `      expected ${d.evalCase.expect?.decision ?? '?'}; iamsight ${d.ours}; iam-simulate ${d.theirs}`,
    );
    if (args.verbose) console.log(`      ${d.detail}`);
  }

  // 2. Random cases.
  const random = newTally();
  const cases = generateCases(seed, count);
  for (const evalCase of cases)
    record(random, `seed ${seed}`, evalCase, await compareCase(evalCase));
  printSummary(`random: ${count} cases, seed ${seed}`, random, count);

  // 3. Shrink and group the random disagreements.
  if (!args['no-shrink']) {
    for (const d of random.disagreements) {
      const minimal = await shrinkCase(d.evalCase, async (candidate) => {
        const result = await compareCase(candidate);
        return (
          result.kind === 'compared' &&
          result.ours === d.ours &&
          result.theirs.decision === d.theirs
        );
      });
      if (minimal.request.context && Object.keys(minimal.request.context).length === 0)
        delete minimal.request.context;
      d.minimal = minimal;
      const again = newTally();
      record(again, d.source, minimal, await compareCase(minimal));
      d.minimalDetail = again.disagreements[0]?.detail ?? '';
    }
  }
  const groups = new Map<string, Disagreement[]>();
  for (const d of random.disagreements) {
    d.signature = signatureOf(d);
    groups.set(d.signature, [...(groups.get(d.signature) ?? []), d]);
  }
  if (groups.size > 0) console.log('  disagreement classes (minimal case of the first of each):');
  for (const [signature, members] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
    const first = members[0]!;
    const services = [...new Set(members.map((m) => m.evalCase.request.action.split(':')[0]))];
    console.log(`\n  [${members.length}×] ${signature}`);
    console.log(`      services: ${services.join(', ')}`);
    console.log(
      `      e.g. ${members
        .map((m) => m.evalCase.name)
        .slice(0, 8)
        .join(', ')}`,
    );
    const shown = { ...(first.minimal ?? first.evalCase), name: `minimal ${first.evalCase.name}` };
    console.log(
      JSON.stringify(shown, null, 2)
        .split('\n')
        .map((line) => `      ${line}`)
        .join('\n'),
    );
    if (args.verbose) console.log(`      ${first.minimalDetail ?? first.detail}`);
  }

  // 4. Throughput.
  let throughput: Awaited<ReturnType<typeof measureThroughput>> = [];
  if (!args['no-throughput']) {
    console.log(`\n== throughput on the random cases both engines run`);
    throughput = await measureThroughput(cases, Number(args['throughput-ms']));
    for (const t of throughput)
      console.log(
        `  ${Math.round(t.perSecond).toLocaleString('en-US').padStart(12)} req/s  ${t.name}`,
      );
  }

  console.log(
    `\n== summary: corpus ${corpus.agreed}/${corpus.compared} agreed (${corpus.disagreements.length} disagreements); ` +
      `random ${random.agreed}/${random.compared} agreed (${random.disagreements.length} disagreements in ${groups.size} classes)`,
  );
  if (args.json) {
    writeFileSync(
      args.json,
      JSON.stringify(
        {
          corpus: {
            ...corpus,
            decisions: Object.fromEntries(corpus.decisions),
            skipped: Object.fromEntries(corpus.skipped),
          },
          random: {
            ...random,
            decisions: Object.fromEntries(random.decisions),
            skipped: Object.fromEntries(random.skipped),
          },
          throughput,
        },
        null,
        2,
      ) + '\n',
    );
    console.log(`details written to ${args.json}`);
  }
}

try {
  await main();
} catch (error) {
  // A report, not a gate: say loudly that it is incomplete, and still exit 0.
  console.error(
    `\n== REPORT INCOMPLETE: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
}

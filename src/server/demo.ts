/**
 * `iamsight demo` (and `npm start`): a generated organization (src/generate: several accounts,
 * hundreds of principals, resources with roles, CloudTrail activity) scanned several times over
 * simulated weeks into a temporary embedded store, then served. The changes between scans are
 * computed from the generated data, never written by hand: principals with findings are picked in
 * a seeded order, and their remediation (a trust narrowed to the own account, keys deactivated,
 * MFA on, risky policies removed) is applied from one scan on (a fix: findings resolve), applied
 * until a later scan (a new risk: findings open), or applied and then undone (a regression:
 * findings reopen); one finding is muted with a reason before a later scan. The same seed gives
 * the same findings and the same score sequence.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { analyzeSnapshot, type ScanAnalysis } from '../findings/analyze.js';
import { EMPTY_CONFIG, trackingOf, type ScanConfig } from '../findings/config.js';
import { generateOrganization, writeSnapshotFolder } from '../generate/index.js';
import { readCloudTrail } from '../ingest/cloudtrail/index.js';
import { loadSnapshot } from '../ingest/load-inputs.js';
import type { PolicyDocument, Principal, Snapshot, Usage } from '../model/index.js';
import {
  buildScanRecord,
  openStore,
  resolveStoreLocation,
  type ScanSummary,
  type Store,
} from '../store/index.js';
import { LoadedAnalysis, readyAnalysis } from './analysis.js';
import { startServer, VERSION } from './app.js';

/** The demo's defaults: the bundled sample's size (`scan --sample`). */
export const DEMO_DEFAULTS = { seed: 7, principals: 400, accounts: 4 } as const;

const DAY_MS = 86_400_000;

/** Scans of the demo, and when (days before the generated organization's time). */
const SCAN_DAYS_BEFORE = [28, 21, 14, 7, 0] as const;

/** What the demo configures: a 30-day tracking period, the span of the generated CloudTrail. */
const DEMO_CONFIG: ScanConfig = {
  ...EMPTY_CONFIG,
  usage: { trackingPeriodDays: 30, permissionGapPercent: 40 },
};

export interface DemoOptions {
  readonly seed?: number;
  readonly principals?: number;
  readonly accounts?: number;
  /** 0: any free port (default 8080). */
  readonly port?: number;
  readonly host?: string;
  readonly staticDir?: string | null;
  /** Progress lines (default: none). */
  readonly onProgress?: (line: string) => void;
  readonly log?: (line: string) => void;
}

export interface Demo {
  readonly url: string;
  readonly port: number;
  readonly app: FastifyInstance;
  readonly store: Store;
  /** The recorded scans, oldest first. */
  readonly scans: readonly ScanSummary[];
  /** The temporary folder of its store (removed by close). */
  readonly dir: string;
  /** Stops the server, closes the store and removes its folder. */
  close(): Promise<void>;
}

/** How a principal's risks are taken away (what its owners did to fix them). */
function remediate(principal: Principal): Principal {
  const keepManaged = principal.attachedPolicies.filter(
    (a) =>
      a.policyArn.startsWith('arn:aws:iam::aws:policy/') &&
      !/(AdministratorAccess|IAMFullAccess|PowerUserAccess)$/.test(a.policyArn),
  );
  const base = { inlinePolicies: [], attachedPolicies: keepManaged };
  const mfa = [{ serialNumber: null, kind: 'virtual' as const, enableDate: null }];
  switch (principal.type) {
    case 'role': {
      const trust: PolicyDocument = {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${principal.accountId}:root` },
            Action: 'sts:AssumeRole',
            Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
          },
        ],
      };
      return { ...principal, ...base, trustPolicy: trust };
    }
    case 'user':
      return {
        ...principal,
        ...base,
        accessKeys:
          principal.accessKeys?.map((k) => ({ ...k, status: 'Inactive' as const })) ?? null,
        mfaDevices:
          principal.mfaDevices && principal.mfaDevices.length > 0 ? principal.mfaDevices : mfa,
      };
    case 'group':
      return { ...principal, ...base };
    case 'root':
      return { ...principal, accessKeys: [], mfaDevices: mfa };
  }
}

/** What happens to a picked principal in each scan: remediated (true) or as generated. */
type Plan = readonly boolean[];

const FIXED_FROM = (scan: number): Plan => SCAN_DAYS_BEFORE.map((_, i) => i >= scan);
const NEW_FROM = (scan: number): Plan => SCAN_DAYS_BEFORE.map((_, i) => i < scan);
const REGRESSED = (fixed: number, undone: number): Plan =>
  SCAN_DAYS_BEFORE.map((_, i) => i >= fixed && i < undone);

/** The story of the demo: what each picked principal goes through, in pick order. */
const STORY: readonly Plan[] = [
  FIXED_FROM(1),
  FIXED_FROM(1),
  FIXED_FROM(2),
  FIXED_FROM(2),
  NEW_FROM(2),
  FIXED_FROM(3),
  NEW_FROM(3),
  REGRESSED(1, 3),
  FIXED_FROM(4),
  NEW_FROM(4),
  FIXED_FROM(4),
  REGRESSED(2, 4),
];

/** A stable pseudo-random rank of a string for a seed (FNV-1a): the pick order. */
function rank(seed: number, text: string): number {
  let hash = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const SEVERITY_RANK = { critical: 0, high: 1, medium: 2, low: 3, info: 4 } as const;

/**
 * Principals with findings, in the order the story picks them: by worst severity (critical and
 * high first), then a seeded shuffle, one per category in turn so the story touches trust,
 * credentials, escalation and the rest.
 */
function pickPrincipals(
  snapshot: Snapshot,
  analysis: ScanAnalysis,
  seed: number,
  groupSize: number,
): Principal[] {
  const byArn = new Map(snapshot.principals.map((p) => [p.arn, p]));
  const worst = new Map<string, { severity: number; category: string }>();
  for (const finding of analysis.findings) {
    if (!byArn.has(finding.resource.arn)) continue;
    const severity = SEVERITY_RANK[finding.severity];
    const seen = worst.get(finding.resource.arn);
    if (!seen || severity < seen.severity)
      worst.set(finding.resource.arn, { severity, category: finding.category });
  }
  const candidates = [...worst]
    .filter(([arn, w]) => w.severity <= 2 && !arn.endsWith(':root'))
    .sort(
      ([a, x], [b, y]) =>
        x.severity - y.severity || rank(seed, a) - rank(seed, b) || (a < b ? -1 : 1),
    );
  const byCategory = new Map<string, string[]>();
  for (const [arn, w] of candidates) {
    const list = byCategory.get(w.category) ?? [];
    list.push(arn);
    byCategory.set(w.category, list);
  }
  const picked: Principal[] = [];
  const wanted = STORY.length * groupSize;
  const queues = [...byCategory.keys()].sort().map((c) => byCategory.get(c)!);
  while (picked.length < wanted && queues.some((q) => q.length > 0)) {
    for (const queue of queues) {
      const arn = queue.shift();
      if (arn && picked.length < wanted) picked.push(byArn.get(arn)!);
    }
  }
  return picked;
}

/** The snapshot of scan `index`: the picked principals remediated where the story says. */
function snapshotOfScan(
  snapshot: Snapshot,
  picked: readonly Principal[],
  groupSize: number,
  index: number,
): Snapshot {
  const replaced = new Map<string, Principal>();
  picked.forEach((principal, i) => {
    if (STORY[i % STORY.length]![index]) replaced.set(principal.arn, remediate(principal));
  });
  return {
    ...snapshot,
    principals: snapshot.principals.map((p) => replaced.get(p.arn) ?? p),
  };
}

/** Generates, scans and records the demo into `store`; returns the last scan's analysis. */
export async function recordDemoScans(
  store: Store,
  options: { seed: number; principals: number; accounts: number; workDir: string },
  onProgress: (line: string) => void = () => undefined,
): Promise<{ loaded: LoadedAnalysis; scans: ScanSummary[] }> {
  onProgress(
    `generating an organization: ${options.accounts} accounts, ${options.principals} principals (seed ${options.seed})`,
  );
  // 60 days of CloudTrail: every scan's 30-day tracking period is covered by the logs.
  const org = generateOrganization({
    seed: options.seed,
    principals: options.principals,
    accounts: options.accounts,
    cloudTrailDays: 60,
  });
  const dir = join(options.workDir, 'snapshot');
  await writeSnapshotFolder(org, dir);
  const base = await loadSnapshot({ snapshots: [dir] });
  const usage: Usage = await readCloudTrail([join(dir, 'cloudtrail')]);
  const end = org.options.now.getTime();
  const asOfOf = (i: number): string => new Date(end - SCAN_DAYS_BEFORE[i]! * DAY_MS).toISOString();

  onProgress('analysing the organization as generated');
  const reference = analyzeSnapshot(base, { asOf: asOfOf(0), config: DEMO_CONFIG, usage });
  // About one principal in a hundred per step of the story, so the score visibly moves.
  const groupSize = Math.max(1, Math.round(options.principals / 100));
  const picked = pickPrincipals(base, reference, options.seed, groupSize);

  const scans: ScanSummary[] = [];
  let last: { snapshot: Snapshot; analysis: ScanAnalysis } | null = null;
  for (let i = 0; i < SCAN_DAYS_BEFORE.length; i += 1) {
    const asOf = asOfOf(i);
    if (i === 3) {
      // Before the fourth scan, someone accepts a risk: a stored mute with its reason.
      const candidates = await store.listFindings(
        { status: ['open'], severity: ['high'] },
        { limit: 50 },
        asOf,
      );
      const chosen = [...candidates.items].sort(
        (a, b) => rank(options.seed, a.fingerprint) - rank(options.seed, b.fingerprint),
      )[0];
      if (chosen)
        await store.addMute(
          {
            fingerprint: chosen.fingerprint,
            reason: 'Accepted risk: reviewed with the owning team, tracked in SEC-142',
            by: 'security@example.com',
          },
          asOf,
        );
    }
    onProgress(`scan ${i + 1}/${SCAN_DAYS_BEFORE.length} as of ${asOf.slice(0, 10)}`);
    const snapshot = snapshotOfScan(base, picked, groupSize, i);
    const mutes = await store.activeMutes();
    const analysis = analyzeSnapshot(snapshot, {
      asOf,
      config: { ...DEMO_CONFIG, mutes: [...mutes] },
      usage,
    });
    scans.push(
      await store.recordScan(
        buildScanRecord(snapshot, analysis, {
          inputs: [`iamsight demo --seed ${options.seed} --principals ${options.principals}`],
          version: VERSION,
          recordedAt: asOf,
          mutes,
        }),
      ),
    );
    last = { snapshot, analysis };
  }
  return {
    loaded: new LoadedAnalysis(
      last!.snapshot,
      last!.analysis,
      trackingOf(DEMO_CONFIG),
      `the demo organization (seed ${options.seed})`,
    ),
    scans,
  };
}

/** Builds the demo and serves it; `close()` stops it and removes its temporary store. */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const seed = options.seed ?? DEMO_DEFAULTS.seed;
  const principals = options.principals ?? DEMO_DEFAULTS.principals;
  const accounts = options.accounts ?? DEMO_DEFAULTS.accounts;
  const workDir = await mkdtemp(join(tmpdir(), 'iamsight-demo-'));
  let store: Store | null = null;
  try {
    store = await openStore(resolveStoreLocation(join(workDir, 'store'), {}, workDir));
    const { loaded, scans } = await recordDemoScans(
      store,
      { seed, principals, accounts, workDir },
      options.onProgress,
    );
    await rm(join(workDir, 'snapshot'), { recursive: true, force: true });
    const { app, url, port } = await startServer({
      store,
      analysis: readyAnalysis(loaded),
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 8080,
      ...(options.staticDir !== undefined ? { staticDir: options.staticDir } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
    const opened = store;
    let closed: Promise<void> | null = null;
    return {
      url,
      port,
      app,
      store: opened,
      scans,
      dir: workDir,
      close: () =>
        (closed ??= (async () => {
          await app.close();
          await opened.close();
          await rm(workDir, { recursive: true, force: true });
        })()),
    };
  } catch (error) {
    await store?.close();
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * A synthetic scan history at scale, shaped like real ones, for the benchmarks that need a full
 * store (store, web-explorer): the catalog's rules over 20 accounts, evidence of a few hundred
 * bytes; each scan after the first resolves ~2%, reopens ~0.3%, opens new ones for the rest (so
 * about `findings` stay open) and rewrites the content of ~0.5%; every 10th scan lacks one
 * account's credential report; two stored mutes from scan 10. Deterministic (seeded).
 */
import type * as Registry from '../src/detections/registry.js';
import type { Requirement } from '../src/detections/types.js';
import type * as ConfigModule from '../src/findings/config.js';
import type * as FindingsModule from '../src/findings/findings.js';
import type { Finding } from '../src/findings/findings.js';
import type { ScanCoverage } from '../src/findings/lifecycle.js';
import type { ScanRecord, Store } from '../src/store/index.js';

// Benchmarks measure the compiled code that `iamsight` runs.
const dist = new URL('../dist/', import.meta.url);
const load = <T>(path: string): Promise<T> => import(new URL(path, dist).href) as Promise<T>;

export const ACCOUNTS = Array.from({ length: 20 }, (_, i) => String(100000000001 + i));
export const DAY = 86_400_000;
export const START = Date.parse('2026-01-01T06:00:00.000Z');

/** Deterministic pseudo-random numbers (mulberry32). */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function resourceOf(type: string, accountId: string, n: number) {
  const iam: Record<string, string> = {
    'AWS::IAM::Role': `role/service-${n}`,
    'AWS::IAM::User': `user/dev-${n}`,
    'AWS::IAM::Group': `group/team-${n}`,
    'AWS::IAM::ManagedPolicy': `policy/app-policy-${n}`,
    'AWS::IAM::Root': 'root',
  };
  const path = iam[type];
  if (path)
    return {
      arn: `arn:aws:iam::${accountId}:${path}`,
      type,
      name: path.split('/').pop()!,
      accountId,
    };
  const service = type.split('::')[1]!.toLowerCase();
  const name = `${service}-resource-${n}`;
  return {
    arn: `arn:aws:${service}:eu-west-1:${accountId}:${name}`,
    type,
    name,
    accountId,
    region: 'eu-west-1',
  };
}

export interface SyntheticHistory {
  /** The findings the last scan reported, by fingerprint. */
  readonly live: ReadonlyMap<string, Finding>;
  /** Findings resolved recently (the oldest first). */
  readonly gone: readonly Finding[];
  /** Lifecycle counts summed over the scans after the first. */
  readonly counts: { resolved: number; opened: number; reopened: number; unchecked: number };
  /** Wall time of each scan write (ms). */
  readonly writes: readonly number[];
  /** CPU time of this process per write (the database server's, for PostgreSQL, is not in it). */
  readonly writesCpu: readonly number[];
}

/** Records `scans` scans of about `findings` open findings each into `store` (the n-th on day n). */
export async function recordSyntheticScans(
  store: Store,
  options: { readonly findings: number; readonly scans: number },
): Promise<SyntheticHistory> {
  const FINDINGS = options.findings;
  const SCANS = options.scans;
  const { DETECTIONS } = await load<typeof Registry>('detections/registry.js');
  const { fingerprintOf } = await load<typeof FindingsModule>('findings/findings.js');
  const { muteFor } = await load<typeof ConfigModule>('findings/config.js');
  const next = random(7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;

  let serial = 0;
  const make = (): Finding => {
    const detection = pick(DETECTIONS);
    const accountId = pick(ACCOUNTS);
    const resource = resourceOf(
      detection.appliesTo[0] ?? 'AWS::IAM::Role',
      accountId,
      Math.floor(next() * 2000),
    );
    serial += 1;
    const fingerprint = fingerprintOf(detection.id, resource.arn, { case: String(serial) });
    return {
      fingerprint,
      ruleId: detection.id,
      anchor: detection.anchor,
      ruleVersion: detection.version,
      title: detection.title,
      severity: detection.severity,
      category: detection.category,
      resource,
      message: `${resource.name} in account ${accountId}: ${detection.title.toLowerCase()} (case ${serial}).`,
      evidence: {
        statements: [
          {
            policy: `arn:aws:iam::${accountId}:policy/app-policy-${serial % 500}`,
            sid: `Stmt${serial % 97}`,
            effect: 'Allow',
            actions: [
              'iam:PassRole',
              'lambda:CreateFunction',
              'lambda:InvokeFunction',
              's3:GetObject',
            ],
            resources: [resource.arn, `arn:aws:s3:::data-${serial % 300}/*`],
          },
        ],
        path: [
          {
            from: resource.arn,
            to: `arn:aws:iam::${accountId}:role/admin`,
            technique: 'lambda-001',
          },
        ],
      },
      remediation: { text: detection.remediation, consoleUrl: null },
      status: 'open',
      mute: null,
    };
  };

  const rules: Record<string, Requirement[]> = Object.fromEntries(
    DETECTIONS.map((d) => [d.id, [...d.requires]]),
  );
  const live = new Map<string, Finding>();
  const gone: Finding[] = [];
  for (let i = 0; i < FINDINGS; i++) {
    const finding = make();
    live.set(finding.fingerprint, finding);
  }
  const mutes: { rule: string; arn: string; reason: string; by: string; id: number }[] = [];
  const writes: number[] = [];
  /** CPU time of this process per write (the database server's, for PostgreSQL, is not in it). */
  const writesCpu: number[] = [];
  let counts = { resolved: 0, opened: 0, reopened: 0, unchecked: 0 };
  for (let scan = 1; scan <= SCANS; scan++) {
    if (scan > 1) {
      const fingerprints = [...live.keys()];
      for (let i = 0; i < Math.round(FINDINGS * 0.02); i++) {
        const fingerprint = pick(fingerprints);
        const finding = live.get(fingerprint);
        if (!finding) continue;
        live.delete(fingerprint);
        gone.push(finding);
      }
      // ~0.3% come back; new ones make up the rest, so about FINDINGS stay open.
      for (let i = 0; i < Math.round(FINDINGS * 0.003) && gone.length > 0; i++) {
        const back = gone.splice(Math.floor(next() * gone.length), 1)[0]!;
        live.set(back.fingerprint, back);
      }
      while (live.size < FINDINGS) {
        const finding = make();
        live.set(finding.fingerprint, finding);
      }
      // Only recently resolved findings come back (and the bench's memory stays bounded).
      if (gone.length > FINDINGS * 0.05) gone.splice(0, gone.length - FINDINGS * 0.05);
      for (let i = 0; i < Math.round(FINDINGS * 0.005); i++) {
        const fingerprint = pick(fingerprints);
        const finding = live.get(fingerprint);
        if (finding)
          live.set(fingerprint, {
            ...finding,
            message: `${finding.message.split(' [')[0]} [scan ${scan}]`,
          });
      }
    }
    if (scan === 10) {
      for (const [rule, arn] of [
        ['iam-role-trusts-own-account-root', 'arn:aws:iam::*:role/service-1*'],
        ['PE-01', `arn:aws:iam::${ACCOUNTS[3]}:*`],
      ] as const) {
        const added = await store.addMute(
          { rule, arn, reason: 'accepted in the quarterly review', by: 'secops' },
          new Date(START + scan * DAY).toISOString(),
        );
        mutes.push({ rule, arn, reason: added.mute.reason, by: 'secops', id: added.mute.id });
      }
    }
    // Every 10th scan lacks account 4's credential report: its findings that need one are not
    // reported, and must stay as they were.
    const missingReport = scan % 10 === 5 ? ACCOUNTS[4]! : null;
    const asOf = new Date(START + scan * DAY).toISOString();
    const findings: Finding[] = [];
    for (const finding of live.values()) {
      if (
        missingReport &&
        finding.resource.accountId === missingReport &&
        rules[finding.ruleId]?.includes('credential-report')
      )
        continue;
      const mute = mutes.length > 0 ? muteFor(mutes, finding, asOf) : null;
      findings.push(
        mute
          ? { ...finding, status: 'muted', mute: { reason: mute.reason, until: null } }
          : finding,
      );
    }
    const coverage: ScanCoverage = {
      accounts: Object.fromEntries(
        ACCOUNTS.map((a) => [a, a === missingReport ? ['credential-report'] : []]),
      ),
      rules,
      failedRules: [],
    };
    const open = findings.filter((f) => f.status === 'open').length;
    const record: ScanRecord = {
      asOf,
      recordedAt: asOf,
      version: 'bench',
      inputs: ['--snapshot bench'],
      findings,
      score: {
        value: Math.round((1000 * (1 - open / (FINDINGS * 10))) / 10) / 10,
        earned: FINDINGS * 10 - open,
        possible: FINDINGS * 10,
        byAccount: Object.fromEntries(
          ACCOUNTS.map((a, i) => [
            a,
            { value: 90 + (i % 10), earned: 90 + (i % 10), possible: 100 },
          ]),
        ),
        byResource: {},
      },
      gaps: missingReport
        ? [
            {
              source: 'iam:credential-report',
              accountId: missingReport,
              region: null,
              detail: 'no credential report was given',
            },
          ]
        : [],
      coverage,
      mutes,
    };
    const started = performance.now();
    const cpu = process.cpuUsage();
    const summary = await store.recordScan(record);
    writes.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    writesCpu.push((used.user + used.system) / 1000);
    if (scan > 1) {
      counts = {
        resolved: counts.resolved + summary.counts.resolved,
        opened: counts.opened + summary.counts.opened,
        reopened: counts.reopened + summary.counts.reopened,
        unchecked: counts.unchecked + summary.counts.unchecked,
      };
    }
  }

  return { live, gone, counts, writes, writesCpu };
}

import { describe, expect, it } from 'vitest';
import { buildDetectionContext, runDetections } from '../detections/run.js';
import { DETECTIONS } from '../detections/registry.js';
import { analyzeAccess } from '../graph/index.js';
import { TestEstate, allow, doc, trust } from '../test-support/estate.js';
import { aPrincipal, aUsage, anAction } from '../test-support/usage.js';
import { credentialReportCsv, scanEstates } from '../test-support/scans.js';
import { mapServiceLastAccessed } from '../ingest/service-last-accessed.js';
import { coverageOf, diffScan, isChecked, type PriorFinding } from './lifecycle.js';
import type { Finding } from './findings.js';

const A = '100000000001';
const B = '100000000002';
const DAY1 = '2026-11-01T00:00:00.000Z';
const DAY2 = '2026-11-02T00:00:00.000Z';

const TRUST_ANY = 'iam-role-trust-any-principal';
const TRUSTS_ROOT = 'iam-role-trusts-own-account-root';
const ROOT_MFA = 'iam-root-without-mfa';

/** Account A: a role anyone can assume (critical) and a role trusting its own account (low). */
function estateA(options: { publicRole?: boolean } = {}): TestEstate {
  const estate = new TestEstate(A);
  if (options.publicRole ?? true) estate.role('public-reader', { trust: trust('*') });
  estate.role('ci', { trust: trust({ AWS: estate.root }) });
  estate.resource('AWS::S3::Bucket', 'arn:aws:s3:::releases-a');
  return estate;
}

/** The state a store would hold after recording `findings`. */
function priorOf(findings: readonly Finding[]): Map<string, PriorFinding> {
  return new Map(
    findings.map((f) => [
      f.fingerprint,
      {
        state: 'open',
        muted: f.status === 'muted',
        ruleId: f.ruleId,
        accountId: f.resource.accountId,
      },
    ]),
  );
}

const byRule = (findings: readonly Finding[], ruleId: string): Finding => {
  const found = findings.find((f) => f.ruleId === ruleId);
  if (!found) throw new Error(`no ${ruleId} finding among ${findings.map((f) => f.ruleId)}`);
  return found;
};

describe('coverageOf', () => {
  it('lists each account with the data it lacks', async () => {
    const b = new TestEstate(B);
    b.role('deployer', { trust: trust({ Service: 'lambda.amazonaws.com' }) });
    const scan = await scanEstates([estateA(), b], {
      asOf: DAY1,
      reports: [credentialReportCsv(A, { rootMfa: false })],
    });
    expect(scan.coverage.accounts).toEqual({
      // A: authorization details, a credential report and an inventory; no CloudTrail anywhere,
      // no Access Advisor data.
      [A]: ['cloudtrail', 'service-last-accessed'],
      // B: no credential report, no AWS Config items.
      [B]: ['credential-report', 'resources', 'cloudtrail', 'service-last-accessed'],
    });
    // The rules that need CloudTrail were not run: they check nothing.
    // (Those that may use Access Advisor data instead have none here either.)
    const needLogs = DETECTIONS.filter(
      (d) => d.requires.includes('cloudtrail') || d.requiresOneOf?.includes('cloudtrail'),
    );
    expect(needLogs.length).toBeGreaterThan(0);
    expect(Object.keys(scan.coverage.rules)).toHaveLength(DETECTIONS.length - needLogs.length);
    expect(scan.coverage.failedRules).toEqual([]);
    expect(isChecked(scan.coverage, ROOT_MFA, A)).toBe(true);
    expect(isChecked(scan.coverage, ROOT_MFA, B)).toBe(false);
    expect(isChecked(scan.coverage, TRUST_ANY, B)).toBe(true);
    // An account the scan did not see at all, and a rule that is not in the catalog.
    expect(isChecked(scan.coverage, TRUST_ANY, '100000000009')).toBe(false);
    expect(isChecked(scan.coverage, 'retired-rule', A)).toBe(false);
  });

  it('counts an account known only from its credential report as lacking IAM data', async () => {
    const scan = await scanEstates([estateA()], {
      asOf: DAY1,
      reports: [
        credentialReportCsv(A, { rootMfa: true }),
        credentialReportCsv(B, { rootMfa: false }),
      ],
    });
    expect(scan.coverage.accounts[B]).toEqual([
      'iam',
      'resources',
      'cloudtrail',
      'service-last-accessed',
    ]);
    expect(isChecked(scan.coverage, ROOT_MFA, B)).toBe(true);
    expect(isChecked(scan.coverage, TRUST_ANY, B)).toBe(false);
  });

  it('marks a rule that failed: it checks nothing', async () => {
    const snapshot = (await scanEstates([estateA()], { asOf: DAY1 })).snapshot;
    const access = analyzeAccess(snapshot, { asOf: DAY1 });
    const ctx = buildDetectionContext(snapshot, access, { asOf: DAY1 });
    const trustAny = DETECTIONS.find((d) => d.id === TRUST_ANY)!;
    const failing = {
      ...trustAny,
      evaluate: () => {
        throw new Error('unexpected trust policy shape');
      },
    };
    const runs = runDetections(ctx, [failing, DETECTIONS.find((d) => d.id === TRUSTS_ROOT)!]);
    const coverage = coverageOf(snapshot, { runs, gaps: [] });
    expect(coverage.failedRules).toEqual([TRUST_ANY]);
    expect(isChecked(coverage, TRUST_ANY, A)).toBe(false);
    expect(isChecked(coverage, TRUSTS_ROOT, A)).toBe(true);
  });
});

describe('diffScan', () => {
  it('opens new findings, sees them again, resolves what a complete scan no longer reports and reopens it', async () => {
    const first = await scanEstates([estateA()], { asOf: DAY1 });
    const opened = diffScan(new Map(), first.analysis.findings, first.coverage);
    expect(opened.map((c) => [c.finding?.ruleId, c.events])).toEqual([
      [TRUST_ANY, ['opened']],
      [TRUSTS_ROOT, ['opened']],
    ]);

    const second = await scanEstates([estateA({ publicRole: false })], { asOf: DAY2 });
    const prior = priorOf(first.analysis.findings);
    const changes = diffScan(prior, second.analysis.findings, second.coverage);
    const publicRole = byRule(first.analysis.findings, TRUST_ANY).fingerprint;
    expect(changes.map((c) => [c.fingerprint, c.events, c.next])).toEqual([
      [
        byRule(first.analysis.findings, TRUSTS_ROOT).fingerprint,
        ['seen'],
        { state: 'open', muted: false },
      ],
      [publicRole, ['resolved'], { state: 'resolved', muted: false }],
    ]);

    const resolved = new Map(prior);
    resolved.set(publicRole, { ...prior.get(publicRole)!, state: 'resolved' });
    const third = diffScan(resolved, first.analysis.findings, first.coverage);
    expect(third.find((c) => c.fingerprint === publicRole)?.events).toEqual(['reopened']);
  });

  it('keeps, without a seen event, findings whose rule lacked data, whose account was not scanned, or whose rule failed', async () => {
    const withReport = await scanEstates([estateA()], {
      asOf: DAY1,
      reports: [credentialReportCsv(A, { rootMfa: false })],
    });
    const rootFinding = byRule(withReport.analysis.findings, ROOT_MFA);
    const prior = priorOf(withReport.analysis.findings);

    // The next scan has no credential report: the root finding is not reported, nor resolved.
    const withoutReport = await scanEstates([estateA()], { asOf: DAY2 });
    const kept = diffScan(prior, withoutReport.analysis.findings, withoutReport.coverage);
    expect(kept.find((c) => c.fingerprint === rootFinding.fingerprint)).toMatchObject({
      finding: null,
      events: [],
      next: null,
    });

    // A scan of another account only: nothing of account A is resolved.
    const other = new TestEstate(B);
    other.role('ops', { trust: trust({ AWS: other.root }) });
    const elsewhere = await scanEstates([other], { asOf: DAY2 });
    const untouched = diffScan(prior, elsewhere.analysis.findings, elsewhere.coverage);
    const ofA = untouched.filter((c) => c.prior?.accountId === A);
    expect(ofA).toHaveLength(prior.size);
    expect(ofA.every((c) => c.events.length === 0 && c.next === null)).toBe(true);

    // The same inputs, but the rule failed this time: its finding is kept as it was.
    const failed = {
      ...withReport.coverage,
      rules: Object.fromEntries(
        Object.entries(withReport.coverage.rules).filter(([id]) => id !== TRUST_ANY),
      ),
      failedRules: [TRUST_ANY],
    };
    const publicRole = byRule(withReport.analysis.findings, TRUST_ANY).fingerprint;
    const rest = withReport.analysis.findings.filter((f) => f.ruleId !== TRUST_ANY);
    expect(diffScan(prior, rest, failed).find((c) => c.fingerprint === publicRole)).toMatchObject({
      events: [],
      next: null,
    });
  });

  it('records mute changes beside the presence event, expiry included', async () => {
    const mute = { rule: 'TRU-01', arn: '*:role/public-*', reason: 'public demo role' };
    const unmuted = await scanEstates([estateA()], { asOf: DAY1 });
    const muted = await scanEstates([estateA()], {
      asOf: DAY2,
      mutes: [{ ...mute, until: '2026-11-15' }],
    });
    const fingerprint = byRule(unmuted.analysis.findings, TRUST_ANY).fingerprint;
    const events = (prior: Map<string, PriorFinding>, findings: readonly Finding[]) =>
      diffScan(prior, findings, muted.coverage).find((c) => c.fingerprint === fingerprint);

    expect(events(priorOf(unmuted.analysis.findings), muted.analysis.findings)).toMatchObject({
      events: ['seen', 'muted'],
      next: { state: 'open', muted: true },
    });
    // A month later the mute has expired: the same rule no longer mutes it.
    const expired = await scanEstates([estateA()], {
      asOf: '2026-12-01T00:00:00.000Z',
      mutes: [{ ...mute, until: '2026-11-15' }],
    });
    expect(events(priorOf(muted.analysis.findings), expired.analysis.findings)?.events).toEqual([
      'seen',
      'unmuted',
    ]);
    // New and already muted: opened, then muted.
    expect(events(new Map(), muted.analysis.findings)?.events).toEqual(['opened', 'muted']);
  });
});

describe('rules that need CloudTrail', () => {
  it('resolve nothing in a scan given no CloudTrail usage', async () => {
    const estate = new TestEstate(A);
    const api = estate.role('orders-api', {
      trust: trust({ Service: 'lambda.amazonaws.com' }),
      lastUsed: '2026-10-30T10:00:00Z',
      inline: [doc(allow(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteTable'], '*'))],
    });
    // Logs covering the 90-day period: the role used one of its three actions.
    const usage = aUsage(
      { start: '2026-08-02T00:00:00Z', end: '2026-10-31T23:00:00Z' },
      { principals: [aPrincipal(api, [anAction('dynamodb:GetItem', '2026-10-30T10:00:00Z')])] },
    );
    const withLogs = await scanEstates([estate], { asOf: DAY1, usage });
    const gap = byRule(withLogs.analysis.findings, 'iam-principal-permission-gap');
    expect(gap.resource.arn).toBe(api);
    expect(isChecked(withLogs.coverage, gap.ruleId, A)).toBe(true);

    const withoutLogs = await scanEstates([estate], { asOf: DAY2 });
    expect(withoutLogs.analysis.findings.some((f) => f.ruleId === gap.ruleId)).toBe(false);
    expect(isChecked(withoutLogs.coverage, gap.ruleId, A)).toBe(false);
    const changes = diffScan(
      priorOf(withLogs.analysis.findings),
      withoutLogs.analysis.findings,
      withoutLogs.coverage,
    );
    // Kept as it was: no event, no new state.
    expect(changes.find((c) => c.fingerprint === gap.fingerprint)).toMatchObject({
      events: [],
      next: null,
    });
  });
});

describe('a rule that decides from Access Advisor or CloudTrail', () => {
  const STALE = 'iam-principal-stale-service-access';
  const WORKER = `arn:aws:iam::${A}:role/orders-worker`;
  const estate = (): TestEstate => {
    const e = new TestEstate(A);
    e.role('orders-worker', {
      trust: trust({ Service: 'lambda.amazonaws.com' }),
      inline: [doc(allow(['sqs:*', 'dynamodb:*']))],
    });
    return e;
  };
  /** IAM's service last accessed data of the worker: DynamoDB last used `dynamodb`. */
  const lastAccessed = (dynamodb: string) =>
    mapServiceLastAccessed(
      {
        Principals: [
          {
            Arn: WORKER,
            ServicesLastAccessed: [
              { ServiceNamespace: 'sqs', LastAuthenticated: '2026-10-30T00:00:00Z' },
              { ServiceNamespace: 'dynamodb', LastAuthenticated: dynamodb },
            ],
          },
        ],
      },
      'service-last-accessed.json',
    );
  const reports = [credentialReportCsv(A, { rootMfa: true })];

  it('opens from Access Advisor alone, keeps its finding through a scan lacking both sources, and resolves it when Access Advisor shows the use', async () => {
    const first = await scanEstates([estate()], {
      asOf: DAY1,
      reports,
      parts: [lastAccessed('2026-03-01T00:00:00Z')],
    });
    const finding = byRule(first.analysis.findings, STALE);
    expect(finding.resource.arn).toBe(WORKER);
    expect(finding.evidence.source).toBe('service-last-accessed');
    expect(isChecked(first.coverage, STALE, A)).toBe(true);
    expect(first.gaps.map((g) => g.source)).not.toContain('iam:service-last-accessed');

    // Neither Access Advisor data nor CloudTrail: the rule is not run, the finding stays open.
    const blind = await scanEstates([estate()], { asOf: DAY2, reports });
    expect(blind.analysis.runs.find((r) => r.detection.id === STALE)?.skipped).toBe(
      'none of service-last-accessed, cloudtrail was given',
    );
    expect(isChecked(blind.coverage, STALE, A)).toBe(false);
    const kept = diffScan(
      priorOf(first.analysis.findings),
      blind.analysis.findings,
      blind.coverage,
    );
    expect(kept.find((c) => c.fingerprint === finding.fingerprint)?.events).toEqual([]);

    // Access Advisor data in another account only: the rule runs, but not for this account.
    const other = new TestEstate(B);
    other.role('other', { trust: trust({ Service: 'lambda.amazonaws.com' }) });
    const elsewhere = await scanEstates([estate(), other], {
      asOf: DAY2,
      reports,
      parts: [
        mapServiceLastAccessed(
          { Principals: [{ Arn: `arn:aws:iam::${B}:role/other`, ServicesLastAccessed: [] }] },
          'b.json',
        ),
      ],
    });
    expect(elsewhere.gaps).toContainEqual(
      expect.objectContaining({ source: 'iam:service-last-accessed', accountId: A }),
    );
    expect(isChecked(elsewhere.coverage, STALE, A)).toBe(false);

    const used = await scanEstates([estate()], {
      asOf: DAY2,
      reports,
      parts: [lastAccessed('2026-10-31T00:00:00Z')],
    });
    const resolved = diffScan(
      priorOf(first.analysis.findings),
      used.analysis.findings,
      used.coverage,
    );
    expect(resolved.find((c) => c.fingerprint === finding.fingerprint)?.events).toEqual([
      'resolved',
    ]);
    // The score counts the rule (low: weight 1) on the worker only where it could judge it.
    expect(elsewhere.analysis.score.byResource[WORKER]?.possible).toBe(
      (used.analysis.score.byResource[WORKER]?.possible ?? 0) - 1,
    );
  });
});

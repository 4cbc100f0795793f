import { describe, expect, it } from 'vitest';
import { FINGERPRINT_KEY, SARIF_SCHEMA_URI, toSarif } from './sarif.js';
import {
  aFinding,
  aHostileScanDocument,
  aMixedScanDocument,
  aScanDocument,
  describeErrors,
  validateSarif,
} from './test-support/scan-documents.js';

interface Result {
  ruleId: string;
  ruleIndex: number;
  level: string;
  kind?: string;
  baselineState?: string;
  message: { text: string };
  locations: {
    physicalLocation?: unknown;
    logicalLocations: { name: string; fullyQualifiedName: string; kind: string }[];
  }[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: string; state: string; justification?: string }[];
}
interface Rule {
  id: string;
  name: string;
  shortDescription: { text: string };
  help: { text: string };
  defaultConfiguration: { level: string };
  properties: Record<string, unknown>;
}
interface Run {
  tool: { driver: { name: string; informationUri: string; version?: string; rules: Rule[] } };
  invocations: { executionSuccessful: boolean; toolExecutionNotifications: unknown[] }[];
  results: Result[];
}

function runOf(log: Record<string, unknown>): Run {
  return (log.runs as Run[])[0] as Run;
}

function expectValid(log: unknown): void {
  const valid = validateSarif(log);
  expect(describeErrors(validateSarif.errors)).toEqual([]);
  expect(valid).toBe(true);
}

describe('toSarif', () => {
  it('writes a SARIF 2.1.0 log with one run that is valid against the OASIS schema', () => {
    const log = toSarif(aMixedScanDocument(), { productVersion: '0.1.0' });
    expectValid(log);
    expect(log).toMatchObject({ $schema: SARIF_SCHEMA_URI, version: '2.1.0' });
    expect(log.runs).toHaveLength(1);
    expect(runOf(log).tool.driver).toMatchObject({
      name: 'iamsight',
      informationUri: 'https://www.npmjs.com/package/iamsight',
      version: '0.1.0',
    });
  });

  it('declares one rule per rule id, sorted, with the highest severity of its results', () => {
    const run = runOf(toSarif(aMixedScanDocument()));
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual([
      'iam-role-admin',
      'iam-user-console-without-mfa',
      'lambda-function-admin-role',
    ]);
    const [roleAdmin, consoleMfa, lambda] = run.tool.driver.rules;
    // iam-role-admin is reported critical and high in this scan: the rule says critical.
    expect(roleAdmin).toMatchObject({
      name: 'IAM role is an administrator',
      shortDescription: { text: 'IAM role is an administrator' },
      help: { text: 'Replace AdministratorAccess with a policy scoped to what the role uses.' },
      defaultConfiguration: { level: 'error' },
      properties: { category: 'admin', 'security-severity': '9.5', tags: ['security', 'admin'] },
    });
    expect(consoleMfa?.properties['security-severity']).toBe('5.5');
    expect(lambda?.properties['security-severity']).toBe('0.0');
    for (const rule of run.tool.driver.rules) expect(rule.name).not.toBe(rule.id);
  });

  it.each([
    ['critical', 'error', '9.5'],
    ['high', 'error', '8.0'],
    ['medium', 'warning', '5.5'],
    ['low', 'note', '3.0'],
    ['info', 'note', '0.0'],
  ] as const)(
    'reports a %s finding at level %s, security-severity %s',
    (severity, level, score) => {
      const log = toSarif(aScanDocument([aFinding({ severity })]));
      expectValid(log);
      const run = runOf(log);
      expect(run.results[0]?.level).toBe(level);
      expect(run.tool.driver.rules[0]?.properties['security-severity']).toBe(score);
      expect(Number(score)).not.toBeNaN();
    },
  );

  it('locates each result by the resource ARN and fingerprints it by the finding fingerprint', () => {
    const run = runOf(toSarif(aMixedScanDocument()));
    const [first] = run.results;
    expect(first).toMatchObject({
      ruleId: 'iam-role-admin',
      ruleIndex: 0,
      message: { text: 'role/ci-deployer is effectively allowed every action on every resource.' },
      locations: [
        {
          logicalLocations: [
            {
              name: 'ci-deployer',
              fullyQualifiedName: 'arn:aws:iam::100000000001:role/ci-deployer',
              kind: 'resource',
            },
          ],
        },
      ],
      partialFingerprints: { [FINGERPRINT_KEY]: 'f'.repeat(32) },
    });
    expect(first?.locations[0]).not.toHaveProperty('physicalLocation');
    for (const result of run.results) {
      expect(run.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
    }
  });

  it('suppresses muted findings externally with the mute reason', () => {
    const run = runOf(toSarif(aMixedScanDocument()));
    const muted = run.results.filter((r) => r.suppressions);
    expect(muted.map((r) => r.ruleId)).toEqual([
      'iam-user-console-without-mfa',
      'lambda-function-admin-role',
    ]);
    expect(muted[0]?.suppressions).toEqual([
      {
        kind: 'external',
        state: 'accepted',
        justification: 'break-glass user, MFA in the safe',
        properties: { until: '2025-12-31T00:00:00.000Z' },
      },
    ]);
    expect(muted[1]?.suppressions).toEqual([
      { kind: 'external', state: 'accepted', justification: 'accepted risk' },
    ]);
  });

  it('leaves resolved findings out by default, so consumers close what went away', () => {
    const document = aMixedScanDocument();
    const run = runOf(toSarif(document));
    expect(run.results).toHaveLength(document.findings.length - 1);
    expect(run.results.some((r) => r.ruleId === 'iam-access-key-older-than-90-days')).toBe(false);
    expect(run.tool.driver.rules.some((r) => r.id === 'iam-access-key-older-than-90-days')).toBe(
      false,
    );
  });

  it('reports resolved findings as passing and absent from the baseline when asked', () => {
    const log = toSarif(aMixedScanDocument(), { includeResolved: true });
    expectValid(log);
    const resolved = runOf(log).results.filter((r) => r.baselineState);
    expect(resolved).toHaveLength(1);
    expect(resolved[0]).toMatchObject({
      ruleId: 'iam-access-key-older-than-90-days',
      kind: 'pass',
      level: 'none',
      baselineState: 'absent',
    });
  });

  it('records collection gaps as tool notifications', () => {
    const run = runOf(toSarif(aMixedScanDocument()));
    expect(run.invocations).toEqual([
      {
        executionSuccessful: true,
        toolExecutionNotifications: [
          {
            level: 'warning',
            message: {
              text: 'iam:GetAccountAuthorizationDetails: AccessDenied in account 100000000002',
            },
            properties: {
              source: 'iam:GetAccountAuthorizationDetails',
              accountId: '100000000002',
              region: null,
            },
          },
        ],
      },
    ]);
  });

  it('adds a physical location when given an artifact URI', () => {
    const log = toSarif(aMixedScanDocument(), { artifactUri: 'scan.json' });
    expectValid(log);
    expect(runOf(log).results[0]?.locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'scan.json' },
    });
  });

  it('keeps hostile names intact as JSON strings and stays valid', () => {
    const document = aHostileScanDocument();
    const log = toSarif(document);
    expectValid(log);
    const run = runOf(JSON.parse(JSON.stringify(log)) as Record<string, unknown>);
    expect(run.results.map((r) => r.locations[0]?.logicalLocations[0]?.name)).toEqual(
      document.findings.map((f) => f.resource.name),
    );
  });

  it('is pure, and a scan without findings is a valid run with no rules or results', () => {
    const document = aMixedScanDocument();
    expect(toSarif(document)).toEqual(toSarif(document));
    const empty = toSarif(aScanDocument([]));
    expectValid(empty);
    expect(runOf(empty).results).toEqual([]);
    expect(runOf(empty).tool.driver.rules).toEqual([]);
  });

  it('uses a schema that rejects what SARIF rejects', () => {
    const log = toSarif(aScanDocument([aFinding()]));
    expect(validateSarif({ ...log, version: '2.0.0' })).toBe(false);
    const run = runOf(log);
    const badResult = { ...run.results[0], level: 'critical' };
    expect(validateSarif({ ...log, runs: [{ ...run, results: [badResult] }] })).toBe(false);
    const badSuppression = { ...run.results[0], suppressions: [{ kind: 'muted' }] };
    expect(validateSarif({ ...log, runs: [{ ...run, results: [badSuppression] }] })).toBe(false);
  });
});

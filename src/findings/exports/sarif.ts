/**
 * SARIF 2.1.0 log of an `iamsight.scan/v1` document: one run, one rule per detection, one result
 * per finding located by the resource ARN (a logical location), in the GitHub code scanning
 * conventions (`security-severity`, `partialFingerprints`, `suppressions`). Pure.
 */
import type { ScanDocument } from '../scan-document.js';

type Finding = ScanDocument['findings'][number];
type Severity = Finding['severity'];

/** A SARIF log: a plain JSON object. */
export type SarifLog = Record<string, unknown>;

export interface SarifOptions {
  /** The iamsight version (`tool.driver.version`); omitted when absent. */
  readonly productVersion?: string;
  /** `tool.driver.informationUri`; defaults to the npm package page. */
  readonly informationUri?: string;
  /**
   * Adds a physical location (this URI, e.g. the scanned input file) to every result, for
   * consumers such as GitHub code scanning that place results on files. Default: none.
   */
  readonly artifactUri?: string;
  /**
   * Reports resolved findings as `kind: "pass"`, `level: "none"`, `baselineState: "absent"`.
   * Default false: they are left out, which is how a SARIF consumer learns a result went away
   * (GitHub code scanning closes alerts missing from an upload and does not read `kind`).
   */
  readonly includeResolved?: boolean;
}

/** The `$schema` of the log: the SchemaStore copy of the OASIS SARIF 2.1.0 schema. */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
const DEFAULT_INFORMATION_URI = 'https://www.npmjs.com/package/iamsight';

/** Key of `partialFingerprints`: versioned and hierarchical, as SARIF asks of its keys (§3.27.17). */
export const FINGERPRINT_KEY = 'iamsightFingerprint/v1';

const SEVERITY_RANK: Readonly<Record<Severity, number>> = {
  critical: 4,
  high: 3,
  medium: 2,
  low: 1,
  info: 0,
};

// GitHub code scanning reads `security-severity` (a number as a string) on the rule.
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

const LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function ruleOf(findings: readonly Finding[]): Record<string, unknown> {
  const first = findings[0] as Finding;
  // A rule's severity may vary per result; the rule carries the highest one reported.
  const severity = findings.reduce<Severity>(
    (top, f) => (SEVERITY_RANK[f.severity] > SEVERITY_RANK[top] ? f.severity : top),
    first.severity,
  );
  return {
    id: first.ruleId,
    name: first.title,
    shortDescription: { text: first.title },
    fullDescription: {
      text: `${first.title} (iamsight rule ${first.ruleId} v${first.ruleVersion}, category ${first.category}).`,
    },
    help: { text: first.remediation.text },
    defaultConfiguration: { level: LEVEL[severity] },
    properties: {
      category: first.category,
      ruleVersion: first.ruleVersion,
      'security-severity': SECURITY_SEVERITY[severity],
      tags: ['security', first.category],
    },
  };
}

function resultOf(
  finding: Finding,
  ruleIndex: number,
  options: SarifOptions,
): Record<string, unknown> {
  const isResolved = finding.status === 'resolved';
  const location = {
    ...(options.artifactUri
      ? { physicalLocation: { artifactLocation: { uri: options.artifactUri } } }
      : {}),
    logicalLocations: [
      {
        name: finding.resource.name,
        fullyQualifiedName: finding.resource.arn,
        kind: 'resource',
        properties: {
          resourceType: finding.resource.type,
          accountId: finding.resource.accountId,
        },
      },
    ],
  };
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    // SARIF §3.27.10: a result whose kind is not "fail" has level "none".
    ...(isResolved
      ? { kind: 'pass', level: 'none', baselineState: 'absent' }
      : { level: LEVEL[finding.severity] }),
    message: { text: finding.message },
    locations: [location],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
    ...(finding.status === 'muted'
      ? {
          suppressions: [
            {
              kind: 'external',
              state: 'accepted',
              ...(finding.mute ? { justification: finding.mute.reason } : {}),
              ...(finding.mute?.until ? { properties: { until: finding.mute.until } } : {}),
            },
          ],
        }
      : {}),
    properties: {
      severity: finding.severity,
      status: finding.status,
      ...(finding.remediation.consoleUrl ? { consoleUrl: finding.remediation.consoleUrl } : {}),
      evidence: finding.evidence,
    },
  };
}

/** The SARIF 2.1.0 log of a scan document: one run, its rules sorted by id, results in order. */
export function toSarif(document: ScanDocument, options: SarifOptions = {}): SarifLog {
  const findings = document.findings.filter(
    (f) => f.status !== 'resolved' || options.includeResolved === true,
  );
  const byRule = new Map<string, Finding[]>();
  for (const finding of findings) {
    const group = byRule.get(finding.ruleId);
    if (group) group.push(finding);
    else byRule.set(finding.ruleId, [finding]);
  }
  const ruleIds = [...byRule.keys()].sort(compareText);
  const ruleIndex = new Map(ruleIds.map((id, index) => [id, index]));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'iamsight',
            informationUri: options.informationUri ?? DEFAULT_INFORMATION_URI,
            ...(options.productVersion ? { version: options.productVersion } : {}),
            rules: ruleIds.map((id) => ruleOf(byRule.get(id) ?? [])),
          },
        },
        // Collection gaps are tool notifications: unknown is not empty.
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: document.gaps.map((gap) => ({
              level: 'warning',
              message: { text: `${gap.source}: ${gap.detail}` },
              properties: { source: gap.source, accountId: gap.accountId, region: gap.region },
            })),
          },
        ],
        results: findings.map((f) => resultOf(f, ruleIndex.get(f.ruleId) ?? -1, options)),
        properties: {
          generatedAt: document.generatedAt,
          accounts: document.accounts.map((account) => account.id),
        },
      },
    ],
  };
}

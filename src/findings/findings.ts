/**
 * Findings from detection results: a stable fingerprint (DESIGN.md §3.3: rule id, resource ARN and
 * the rule's identity fields), the remediation and its Fix-in-AWS link, and the mute status from
 * the configuration.
 */
import { createHash } from 'node:crypto';
import type { DetectionRun } from '../detections/run.js';
import type { DetectionCategory, Requirement, ResourceRef, Severity } from '../detections/types.js';
import { muteFor, type MuteRule } from './config.js';
import { consoleUrlOf } from './console-url.js';

export interface Finding {
  readonly fingerprint: string;
  readonly ruleId: string;
  readonly anchor: string;
  readonly ruleVersion: number;
  readonly title: string;
  readonly severity: Severity;
  readonly category: DetectionCategory;
  readonly resource: ResourceRef;
  readonly message: string;
  readonly evidence: Readonly<Record<string, unknown>>;
  readonly remediation: { readonly text: string; readonly consoleUrl: string | null };
  readonly status: 'open' | 'muted';
  readonly mute: { readonly reason: string; readonly until: string | null } | null;
}

/** sha-256 over the rule id, the resource ARN and the identity fields, sorted: 32 hex digits. */
export function fingerprintOf(
  ruleId: string,
  arn: string,
  identity: Readonly<Record<string, string>> = {},
): string {
  const fields = Object.keys(identity)
    .sort()
    .map((key) => `${key}=${identity[key]}`);
  return createHash('sha256')
    .update([ruleId, arn, ...fields].join('\n'))
    .digest('hex')
    .slice(0, 32);
}

export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** Builds the findings of a scan, muted ones marked, in a stable order. */
/** Caveats added to the findings of rules whose required data the inputs lack. */
const CAVEATS: Partial<Record<Requirement, string>> = {
  organization:
    'No organization data was given: accounts of your own organization look external (pass --org).',
  'credential-report': 'No credential report was given: credential facts are unknown.',
  resources: 'No resource inventory was given for some accounts (pass --resources).',
};

export function buildFindings(
  runs: readonly DetectionRun[],
  options: {
    mutes: readonly MuteRule[];
    asOf: string;
    /** Data the inputs lack entirely: findings of rules needing it say so. */
    missing?: ReadonlySet<Requirement>;
  },
): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const { detection, results } of runs) {
    for (const result of results) {
      const fingerprint = fingerprintOf(detection.id, result.resource.arn, result.identity);
      if (seen.has(fingerprint)) continue; // a rule reporting the same thing twice
      seen.add(fingerprint);
      const mute = muteFor(
        options.mutes,
        { ruleId: detection.id, anchor: detection.anchor, fingerprint, resource: result.resource },
        options.asOf,
      );
      const caveats = detection.requires
        .filter((r) => options.missing?.has(r))
        .map((r) => CAVEATS[r])
        .filter((c): c is string => c !== undefined);
      findings.push({
        fingerprint,
        ruleId: detection.id,
        anchor: detection.anchor,
        ruleVersion: detection.version,
        title: detection.title,
        severity: result.severity ?? detection.severity,
        category: detection.category,
        resource: result.resource,
        message: caveats.length > 0 ? `${result.message} ${caveats.join(' ')}` : result.message,
        evidence: caveats.length > 0 ? { ...result.evidence, caveats } : result.evidence,
        remediation: { text: detection.remediation, consoleUrl: consoleUrlOf(result.resource) },
        status: mute ? 'muted' : 'open',
        mute: mute ? { reason: mute.reason, until: mute.until ?? null } : null,
      });
    }
  }
  return findings.sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
      (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
      (a.resource.arn < b.resource.arn ? -1 : a.resource.arn > b.resource.arn ? 1 : 0) ||
      (a.fingerprint < b.fingerprint ? -1 : 1),
  );
}

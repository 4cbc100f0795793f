/**
 * OCSF 1.3.0 Detection Finding events (class_uid 2004) from an `iamsight.scan/v1` document: one
 * event per finding, with the `cloud` profile. Pure: the same document gives the same events.
 */
import { parseArn } from '../../model/index.js';
import type { ScanDocument } from '../scan-document.js';

/** The OCSF schema version the events conform to (`metadata.version`). */
export const OCSF_VERSION = '1.3.0';

type Finding = ScanDocument['findings'][number];
type Severity = Finding['severity'];
type Status = Finding['status'];

/** An OCSF event: a plain JSON object. */
export type OcsfEvent = Record<string, unknown>;

export interface OcsfOptions {
  /** The iamsight version (`metadata.product.version`); omitted when absent. */
  readonly productVersion?: string;
}

const SEVERITY: Readonly<Record<Severity, { readonly id: number; readonly caption: string }>> = {
  critical: { id: 5, caption: 'Critical' },
  high: { id: 4, caption: 'High' },
  medium: { id: 3, caption: 'Medium' },
  low: { id: 2, caption: 'Low' },
  info: { id: 1, caption: 'Informational' },
};

// Finding status_id (OCSF finding class): New 1, Suppressed 3, Resolved 4.
const STATUS: Readonly<Record<Status, { readonly id: number; readonly caption: string }>> = {
  open: { id: 1, caption: 'New' },
  muted: { id: 3, caption: 'Suppressed' },
  resolved: { id: 4, caption: 'Resolved' },
};

const CLASS = { uid: 2004, name: 'Detection Finding' } as const;
const CATEGORY = { uid: 2, name: 'Findings' } as const;
// A scan reports each finding's current state once: activity Create (1); lifecycle changes
// (Update, Close) are the store's finding events, not this export's.
const ACTIVITY = { id: 1, name: 'Create' } as const;
const ANALYTIC_RULE = { id: 1, name: 'Rule' } as const;
const AWS_ACCOUNT_TYPE = { id: 10, name: 'AWS Account' } as const;

function resourceOf(resource: Finding['resource']): OcsfEvent {
  const arn = parseArn(resource.arn);
  return {
    uid: resource.arn,
    name: resource.name,
    type: resource.type,
    // cloud profile attributes; IAM ARNs carry no region, so region appears only when known.
    ...(arn ? { cloud_partition: arn.partition } : {}),
    ...(arn?.region ? { region: arn.region } : {}),
  };
}

function eventOf(finding: Finding, time: number, options: OcsfOptions): OcsfEvent {
  const severity = SEVERITY[finding.severity];
  const status = STATUS[finding.status];
  const product: OcsfEvent = {
    name: 'iamsight',
    vendor_name: 'iamsight',
    ...(options.productVersion ? { version: options.productVersion } : {}),
  };
  const unmapped: OcsfEvent = {
    evidence: finding.evidence,
    rule_version: finding.ruleVersion,
    ...(finding.anchor ? { anchor: finding.anchor } : {}),
    ...(finding.mute ? { mute: { reason: finding.mute.reason, until: finding.mute.until } } : {}),
  };
  return {
    activity_id: ACTIVITY.id,
    activity_name: ACTIVITY.name,
    category_uid: CATEGORY.uid,
    category_name: CATEGORY.name,
    class_uid: CLASS.uid,
    class_name: CLASS.name,
    type_uid: CLASS.uid * 100 + ACTIVITY.id,
    type_name: `${CLASS.name}: ${ACTIVITY.name}`,
    severity_id: severity.id,
    severity: severity.caption,
    status_id: status.id,
    status: status.caption,
    time,
    message: finding.message,
    ...(finding.mute ? { comment: finding.mute.reason } : {}),
    finding_info: {
      uid: finding.fingerprint,
      title: finding.title,
      desc: finding.message,
      types: [finding.category],
      analytic: {
        uid: finding.ruleId,
        name: finding.title,
        type_id: ANALYTIC_RULE.id,
        type: ANALYTIC_RULE.name,
        category: finding.category,
        version: String(finding.ruleVersion),
      },
    },
    resources: [resourceOf(finding.resource)],
    cloud: {
      provider: 'AWS',
      account: {
        uid: finding.resource.accountId,
        type_id: AWS_ACCOUNT_TYPE.id,
        type: AWS_ACCOUNT_TYPE.name,
      },
    },
    remediation: {
      desc: finding.remediation.text,
      ...(finding.remediation.consoleUrl ? { references: [finding.remediation.consoleUrl] } : {}),
    },
    metadata: { version: OCSF_VERSION, product, profiles: ['cloud'] },
    unmapped,
  };
}

/** The OCSF 1.3.0 Detection Finding events of a scan document, one per finding, in its order. */
export function toOcsf(document: ScanDocument, options: OcsfOptions = {}): OcsfEvent[] {
  const time = Date.parse(document.generatedAt);
  return document.findings.map((finding) => eventOf(finding, time, options));
}

/** Renders the detection catalog as Markdown (docs/detections.md is generated from this). */
import { LOGGING_RULES } from '../usage/index.js';
import { DETECTIONS } from './registry.js';
import type { Detection } from './types.js';

/** How the unused-access detections read the evidence (rendered after the catalog). */
function usageNotes(): string[] {
  const code = (names: readonly string[]): string => names.map((n) => `\`${n}\``).join(', ');
  return [
    '## Notes: how unused access is judged',
    '',
    '- **Tracking period.** "Unused" means no use in the last N days before the evaluation time',
    '  (`--as-of`, default now): N is `usage.trackingPeriodDays` in `iamsight.config.yaml` (default',
    '  90, 1–365; `--tracking-period` for `insights` and `suggest-policy`). Only entities that existed',
    "  for the whole period are judged (a role's or user's creation, a key's issue date, a",
    "  password's last change). UNU-04 fires above `usage.permissionGapPercent` (default 40).",
    "- **Latest evidence wins.** Use is read from IAM's RoleLastUsed (400 days of history), the",
    "  credential report (`password_last_used`, `access_key_N_last_used_date`), a key's LastUsedDate",
    '  and CloudTrail (`--usage`, or `--cloudtrail`); the most recent date counts. UNU-01/02/03/05/06/07',
    '  and CRED-06 therefore work without CloudTrail; UNU-04 and CRED-08 need it and are not run',
    '  without it (a `cloudtrail` gap says so; their findings are not resolved).',
    "- **UNU-10 and Access Advisor.** UNU-10 decides from IAM's service last accessed data (Access",
    '  Advisor, `accounts/<id>/service-last-accessed.json`, collected by `iamsight collect`) for the',
    '  principals it covers, from CloudTrail for the others; the evidence names the source. A scan',
    '  with neither for an account does not judge, score or resolve UNU-10 there (an',
    '  `iam:service-last-accessed` gap says so).',
    '- **Coverage.** Absence from CloudTrail only counts where the logs cover the period: their first',
    '  record at most a day after its start, their last at most a day before the evaluation time, and',
    '  at least one record of the account. Elsewhere a `cloudtrail:coverage` gap names the account and',
    "  the reason, CloudTrail-only rules skip it, and the others judge from IAM's own dates. Archived",
    '  logs are judged as of their own time with `--as-of`. UNU-04 and UNU-10 judge only principals',
    '  the logs show acting in the period (one IAM says was used but the logs do not show means the',
    '  logs are partial).',
    '- **Unknown, never unused.** Actions CloudTrail cannot show are left out of "unused" and kept',
    '  (flagged) by `suggest-policy`: never logged — ' +
      code(Object.keys(LOGGING_RULES.notLogged)) +
      ', and every action of ' +
      code(Object.keys(LOGGING_RULES.notLoggedServices).map((s) => `${s}:*`)) +
      "; data events, which a trail logs only when configured to — S3 object actions (the catalog's",
    '  actions on the `object` resource type, plus ' +
      code(LOGGING_RULES.dataEvents['s3-objects']) +
      '), ' +
      (Object.entries(LOGGING_RULES.dataEvents) as [string, readonly string[]][])
        .filter(([category]) => category !== 's3-objects')
        .map(([, names]) => code(names))
        .join('; ') +
      '. A data-event category counts as logged once the Usage holds at least one event of it (any',
    '  principal); a trail that logs data events for some buckets or tables only cannot be told',
    '  apart from one that logs them all.',
    '- **Deny-only statements** grant nothing, so they have nothing to be unused; "granted" is the',
    '  effective grant after denies, the permissions boundary and SCPs. A call counts as use when it',
    '  was not refused (AccessDenied and the like); used actions the identity policies do not grant',
    '  (a resource policy allowed them) are listed apart.',
    '- **Access keys without ids.** The credential report names keys by slot: a key CloudTrail saw is',
    "  matched by id when known, else to the holder's only key, else to the key whose report date is",
    '  consistent with it; when that is ambiguous it counts for each key (it can only make a key look',
    '  used).',
    '- AWS-owned roles (service-linked, Identity Center reserved) are never flagged as unused.',
    '',
  ];
}

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

export function renderDetectionsDoc(detections: readonly Detection[] = DETECTIONS): string {
  const sorted = [...detections].sort((a, b) =>
    a.anchor < b.anchor ? -1 : a.anchor > b.anchor ? 1 : 0,
  );
  const lines = [
    '# Detections',
    '',
    '<!-- Generated from src/detections/registry.ts by `npm run docs:detections`; a test keeps it in sync. -->',
    '',
    `${sorted.length} detections. \`Anchor\` is the id in the reference catalog (anchors.md §B); the`,
    'detection id is permanent and is what findings, mutes and fingerprints use. Each detection lives in',
    '`src/detections/<category>/<id>/` with its fires and silent (near-miss) fixtures.',
    '',
    '| Anchor | Detection id | Severity | Category | Title | Needs | Checked on |',
    '|---|---|---|---|---|---|---|',
    ...sorted.map(
      (d) =>
        `| ${d.anchor} | \`${d.id}\` | ${d.severity} | ${d.category} | ${cell(d.title)} | ${[...d.requires, ...(d.requiresOneOf?.length ? [d.requiresOneOf.join(' or ')] : [])].join(', ')} | ${d.appliesTo.map((t) => `\`${t}\``).join(', ')} |`,
    ),
    '',
  ];
  for (const d of sorted) {
    lines.push(
      `## ${d.anchor} \`${d.id}\`: ${cell(d.title)}`,
      '',
      `${d.description}`,
      '',
      `**Risk.** ${d.risk}`,
      '',
      `**Remediation.** ${d.remediation}`,
      '',
      ...(d.references.length > 0
        ? [`References: ${d.references.map((r) => `<${r}>`).join(', ')}`, '']
        : []),
    );
  }
  lines.push(...usageNotes());
  return lines.join('\n');
}

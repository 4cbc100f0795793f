/** The findings part of `scan`'s readable report: score, counts, findings grouped. */
import type { ScanDocument } from '../findings/scan-document.js';
import { renderTable, sanitizeForTerminal } from './table.js';

type Finding = ScanDocument['findings'][number];
const ORDER = ['critical', 'high', 'medium', 'low', 'info'] as const;
const clean = (text: string, max = 200): string => sanitizeForTerminal(text, max);
const PER_GROUP = 10;

function bySeverity(a: Finding, b: Finding): number {
  return ORDER.indexOf(a.severity) - ORDER.indexOf(b.severity);
}

/** Renders findings for a terminal, grouped by risk (rule), by resource, or not at all. */
export function renderFindings(
  document: ScanDocument,
  groupBy: 'risk' | 'resource' | 'none',
): string {
  const open = document.findings.filter((f) => f.status === 'open');
  const muted = document.findings.length - open.length;
  const counts = ORDER.map((s) => `${open.filter((f) => f.severity === s).length} ${s}`).join(', ');
  const lines = [
    `Identity health score: ${document.score.value.toFixed(1)} (${document.score.earned} of ${document.score.possible} weighted checks passed)`,
    `Open findings: ${open.length} (${counts})${muted > 0 ? `; ${muted} muted` : ''}`,
    '',
  ];
  if (open.length === 0) return lines.join('\n') + '\n';
  return lines.join('\n') + '\n' + renderFindingGroups(open, groupBy);
}

export interface GroupOptions {
  /** Shows each finding's fingerprint (what `iamsight mute` and `history` take). */
  readonly fingerprints?: boolean;
}

/**
 * Renders findings as they come, grouped by risk (rule), by resource, or as one table; a finding
 * that is not open says its status.
 */
export function renderFindingGroups(
  findings: readonly Finding[],
  groupBy: 'risk' | 'resource' | 'none',
  options: GroupOptions = {},
): string {
  const lines: string[] = [];
  const status = (f: Finding): string => (f.status === 'open' ? '' : `(${f.status}) `);
  const id = (f: Finding): string => (options.fingerprints ? `${f.fingerprint}  ` : '');
  if (groupBy === 'none') {
    lines.push(
      renderTable(
        [
          ...(options.fingerprints ? ['Fingerprint'] : []),
          'Severity',
          'Rule',
          'Resource',
          'Message',
        ],
        [...findings]
          .sort(bySeverity)
          .map((f) => [
            ...(options.fingerprints ? [f.fingerprint] : []),
            f.severity,
            f.anchor ?? f.ruleId,
            clean(f.resource.arn, 80),
            status(f) + clean(f.message, 160),
          ]),
      ),
    );
    return lines.join('\n') + '\n';
  }
  const groups = new Map<string, Finding[]>();
  for (const f of [...findings].sort(bySeverity)) {
    const key = groupBy === 'risk' ? f.ruleId : f.resource.arn;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  for (const [key, items] of groups) {
    const first = items[0]!;
    if (groupBy === 'risk') {
      lines.push(
        `${first.severity.toUpperCase()}  ${clean(first.title, 120)}  [${first.anchor ?? ''} ${first.ruleId}]  ${items.length} finding${items.length === 1 ? '' : 's'}`,
      );
      for (const f of items.slice(0, PER_GROUP)) {
        const grade = f.severity === first.severity ? '' : `(${f.severity}) `;
        lines.push(`  - ${id(f)}${status(f)}${grade}${clean(f.message, 240)}`);
        if (f.remediation.consoleUrl)
          lines.push(`    fix: ${clean(f.remediation.consoleUrl, 240)}`);
      }
      if (items.length > PER_GROUP) lines.push(`  … and ${items.length - PER_GROUP} more`);
      lines.push(`  how to fix: ${clean(first.remediation.text, 300)}`, '');
    } else {
      lines.push(
        `${clean(first.resource.name, 80)} (${first.resource.type}, ${first.resource.accountId})  ${clean(key, 120)}`,
      );
      for (const f of items)
        lines.push(
          `  - ${id(f)}${status(f)}${f.severity.toUpperCase()} ${clean(f.title, 100)}: ${clean(f.message, 200)}`,
        );
      if (first.remediation.consoleUrl)
        lines.push(`  fix: ${clean(first.remediation.consoleUrl, 240)}`);
      lines.push('');
    }
  }
  return lines.join('\n') + '\n';
}

/** True when an open finding is at or above `severity`. */
export function hasFindingsAtOrAbove(
  document: ScanDocument,
  severity: (typeof ORDER)[number],
): boolean {
  const limit = ORDER.indexOf(severity);
  return document.findings.some((f) => f.status === 'open' && ORDER.indexOf(f.severity) <= limit);
}

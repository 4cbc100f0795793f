/**
 * `iamsight insights PRINCIPAL`: granted versus used permissions of a user or role, by service and
 * action, with last-used dates; `iamsight suggest-policy PRINCIPAL`: a least-privilege policy from
 * what it used, and its diff against today's policies. Both need CloudTrail usage (`--usage`).
 */
import { Command, Option } from 'commander';
import { trackingOf } from '../../findings/config.js';
import type { RolePrincipal, Snapshot, UserPrincipal } from '../../model/index.js';
import { SnapshotEvaluator } from '../../policy/snapshot-evaluator.js';
import {
  buildInsights,
  buildUsageIndex,
  suggestPolicyFor,
  type Insights,
  type LastUse,
  type SuggestedPolicy,
  type TrackingOptions,
  type UsageIndex,
} from '../../usage/index.js';
import { loadConfig } from '../config-file.js';
import { readInputs, withInputOptions, type InputOptions } from '../inputs.js';
import { renderTable, sanitizeForTerminal } from '../table.js';
import { usageOf, withUsageOption, type UsageOptions } from '../usage-input.js';
import { UsageError, parseAsOf } from '../usage.js';
import { findPrincipal } from './policy.js';

interface UsageCommandOptions extends InputOptions, UsageOptions {
  format: 'text' | 'json';
  asOf?: string;
  config?: string;
  trackingPeriod?: string;
}

/** Services listed in the text table besides those with used actions. */
const TEXT_SERVICES = 15;

const clean = (text: string, max = 200): string => sanitizeForTerminal(text, max);

interface Loaded {
  readonly principal: UserPrincipal | RolePrincipal;
  readonly evaluator: SnapshotEvaluator;
  readonly usage: UsageIndex;
  readonly asOf: string;
  readonly tracking: TrackingOptions;
}

function trackingPeriodOf(value: string | undefined, tracking: TrackingOptions): TrackingOptions {
  if (value === undefined) return tracking;
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1 || days > 365)
    throw new UsageError(
      `--tracking-period: expected a whole number of days from 1 to 365, got ${JSON.stringify(value)}`,
    );
  return { ...tracking, periodDays: days };
}

async function load(
  options: UsageCommandOptions,
  reference: string,
  command: string,
): Promise<Loaded> {
  const asOf = parseAsOf(options.asOf);
  const config = await loadConfig(options.config);
  const tracking = trackingPeriodOf(options.trackingPeriod, trackingOf(config));
  const inputs = await readInputs(options, command);
  const snapshot: Snapshot = inputs.snapshot;
  const usage = await usageOf(options, inputs.usage);
  if (!usage)
    throw new UsageError(
      `${command} needs CloudTrail usage: --cloudtrail PATH (log files or folders) or --usage FILE (a Usage document, as \`iamsight usage --format json\` prints it)`,
    );
  const principal = findPrincipal(snapshot, reference);
  if (principal.type !== 'user' && principal.type !== 'role')
    throw new UsageError(
      `${command} is for users and roles; ${JSON.stringify(reference)} is a ${principal.type}`,
    );
  return {
    principal,
    evaluator: new SnapshotEvaluator(snapshot, { asOf }),
    usage: buildUsageIndex(usage),
    asOf,
    tracking,
  };
}

function lastUseText(lastUse: LastUse): string {
  const latest = lastUse.latest;
  return latest?.lastUsed
    ? `${latest.lastUsed.slice(0, 10)} (${latest.source})`
    : 'never (as far as the data tells)';
}

/** Renders insights for a terminal. */
export function renderInsights(insights: Insights): string {
  const t = insights.totals;
  const lines = [
    `${clean(insights.principal)}: granted versus used over the last ${insights.trackingPeriodDays} days (as of ${insights.asOf.slice(0, 10)})`,
    `Last used: ${lastUseText(insights.lastUse)}`,
    `CloudTrail: ${insights.window.start?.slice(0, 10) ?? '-'} to ${insights.window.end?.slice(0, 10) ?? '-'}${
      insights.coverage.covered
        ? ''
        : ` — partial evidence: ${clean(insights.coverage.reason, 300)}`
    }`,
    `Granted ${t.granted} actions: ${t.used} used, ${t.unused} unused, ${t.unknown} unknown (CloudTrail cannot show them); ${t.unusedPercent}% of the observable ones unused.`,
    '',
  ];
  const used = insights.services.filter((s) => s.used > 0);
  const others = insights.services.filter((s) => s.used === 0);
  const shown = [...used, ...others.sort((a, b) => b.granted - a.granted).slice(0, TEXT_SERVICES)];
  lines.push(
    renderTable(
      ['Service', 'Granted', 'Used', 'Unused', 'Unknown', 'Last used'],
      shown.map((s) => [
        s.service,
        s.granted,
        s.used,
        s.unused,
        s.unknown,
        s.lastUsed?.slice(0, 10) ?? '-',
      ]),
    ),
  );
  if (shown.length < insights.services.length)
    lines.push(
      `  … and ${insights.services.length - shown.length} more services (--format json lists every action)`,
    );
  const usedActions = insights.services.flatMap((s) =>
    s.actions.filter((a) => a.status === 'used'),
  );
  if (usedActions.length > 0) {
    lines.push('', 'Used actions:');
    lines.push(
      renderTable(
        ['Action', 'Calls', 'Denied', 'Last used', 'Resources seen'],
        usedActions.map((a) => [
          a.action,
          a.calls,
          a.denied,
          a.lastUsed?.slice(0, 10) ?? '-',
          clean(
            a.resources.length === 0
              ? '-'
              : `${a.resources[0]}${a.resources.length > 1 || a.resourcesTruncated ? ` (+${a.resources.length - 1}${a.resourcesTruncated ? '+' : ''})` : ''}`,
            90,
          ),
        ]),
      ),
    );
  }
  const unknown = insights.services.flatMap((s) => s.actions.filter((a) => a.status === 'unknown'));
  if (unknown.length > 0) {
    const reasons = new Map<string, string[]>();
    for (const a of unknown) {
      const reason = a.reason ?? 'not shown by the logs';
      reasons.set(reason, [...(reasons.get(reason) ?? []), a.action]);
    }
    lines.push('', `Unknown (${unknown.length}): granted, but CloudTrail cannot show their use`);
    for (const [reason, actions] of reasons)
      lines.push(
        `  ${actions.slice(0, 6).join(', ')}${actions.length > 6 ? ` and ${actions.length - 6} more` : ''}: ${reason}`,
      );
  }
  if (insights.usedNotGranted.length > 0)
    lines.push(
      '',
      `Used but not granted by its identity policies (a resource policy allowed them): ${clean(insights.usedNotGranted.join(', '), 400)}`,
    );
  return lines.join('\n') + '\n';
}

/** Renders a suggested policy for a terminal: the documents, then notes and the diff. */
export function renderSuggestion(suggestion: SuggestedPolicy): string {
  const lines: string[] = [];
  suggestion.documents.forEach((document, i) => {
    if (suggestion.documents.length > 1)
      lines.push(
        `# Policy ${i + 1} of ${suggestion.documents.length} (${suggestion.sizes[i]} characters)`,
      );
    // Each line on its own: the sanitizer turns newlines into `?` too.
    for (const line of JSON.stringify(document, null, 2).split('\n'))
      lines.push(sanitizeForTerminal(line, Number.POSITIVE_INFINITY));
    lines.push('');
  });
  const d = suggestion.diff;
  lines.push(
    `Replaces: ${suggestion.replaces.map((id) => clean(id, 150)).join(', ') || '(no identity policies)'} (the permissions boundary and SCPs stay)`,
    `Diff against today: ${d.kept} of ${d.granted} granted actions kept, ${d.removed} removed, ${d.added.length} added.`,
  );
  const partial = d.byService.filter((s) => s.kept > 0 && s.removed > 0);
  const dropped = d.byService.filter((s) => s.kept === 0);
  for (const s of partial)
    lines.push(
      `  ${s.service}: keeps ${s.kept} of ${s.granted}; removes ${(s.removedActions ?? []).slice(0, 8).join(', ')}${s.removed > 8 ? ` and ${s.removed - 8} more` : ''}`,
    );
  if (dropped.length > 0)
    lines.push(
      `  removed entirely: ${dropped
        .slice(0, 20)
        .map((s) => `${s.service} (${s.granted})`)
        .join(', ')}${dropped.length > 20 ? ` and ${dropped.length - 20} more services` : ''}`,
    );
  if (suggestion.unknownActions.length > 0) {
    lines.push(
      '',
      `Kept but unverifiable (${suggestion.unknownActions.length}): CloudTrail cannot show their use`,
    );
    for (const u of suggestion.unknownActions.slice(0, 10))
      lines.push(`  ${u.action}: ${u.reason}`);
    if (suggestion.unknownActions.length > 10)
      lines.push(`  … and ${suggestion.unknownActions.length - 10} more (--format json)`);
  }
  if (suggestion.notes.length > 0) {
    lines.push('', 'Notes:');
    for (const note of suggestion.notes) lines.push(`  - ${clean(note, 600)}`);
  }
  return lines.join('\n') + '\n';
}

function withUsageCommandOptions(command: Command): Command {
  return withUsageOption(withInputOptions(command))
    .option('--as-of <date>', 'evaluation time, ISO-8601 (default: now)')
    .option(
      '--tracking-period <days>',
      'days without use that make a permission unused (default 90, or the config file)',
    )
    .option(
      '--config <file>',
      'configuration (YAML or JSON; default ./iamsight.config.yaml if present)',
    )
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'),
    );
}

/** `iamsight insights PRINCIPAL`. */
export function insightsCommand(): Command {
  return withUsageCommandOptions(
    new Command('insights')
      .description(
        "A user's or role's granted versus used permissions, by service and action, with last-used dates",
      )
      .argument('<principal>', 'ARN, or user/NAME, role/NAME'),
  )
    .addHelpText(
      'after',
      `
Examples:
  iamsight insights role/payments-api --authz authz.json --usage usage.json
  iamsight insights arn:aws:iam::111122223333:user/ci --snapshot ./snapshot --usage usage.json --format json`,
    )
    .action(async (reference: string, options: UsageCommandOptions) => {
      const loaded = await load(options, reference, 'insights');
      const insights = buildInsights(loaded);
      process.stdout.write(
        options.format === 'json' ? JSON.stringify(insights) + '\n' : renderInsights(insights),
      );
    });
}

/** `iamsight suggest-policy PRINCIPAL`. */
export function suggestPolicyCommand(): Command {
  return withUsageCommandOptions(
    new Command('suggest-policy')
      .description(
        'A least-privilege policy for a user or role from what CloudTrail shows it used, and its diff against today',
      )
      .argument('<principal>', 'ARN, or user/NAME, role/NAME'),
  )
    .addHelpText(
      'after',
      `
Actions CloudTrail cannot show (iam:PassRole, data events the trail does not log) are kept and
flagged, never silently removed. Resources are narrowed to those the logs saw where the action
supports resource-level permissions. The policy fits the 6,144-character managed-policy limit
(widened to wildcards today's policies already grant, or split, with a note).

Examples:
  iamsight suggest-policy role/payments-api --authz authz.json --usage usage.json
  iamsight suggest-policy role/payments-api --snapshot ./snapshot --usage usage.json --format json`,
    )
    .action(async (reference: string, options: UsageCommandOptions) => {
      const loaded = await load(options, reference, 'suggest-policy');
      const suggestion = suggestPolicyFor(loaded);
      process.stdout.write(
        options.format === 'json'
          ? JSON.stringify(suggestion, null, 2) + '\n'
          : renderSuggestion(suggestion),
      );
    });
}

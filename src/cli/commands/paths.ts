/**
 * `iamsight paths PRINCIPAL`: how one principal can become admin, step by step, with the reason and
 * the deciding statements of each step; `iamsight who-can-escalate`: every principal that can.
 */
import { Command, Option } from 'commander';
import { analyzeAccess, type AccessAnalysis, type Escalation } from '../../graph/index.js';
import type { Principal } from '../../model/index.js';
import { readInputs, withInputOptions, type InputOptions } from '../inputs.js';
import { startProgress } from '../progress.js';
import { renderTable, sanitizeForTerminal } from '../table.js';
import { parseAsOf } from '../usage.js';
import { findPrincipal } from './policy.js';

interface PathsOptions extends InputOptions {
  format: 'text' | 'json';
  asOf?: string;
}

function analyze(snapshot: Parameters<typeof analyzeAccess>[0], asOf: string): AccessAnalysis {
  const progress = startProgress();
  progress.update('finding escalation paths');
  try {
    return analyzeAccess(snapshot, { asOf });
  } finally {
    progress.done();
  }
}

const clean = (text: string, max = 200): string => sanitizeForTerminal(text, max);

/** The JSON form of an escalation (the scan document's, plus the deciding statements). */
export function escalationJson(escalation: Escalation): Record<string, unknown> {
  return {
    target: escalation.target,
    conditional: escalation.conditional,
    path: escalation.path.map((step) => ({
      from: step.from,
      to: step.to,
      technique: step.technique,
      permissions: step.permissions,
      resources: step.resources,
      via: step.via,
      conditional: step.conditional,
      reason: step.reason,
      statements: step.step.requests.map((r) => ({ action: r.action, statements: r.statements })),
      conditions: step.step.requests.flatMap((r) =>
        r.conditions.map((c) => ({
          operator: c.clause.operator,
          key: c.clause.key,
          values: c.clause.values,
        })),
      ),
      unknowns: step.step.unknowns,
    })),
  };
}

/** Renders an escalation path for a terminal. */
export function renderEscalation(principal: Principal, analysis: AccessAnalysis): string {
  const status = analysis.status.get(principal.arn);
  const escalation = analysis.escalations.get(principal.arn);
  const lines: string[] = [];
  if (status?.kind === 'full') {
    lines.push(
      `${clean(principal.arn)} is already an administrator${status.conditional ? ' (when its conditions hold)' : ''}.`,
    );
    return lines.join('\n') + '\n';
  }
  if (!escalation) {
    lines.push(`${clean(principal.arn)} has no known path to administrator.`);
    return lines.join('\n') + '\n';
  }
  const kind =
    status?.kind === 'self-grant' ? 'can make itself administrator' : 'can become administrator';
  lines.push(
    `${clean(principal.arn)} ${kind} in ${escalation.path.length} step${escalation.path.length === 1 ? '' : 's'}` +
      `${escalation.conditional ? ' (conditional: see the conditions below)' : ''}:`,
    '',
  );
  escalation.path.forEach((step, i) => {
    lines.push(`${i + 1}. ${step.technique}: ${clean(step.reason, 300)}`);
    lines.push(
      `   ${clean(step.from)} -> ${clean(step.to)}${step.via ? ` via ${clean(step.via)}` : ''}`,
    );
    for (const request of step.step.requests) {
      const where = request.statements
        .map(
          (s) =>
            `${clean(s.policyId, 120)}${s.sid ? ` (${clean(s.sid, 60)})` : ` statement #${s.statementIndex}`}`,
        )
        .join('; ');
      lines.push(
        `   allowed: ${request.action} on ${clean(request.resource)}${where ? ` by ${where}` : ''}`,
      );
      for (const c of request.conditions)
        lines.push(
          `   if: ${c.clause.operator} ${clean(c.clause.key, 80)} ${clean(JSON.stringify(c.clause.values), 120)}`,
        );
    }
    for (const unknown of step.step.unknowns) lines.push(`   unknown: ${clean(unknown, 300)}`);
  });
  lines.push('', `Target: ${clean(escalation.target)}`);
  return lines.join('\n') + '\n';
}

/** `iamsight paths PRINCIPAL`. */
export function pathsCommand(): Command {
  return withInputOptions(
    new Command('paths')
      .description('How PRINCIPAL can become administrator: the shortest path, step by step')
      .argument('<principal>', 'ARN, or user/NAME, role/NAME')
      .option('--as-of <date>', 'evaluation time, ISO-8601 (default: now)')
      .addOption(
        new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'),
      )
      .addHelpText(
        'after',
        `
Examples:
  iamsight paths user/dev-alice --authz authz.json
  iamsight paths arn:aws:iam::111122223333:role/ci --snapshot ./snapshot --format json`,
      ),
  ).action(async (reference: string, options: PathsOptions) => {
    const { snapshot } = await readInputs(options, 'paths');
    const principal = findPrincipal(snapshot, reference);
    const analysis = analyze(snapshot, parseAsOf(options.asOf));
    if (options.format === 'json') {
      const escalation = analysis.escalations.get(principal.arn);
      const status = analysis.status.get(principal.arn);
      process.stdout.write(
        JSON.stringify({
          principal: principal.arn,
          isAdmin: status?.admin ?? false,
          adminKind: status?.kind ?? null,
          escalation: escalation ? escalationJson(escalation) : null,
        }) + '\n',
      );
      return;
    }
    process.stdout.write(renderEscalation(principal, analysis));
  });
}

/** `iamsight who-can-escalate`. */
export function whoCanEscalateCommand(): Command {
  return withInputOptions(
    new Command('who-can-escalate')
      .description(
        'Every principal that can become administrator (shadow admins included), and how',
      )
      .option('--as-of <date>', 'evaluation time, ISO-8601 (default: now)')
      .addOption(
        new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'),
      ),
  ).action(async (options: PathsOptions) => {
    const { snapshot } = await readInputs(options, 'who-can-escalate');
    const analysis = analyze(snapshot, parseAsOf(options.asOf));
    const entries = [...analysis.escalations].sort(([a], [b]) => (a < b ? -1 : 1));
    if (options.format === 'json') {
      process.stdout.write(
        JSON.stringify({
          principals: entries.map(([arn, escalation]) => ({
            arn,
            adminKind: analysis.status.get(arn)?.kind ?? null,
            escalation: escalationJson(escalation),
          })),
        }) + '\n',
      );
      return;
    }
    process.stdout.write(
      `${entries.length} principals can escalate to administrator\n\n` +
        renderTable(
          ['Principal', 'Steps', 'First technique', 'Target', 'Conditional'],
          entries.map(([arn, e]) => [
            clean(arn, 90),
            e.path.length,
            e.path[0]?.technique ?? '',
            clean(e.target, 90),
            e.conditional ? 'yes' : '',
          ]),
        ),
    );
  });
}

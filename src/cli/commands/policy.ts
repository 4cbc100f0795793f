import { Command, Option } from 'commander';
import { parseWithSchema, readJsonFile } from '../../ingest/read-input.js';
import type { Principal, Snapshot } from '../../model/index.js';
import { evalFileSchema, runEvalCase } from '../../policy/eval-case.js';
import type { EvaluationResult } from '../../policy/evaluate.js';
import { SnapshotEvaluator } from '../../policy/snapshot-evaluator.js';
import { contextOf } from '../../policy/types.js';
import { EffectivePermissionIndex, whoCan } from '../../policy/who-can.js';
import { readInputs, withInputOptions, type InputOptions } from '../inputs.js';
import { renderTable, sanitizeForTerminal } from '../table.js';
import { UsageError, collectValues } from '../usage.js';

interface RequestOptions extends InputOptions {
  context: string[];
  complete: boolean;
  format: 'text' | 'json';
}

/** Parses repeated `--context key=value` (a key given twice becomes a multivalued key). */
export function parseContextOptions(pairs: readonly string[]): Record<string, string[]> {
  const context: Record<string, string[]> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0)
      throw new UsageError(`--context: expected key=value, got ${JSON.stringify(pair)}`);
    const key = pair.slice(0, equals).trim();
    (context[key] ??= []).push(pair.slice(equals + 1));
  }
  return context;
}

/** Finds a principal by ARN, or by name when exactly one principal has it. */
export function findPrincipal(snapshot: Snapshot, reference: string): Principal {
  const byArn = snapshot.principals.find((p) => p.arn === reference);
  if (byArn) return byArn;
  const byName = snapshot.principals.filter(
    (p) => p.name === reference || `${p.type}/${p.name}` === reference,
  );
  if (byName.length === 1 && byName[0]) return byName[0];
  if (byName.length > 1) {
    throw new UsageError(
      `${JSON.stringify(reference)} names ${byName.length} principals; give the ARN: ${byName
        .slice(0, 5)
        .map((p) => p.arn)
        .join(', ')}`,
    );
  }
  throw new UsageError(
    `no principal ${JSON.stringify(reference)} in the inputs (give an ARN, or user/NAME, role/NAME)`,
  );
}

/** Renders a decision and its explanation in plain words. */
export function renderDecision(
  principal: string,
  action: string,
  resource: string,
  result: EvaluationResult,
): string {
  const lines: string[] = [];
  const verdict =
    result.decision === 'Allowed'
      ? result.conditional.length > 0
        ? 'ALLOWED IF the conditions below hold'
        : 'ALLOWED'
      : result.decision === 'ExplicitDeny'
        ? 'DENIED (explicit deny)'
        : 'DENIED (no policy allows it)';
  lines.push(
    `${verdict}: ${sanitizeForTerminal(principal, 200)} → ${action} on ${sanitizeForTerminal(resource, 200)}`,
  );
  if (result.conditional.length > 0) {
    lines.push('', 'Depends on:');
    for (const pending of result.conditional) {
      const clause = pending.clause;
      const verb = pending.effect === 'Allow' ? 'must hold' : 'must not hold';
      lines.push(
        `  - ${clause.operator} ${sanitizeForTerminal(clause.key, 80)} ${sanitizeForTerminal(JSON.stringify(clause.values), 120)}: ${verb} (${sanitizeForTerminal(pending.policyId, 120)}${pending.sid ? `, statement ${sanitizeForTerminal(pending.sid, 60)}` : ''})`,
      );
    }
  }
  if (result.reasons.length > 0) {
    lines.push('', 'Because:');
    for (const reason of result.reasons) {
      lines.push(`  - ${sanitizeForTerminal(reason.text, 300)}`);
      for (const s of reason.statements) {
        lines.push(
          `      ${sanitizeForTerminal(s.policyId, 160)} statement ${sanitizeForTerminal(s.sid ?? `#${s.statementIndex}`, 60)}`,
        );
      }
    }
  }
  return lines.join('\n') + '\n';
}

function requestOptions(options: RequestOptions) {
  return {
    context: contextOf(parseContextOptions(options.context)),
    mode: options.complete ? ('complete' as const) : ('discovery' as const),
  };
}

function withRequestOptions(command: Command): Command {
  return withInputOptions(command)
    .option(
      '--context <key=value>',
      'a condition key of the request (repeatable)',
      collectValues,
      [],
    )
    .option(
      '--complete',
      'treat condition keys not given with --context as absent (default: unknown)',
      false,
    )
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'),
    );
}

/** `iamsight can PRINCIPAL ACTION [RESOURCE]`. */
export function canCommand(): Command {
  return withRequestOptions(
    new Command('can')
      .description(
        'Can PRINCIPAL do ACTION on RESOURCE? Prints the decision and the statements that decide it',
      )
      .argument('<principal>', 'principal ARN, or user/NAME, role/NAME')
      .argument('<action>', 'service:Action, e.g. s3:GetObject')
      .argument('[resource]', 'resource ARN (default *)', '*'),
  )
    .addHelpText(
      'after',
      `
Example:
  iamsight can user/dev-alice iam:PassRole arn:aws:iam::100000000001:role/admin --authz authz.json
  iamsight can role/ci-deployer s3:PutObject arn:aws:s3:::releases/app.zip --context aws:SourceIp=203.0.113.7`,
    )
    .action(
      async (principalRef: string, action: string, resource: string, options: RequestOptions) => {
        const { snapshot } = await readInputs(options, 'can');
        const principal = findPrincipal(snapshot, principalRef);
        const result = new SnapshotEvaluator(snapshot).evaluate(
          principal,
          action,
          resource,
          requestOptions(options),
        );
        process.stdout.write(
          options.format === 'json'
            ? JSON.stringify({
                principal: principal.arn,
                action,
                resource,
                decision: result.decision,
                conditional: result.conditional,
                reasons: result.reasons,
              }) + '\n'
            : renderDecision(principal.arn, action, resource, result),
        );
      },
    );
}

/** `iamsight who-can ACTION RESOURCE`. */
export function whoCanCommand(): Command {
  return withRequestOptions(
    new Command('who-can')
      .description('Which principals can do ACTION on RESOURCE (and under which conditions)')
      .argument('<action>', 'service:Action')
      .argument('<resource>', 'resource ARN, or *'),
  ).action(async (action: string, resource: string, options: RequestOptions) => {
    const { snapshot } = await readInputs(options, 'who-can');
    const evaluator = new SnapshotEvaluator(snapshot);
    const entries = whoCan(
      evaluator,
      new EffectivePermissionIndex(evaluator),
      action,
      resource,
      requestOptions(options),
    );
    if (options.format === 'json') {
      process.stdout.write(
        JSON.stringify({
          action,
          resource,
          principals: entries.map((e) => ({
            arn: e.principal.arn,
            type: e.principal.type,
            decision: e.result.decision,
            conditional: e.result.conditional,
            reasons: e.result.reasons,
          })),
        }) + '\n',
      );
      return;
    }
    process.stdout.write(
      `${entries.length} principals can ${action} on ${sanitizeForTerminal(resource, 200)}\n\n` +
        renderTable(
          ['Principal', 'Type', 'Decision'],
          entries.map((e) => [
            sanitizeForTerminal(e.principal.arn, 120),
            e.principal.type,
            e.result.conditional.length > 0
              ? `if ${[...new Set(e.result.conditional.map((c) => c.clause.key))].join(', ')}`
              : 'allowed',
          ]),
        ) +
        '\n',
    );
  });
}

/** `iamsight eval FILE`. */
export function evalCommand(): Command {
  return new Command('eval')
    .description(
      'Evaluate self-contained requests (docs/formats.md, "Evaluation requests"); one JSON line per case',
    )
    .argument('<file>', 'a JSON array of evaluation cases')
    .action(async (file: string) => {
      const cases = parseWithSchema(evalFileSchema, await readJsonFile(file), file);
      const lines = cases.map((evalCase) => JSON.stringify(runEvalCase(evalCase).output));
      process.stdout.write(lines.join('\n') + (lines.length > 0 ? '\n' : ''));
    });
}

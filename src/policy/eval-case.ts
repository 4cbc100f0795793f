/**
 * Self-contained evaluation cases (`iamsight eval FILE`, and the engine's test corpus): the format
 * is documented in docs/formats.md, "Evaluation requests".
 */
import { z } from 'zod';
import { evaluateRequest, type EvaluationResult } from './evaluate.js';
import { callerIdentityFromArn } from './match-principal.js';
import { parsePolicy } from './parse.js';
import { buildRequestContext, resourceAccountOf } from './request-context.js';
import { contextOf, type Decision, type NormalizedPolicy, type PolicyKind } from './types.js';

const documentSchema = z.record(z.string(), z.unknown(), {
  error: 'expected a policy document (a JSON object)',
});
const levelsSchema = z.array(
  z.array(documentSchema, { error: 'expected a list of policy documents for one level' }),
  {
    error: 'expected a list of levels (root first), each a list of policy documents',
  },
);

/** Schema of one case. */
export const evalCaseSchema = z.object({
  name: z.string({ error: 'expected the case name (a string)' }),
  doc: z.string().optional(),
  request: z.object({
    principal: z.string({ error: 'expected the principal ARN (a string)' }),
    action: z
      .string({ error: 'expected an action such as "s3:GetObject"' })
      .regex(/^[^:]+:[^:]+$/, {
        error: 'expected an action of the form service:Action',
      }),
    resource: z.string({ error: 'expected the resource ARN, or "*"' }),
    resourceAccount: z
      .string()
      .regex(/^\d{12}$/, { error: 'expected a 12-digit account id' })
      .optional(),
    context: z
      .record(z.string(), z.union([z.string(), z.array(z.string())]), {
        error: 'expected context keys with a string or a list of strings each',
      })
      .optional(),
    contextMode: z.enum(['complete', 'discovery']).optional(),
  }),
  principalTags: z.record(z.string(), z.string()).optional(),
  identityPolicies: z.array(documentSchema).default([]),
  resourcePolicy: documentSchema.optional(),
  permissionBoundary: documentSchema.optional(),
  sessionPolicy: documentSchema.optional(),
  scps: levelsSchema.optional(),
  rcps: levelsSchema.optional(),
  expect: z
    .object({
      decision: z.enum(['Allowed', 'ExplicitDeny', 'ImplicitDeny']),
      conditional: z.array(z.string()).optional(),
    })
    .optional(),
});

/** One evaluation case. */
export type EvalCase = z.infer<typeof evalCaseSchema>;

/** Schema of an eval file: a JSON array of cases. */
export const evalFileSchema = z.array(evalCaseSchema, {
  error: 'expected a JSON array of evaluation cases',
});

/** One output line of `iamsight eval`. */
export interface EvalOutput {
  readonly name: string;
  readonly decision: Decision;
  readonly conditional?: readonly {
    readonly key: string;
    readonly operator: string;
    readonly values: readonly string[];
    readonly effect: 'Allow' | 'Deny';
    readonly policy: string;
    readonly sid: string | null;
  }[];
  readonly reasons: readonly string[];
  /** Parse problems of the case's policies (they do not stop evaluation). */
  readonly diagnostics?: readonly string[];
}

/** The policy kind AWS applies to the resource policy of a request for `action`. */
export function resourcePolicyKindFor(action: string): { kind: PolicyKind; required: boolean } {
  const prefix = action.slice(0, 4).toLowerCase();
  if (prefix === 'sts:' && action.toLowerCase().startsWith('sts:assumerole')) return TRUST;
  if (prefix === 'kms:') return KEY_POLICY;
  return RESOURCE;
}

const TRUST = { kind: 'trust', required: true } as const;
const KEY_POLICY = { kind: 'resource', required: true } as const;
const RESOURCE = { kind: 'resource', required: false } as const;

/** Evaluates one case; returns the result and the parsed policies' diagnostics. */
export function runEvalCase(evalCase: EvalCase): { result: EvaluationResult; output: EvalOutput } {
  const { request } = evalCase;
  const caller = callerIdentityFromArn(request.principal);
  const resourceAccount = resourceAccountOf(
    request.resource,
    request.resourceAccount,
    caller.accountId,
  );
  const parsed: NormalizedPolicy[] = [];
  const parse = (
    document: Record<string, unknown>,
    id: string,
    kind: PolicyKind,
  ): NormalizedPolicy => {
    const policy = parsePolicy(document, { id, kind });
    parsed.push(policy);
    return policy;
  };
  const { kind: resourceKind, required } = resourcePolicyKindFor(request.action);
  const result = evaluateRequest({
    caller,
    action: request.action,
    resource: request.resource,
    resourceAccount,
    context: buildRequestContext({
      caller,
      resourceAccount,
      ...(evalCase.principalTags ? { principalTags: evalCase.principalTags } : {}),
      explicit: contextOf(request.context ?? {}),
    }),
    mode: request.contextMode ?? 'complete',
    identityPolicies: evalCase.identityPolicies.map((doc, i) =>
      parse(doc, `identityPolicies[${i}]`, 'identity'),
    ),
    permissionBoundary: evalCase.permissionBoundary
      ? parse(evalCase.permissionBoundary, 'permissionBoundary', 'boundary')
      : null,
    sessionPolicy: evalCase.sessionPolicy
      ? parse(evalCase.sessionPolicy, 'sessionPolicy', 'session')
      : null,
    scpLevels: (evalCase.scps ?? []).map((level, l) =>
      level.map((doc, i) => parse(doc, `scps[${l}][${i}]`, 'scp')),
    ),
    rcpLevels: (evalCase.rcps ?? []).map((level, l) =>
      level.map((doc, i) => parse(doc, `rcps[${l}][${i}]`, 'rcp')),
    ),
    resourcePolicy: evalCase.resourcePolicy
      ? parse(evalCase.resourcePolicy, 'resourcePolicy', resourceKind)
      : null,
    resourcePolicyRequired: required,
  });
  const diagnostics = parsed.flatMap((policy) =>
    policy.diagnostics.map((d) => `${policy.id} ${d.path}: ${d.severity}: ${d.message}`),
  );
  const output: EvalOutput = {
    name: evalCase.name,
    decision: result.decision,
    ...(result.conditional.length > 0
      ? {
          conditional: result.conditional.map((pending) => ({
            key: pending.clause.key,
            operator: pending.clause.operator,
            values: pending.clause.values,
            effect: pending.effect,
            policy: pending.policyId,
            sid: pending.sid,
          })),
        }
      : {}),
    reasons: result.reasons.map((reason) => {
      const statements = reason.statements
        .map((s) => `${s.policyId} statement ${s.sid ?? `#${s.statementIndex}`}`)
        .join(', ');
      return statements ? `${reason.text} (${statements})` : reason.text;
    }),
    ...(diagnostics.length > 0 ? { diagnostics } : {}),
  };
  return { result, output };
}

/**
 * Translates an iamsight evaluation case (docs/formats.md, "Evaluation requests") into the input of
 * @cloud-copilot/iam-simulate, or says why it cannot be expressed there.
 *
 * Both engines must see the same request, so the context iam-simulate receives is the one iamsight
 * builds (explicit keys plus the keys derived from the principal: aws:PrincipalArn,
 * aws:PrincipalAccount, aws:PrincipalTag/*, aws:ResourceAccount, ...); iam-simulate does not
 * derive them itself.
 */
import { anonymousPrincipal } from '@cloud-copilot/iam-simulate';
import type { Simulation, SimulationOrgPolicies } from '@cloud-copilot/iam-simulate';
import type { EvalCase } from '../../src/policy/eval-case.js';
import { callerIdentityFromArn } from '../../src/policy/match-principal.js';
import { buildRequestContext, resourceAccountOf } from '../../src/policy/request-context.js';
import { contextOf } from '../../src/policy/types.js';

/** A translated case, or the reason it was skipped. */
export type Translation =
  | { readonly simulation: Simulation; readonly notes: readonly string[] }
  | { readonly skip: string };

type PolicyDocument = Record<string, unknown>;

/** The statement AWS attaches to every root, OU and account as RCPFullAWSAccess. */
function isRcpFullAwsAccess(statement: unknown): boolean {
  if (typeof statement !== 'object' || statement === null) return false;
  const s = statement as Record<string, unknown>;
  const one = (v: unknown): boolean =>
    v === '*' || (Array.isArray(v) && v.length === 1 && v[0] === '*');
  return (
    s.Effect === 'Allow' &&
    one(s.Principal) &&
    one(s.Action) &&
    one(s.Resource) &&
    s.Condition === undefined &&
    s.NotAction === undefined &&
    s.NotResource === undefined
  );
}

function statementsOf(document: PolicyDocument): unknown[] {
  const statement = document.Statement;
  if (Array.isArray(statement)) return statement;
  return statement === undefined ? [] : [statement];
}

/**
 * iam-simulate attaches RCPFullAWSAccess to every RCP level itself and rejects Allow statements in
 * RCPs, so the translation drops that statement (and documents left empty).
 */
function rcpLevels(
  levels: readonly (readonly PolicyDocument[])[],
  notes: string[],
): SimulationOrgPolicies[] {
  return levels.map((level, l) => {
    const policies: SimulationOrgPolicies['policies'] = [];
    let hasFullAccess = false;
    level.forEach((document, i) => {
      const statements = statementsOf(document);
      const kept = statements.filter((s) => !isRcpFullAwsAccess(s));
      if (kept.length < statements.length) hasFullAccess = true;
      if (kept.length > 0)
        policies.push({ name: `rcps[${l}][${i}]`, policy: { ...document, Statement: kept } });
    });
    if (!hasFullAccess) notes.push(`rcps[${l}] has no RCPFullAWSAccess; iam-simulate adds it`);
    return { orgIdentifier: `rcp-level-${l}`, policies };
  });
}

function scpLevels(levels: readonly (readonly PolicyDocument[])[]): SimulationOrgPolicies[] {
  return levels.map((level, l) => ({
    orgIdentifier: `scp-level-${l}`,
    policies: level.map((policy, i) => ({ name: `scps[${l}][${i}]`, policy })),
  }));
}

/** Translates one case. */
export function toSimulation(evalCase: EvalCase): Translation {
  const { request } = evalCase;
  if (request.contextMode === 'discovery')
    return { skip: 'discovery mode (unknown keys): iam-simulate Strict mode has no equivalent' };
  const caller = callerIdentityFromArn(request.principal);
  if (caller.type === 'web-identity' || caller.type === 'saml')
    return {
      skip: 'web-identity or SAML caller: iam-simulate has no federated caller (principal is an ARN, a service or anonymous)',
    };
  const resourceAccount = resourceAccountOf(
    request.resource,
    request.resourceAccount,
    caller.accountId,
  );
  if (!resourceAccount)
    return { skip: 'no resource account (service or web-identity caller on an S3 ARN)' };
  const context = buildRequestContext({
    caller,
    resourceAccount,
    ...(evalCase.principalTags ? { principalTags: evalCase.principalTags } : {}),
    explicit: contextOf(request.context ?? {}),
  });
  const contextVariables: Record<string, string | string[]> = {};
  for (const [key, values] of context)
    contextVariables[key] = values.length === 1 ? values[0]! : [...values];
  const notes: string[] = [];
  const simulation: Simulation = {
    request: {
      principal: caller.type === 'anonymous' ? anonymousPrincipal : request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: resourceAccount },
      contextVariables,
    },
    identityPolicies: evalCase.identityPolicies.map((policy, i) => ({
      name: `identityPolicies[${i}]`,
      policy,
    })),
    serviceControlPolicies: scpLevels(evalCase.scps ?? []),
    resourceControlPolicies: rcpLevels(evalCase.rcps ?? [], notes),
    ...(evalCase.resourcePolicy ? { resourcePolicy: evalCase.resourcePolicy } : {}),
    ...(evalCase.permissionBoundary
      ? {
          permissionBoundaryPolicies: [
            { name: 'permissionBoundary', policy: evalCase.permissionBoundary },
          ],
        }
      : {}),
    ...(evalCase.sessionPolicy ? { sessionPolicy: evalCase.sessionPolicy } : {}),
  };
  return { simulation, notes };
}

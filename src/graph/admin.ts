/**
 * Admin classification by capability (DESIGN.md §3.4), never by policy names.
 *
 * A principal is a **full admin** when its identity-based policies, after explicit denies and its
 * permissions boundary, allow every action of the catalog on every resource (possibly under
 * conditions the data cannot decide, such as MFA). SCPs are the account's ceiling, not part of the
 * test: an `AdministratorAccess` holder in an account whose SCP denies `organizations:LeaveOrganization`
 * is still that account's administrator (docs/decisions.md, "Admin relative to the SCP ceiling").
 * Each candidate found by the action bitsets is confirmed by evaluating probe requests with the
 * engine, so a condition that is definitely false for this principal (a tag it lacks) rules it out.
 *
 * A principal able to grant itself that in one step (a **shadow admin**) is found by the
 * self-escalation techniques in ./escalation.ts, which use {@link AdminOracle.wouldBeAdmin} on the
 * policies the principal would hold afterwards.
 */
import { loadCatalog } from '../catalog/index.js';
import type { Principal } from '../model/index.js';
import { effectiveOfPolicies, type PolicySet } from '../policy/effective.js';
import { evaluateRequest, type EvaluationResult } from '../policy/evaluate.js';
import { parsePolicy } from '../policy/parse.js';
import type { NormalizedPolicy, PendingCondition } from '../policy/types.js';
import type { AccessContext } from './context.js';

/** The result of an admin test. */
export interface AdminVerdict {
  readonly admin: boolean;
  /** True when admin only if conditions the data cannot decide hold. */
  readonly conditional: boolean;
  readonly conditions: readonly PendingCondition[];
  /** Set when admin only after a further step on itself (e.g. then iam:PutUserPolicy). */
  readonly followUp?: string;
}

const NOT_ADMIN: AdminVerdict = { admin: false, conditional: false, conditions: [] };
const ADMIN: AdminVerdict = { admin: true, conditional: false, conditions: [] };

/**
 * Requests across services and resource shapes that every administrator can make; a candidate
 * whose bitsets say "everything" must be allowed all of them.
 */
const PROBES = [
  'iam:CreateUser',
  'iam:AttachRolePolicy',
  'iam:PutUserPolicy',
  'sts:AssumeRole',
  's3:GetObject',
  's3:PutBucketPolicy',
  'ec2:RunInstances',
  'lambda:UpdateFunctionCode',
  'kms:Decrypt',
  'secretsmanager:GetSecretValue',
  'organizations:ListAccounts',
  'cloudtrail:StopLogging',
];

/** A policy allowing everything: what an actor that may write its own policies would write. */
export const ANY_POLICY: NormalizedPolicy = parsePolicy(
  {
    Version: '2012-10-17',
    Statement: [{ Sid: 'ChosenByTheActor', Effect: 'Allow', Action: '*', Resource: '*' }],
  },
  { id: 'any policy the actor chooses', kind: 'identity' },
);

/** Admin tests over real and hypothetical policy sets, cached per principal. */
export class AdminOracle {
  private readonly verdicts = new Map<Principal, AdminVerdict>();
  private readonly ceilings = new Map<Principal, AdminVerdict>();

  constructor(private readonly ctx: AccessContext) {}

  /** Whether the principal is a full admin with the policies it holds now. */
  fullAdmin(principal: Principal): AdminVerdict {
    let verdict = this.verdicts.get(principal);
    if (!verdict) {
      verdict =
        principal.type === 'root'
          ? ADMIN // the root user needs no policy in its own account
          : principal.type === 'group'
            ? NOT_ADMIN
            : this.wouldBeAdmin(principal, this.ctx.evaluator.policiesFor(principal));
      this.verdicts.set(principal, verdict);
    }
    return verdict;
  }

  /**
   * Whether the principal would be admin if it could add any policy to itself: its permissions
   * boundary and the denies of its own policies are then all that limits it.
   */
  ceiling(principal: Principal): AdminVerdict {
    let verdict = this.ceilings.get(principal);
    if (!verdict) {
      const policies = this.ctx.evaluator.policiesFor(principal);
      // Nothing that could hold back a policy allowing everything: no boundary, no Deny.
      if (
        !policies.boundary &&
        policies.identity.every((p) => p.statements.every((s) => s.effect === 'Allow'))
      ) {
        this.ceilings.set(principal, ADMIN);
        return ADMIN;
      }
      // The actor adds a policy; the denies it holds stay (removing them is another step).
      verdict = this.wouldBeAdmin(principal, {
        ...policies,
        identity: [...policies.identity, ANY_POLICY],
      });
      this.ceilings.set(principal, verdict);
    }
    return verdict;
  }

  /** Whether a principal holding exactly these policies would be a full admin. */
  wouldBeAdmin(principal: Principal, policies: PolicySet): AdminVerdict {
    const all = loadCatalog().actionCount;
    const identityOnly: PolicySet = { ...policies, scpLevels: [] };
    const effective = effectiveOfPolicies(identityOnly);
    if (effective.everywhereIfConditions.count() < all) return NOT_ADMIN;
    const conditions: PendingCondition[] = [];
    for (const action of PROBES) {
      const result = this.probe(principal, identityOnly, action);
      if (result.decision !== 'Allowed') return NOT_ADMIN;
      conditions.push(...result.conditional);
    }
    return conditions.length === 0
      ? ADMIN
      : { admin: true, conditional: true, conditions: dedupeConditions(conditions) };
  }

  /**
   * Whether a principal holding these policies would be admin, or could make itself admin at
   * once by writing or attaching a policy on itself (what-if analysis of multi-step self changes).
   */
  wouldBeAdminOrSelfGrant(principal: Principal, policies: PolicySet): AdminVerdict {
    const direct = this.wouldBeAdmin(principal, policies);
    if (direct.admin || (principal.type !== 'user' && principal.type !== 'role')) return direct;
    const actions =
      principal.type === 'user'
        ? ['iam:PutUserPolicy', 'iam:AttachUserPolicy']
        : ['iam:PutRolePolicy', 'iam:AttachRolePolicy'];
    for (const action of actions) {
      const input = this.ctx.evaluator.requestInput(principal, action, principal.arn);
      const result = evaluateRequest({
        ...input,
        identityPolicies: policies.identity,
        permissionBoundary: policies.boundary,
      });
      if (result.decision !== 'Allowed') continue;
      const after = this.wouldBeAdmin(principal, {
        ...policies,
        identity: [...policies.identity, ANY_POLICY],
      });
      if (after.admin)
        return {
          admin: true,
          conditional: after.conditional || result.conditional.length > 0,
          conditions: [...after.conditions, ...result.conditional],
          followUp: action,
        };
    }
    return direct;
  }

  private probe(principal: Principal, policies: PolicySet, action: string): EvaluationResult {
    const input = this.ctx.evaluator.requestInput(principal, action, '*');
    return evaluateRequest({
      ...input,
      identityPolicies: policies.identity,
      permissionBoundary: policies.boundary,
      scpLevels: [],
      rcpLevels: [],
      resourcePolicy: null,
      resourcePolicyRequired: false,
    });
  }
}

function dedupeConditions(conditions: readonly PendingCondition[]): PendingCondition[] {
  const seen = new Map<string, PendingCondition>();
  for (const c of conditions) {
    const key = `${c.policyId}|${c.statementIndex}|${c.clause.operator}|${c.clause.key}`;
    if (!seen.has(key)) seen.set(key, c);
  }
  return [...seen.values()];
}

/**
 * RES-07: a principal that can read data stores tagged sensitive. A resource is sensitive when a
 * classification tag (data-classification, classification, sensitivity, ...) says confidential,
 * restricted, sensitive, pii or secret. Who can read it is decided by the engine for every principal
 * whose policies may allow the read (all of them when the resource's own policy names principals)
 * — identity policies, boundary, SCPs, the resource policy and RCPs — for a read per type
 * (s3:GetObject on the bucket's objects, dynamodb:GetItem/Query/Scan, secretsmanager:GetSecretValue,
 * kms:Decrypt, sqs:ReceiveMessage).
 *
 * Resources anyone can read (RES-01, open) are left out: every principal would be listed.
 * One finding per principal, listing the resources. Admins (by the access analysis, shadow admins
 * included) are left to the ADM rules: they reach everything. AWS-owned roles are not flagged.
 * Access that holds only under conditions the data cannot decide → medium.
 */
import type { Principal, Resource } from '../../../model/index.js';
import { actionIndex } from '../../../catalog/index.js';
import { evaluateClause } from '../../../policy/conditions.js';
import { matchResourceElement } from '../../../policy/match-resource.js';
import type {
  ConditionClause,
  NormalizedPolicy,
  NormalizedStatement,
} from '../../../policy/types.js';
import { COMPLETE_PREFIXES, type ContextValues } from '../../../policy/types.js';
import type { DetectionContext } from '../../types.js';
import { publicExposure, resourceTagsOf } from '../../shared/exposure-access.js';
import type { Detection, DetectionResult } from '../../types.js';

const CLASSIFICATION_KEYS = new Set([
  'data-classification',
  'dataclassification',
  'data_classification',
  'classification',
  'data-sensitivity',
  'sensitivity',
  'confidentiality',
]);
const SENSITIVE_VALUES = new Set(['confidential', 'restricted', 'sensitive', 'pii', 'secret']);

/** The tag that makes a resource sensitive, or null. */
export function sensitiveTag(resource: Resource): { key: string; value: string } | null {
  for (const [key, value] of Object.entries(resource.tags)) {
    if (
      CLASSIFICATION_KEYS.has(key.toLowerCase()) &&
      SENSITIVE_VALUES.has(value.trim().toLowerCase())
    )
      return { key, value };
  }
  return null;
}

/** Reads per resource type, and the resource they are made on. */
export const READS: Readonly<Record<string, { actions: readonly string[]; object?: boolean }>> = {
  'AWS::S3::Bucket': { actions: ['s3:GetObject'], object: true },
  'AWS::DynamoDB::Table': { actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'] },
  'AWS::SecretsManager::Secret': { actions: ['secretsmanager:GetSecretValue'] },
  'AWS::KMS::Key': { actions: ['kms:Decrypt'] },
  'AWS::SQS::Queue': { actions: ['sqs:ReceiveMessage'] },
};

/**
 * Principals whose decisions on a read are the same share one evaluation. Two principals decide a
 * request alike when the statements that can match its action are the same — in their identity
 * policies (their groups' included) and boundary — and so are their account (SCPs, same-account
 * rules) and type, and every condition on the request's path that reads who is asking
 * (aws:PrincipalArn, aws:username, principal tags, …) comes out the same for both. Keying on the
 * statements of one action, not on whole policies, is what collapses an estate: principals that
 * share no policy still read S3 through the same ReadOnly statement, and an SCP that exempts one
 * break-glass role by ARN splits the estate in two, not in ten thousand.
 */
const WHO_KEY =
  /^aws:(username|userid|principalarn|sourceidentity|federatedprovider|principaltag\/)/;

/** What of the asker a set of statements reads. */
interface Dependence {
  /** Conditions on who asks: their outcomes for a principal are part of its key. */
  readonly clauses: readonly ConditionClause[];
  /** A policy variable (`${aws:username}` in a resource or value): only the principal itself says. */
  readonly byName: boolean;
}

const INDEPENDENT: Dependence = { clauses: [], byName: false };

function dependenceOf(statements: Iterable<NormalizedStatement>): Dependence {
  const clauses: ConditionClause[] = [];
  for (const st of statements) {
    if (st.resource?.patterns.some((p) => p.includes('${'))) return { clauses, byName: true };
    for (const c of st.conditions) {
      if (c.values.some((v) => v.includes('${'))) return { clauses, byName: true };
      if (WHO_KEY.test(c.key.toLowerCase())) clauses.push(c);
    }
  }
  return clauses.length > 0 ? { clauses, byName: false } : INDEPENDENT;
}

function merge(a: Dependence, b: Dependence): Dependence {
  if (a === INDEPENDENT) return b;
  if (b === INDEPENDENT) return a;
  return { clauses: [...a.clauses, ...b.clauses], byName: a.byName || b.byName };
}

/** The statements of `policies` that can match an action (all of them when it is not in the catalog). */
function* statementsFor(
  policies: Iterable<NormalizedPolicy>,
  bit: number | undefined,
): Generator<NormalizedStatement> {
  for (const policy of policies)
    for (const st of policy.statements)
      if (bit === undefined || !st.action || st.action.set.has(bit)) yield st;
}

/** A statement's content as a string, cached: copies of one persona policy share it. */
const contents = new WeakMap<NormalizedStatement, string>();
function contentOf(st: NormalizedStatement): string {
  let content = contents.get(st);
  if (content === undefined) {
    content = JSON.stringify([
      st.effect,
      st.action?.not,
      st.action?.patterns,
      st.resource?.not,
      st.resource?.patterns,
      st.conditions.map((c) => [c.operator, c.key, c.values]),
    ]);
    contents.set(st, content);
  }
  return content;
}

/** The resource side of a read: its resource policy and RCPs, and whom the policy names. */
interface ResourceSide {
  readonly dependence: Dependence;
  /** Principal ARNs the resource policy names (accounts and `*` are not names). */
  readonly named: ReadonlySet<string>;
  /**
   * The policy allows `*` (or everyone but some, with NotPrincipal): in the resource's own account
   * that needs no identity grant, so nobody can be passed over for lacking one.
   */
  readonly anyone: boolean;
  /** Accounts the resource policy names (by id, root or one of their principals). */
  readonly accounts: ReadonlySet<string>;
  /** The resource's account. */
  readonly accountId: string;
}

const ACCOUNT_PRINCIPAL = /^(\d{12}|arn:aws[\w-]*:iam::\d{12}:root)$/;

function resourceSideOf(
  ctx: DetectionContext,
  resource: Resource,
  action: string,
  bit: number | undefined,
  target: string,
): ResourceSide {
  const { evaluator } = ctx.access.context;
  const policy = evaluator.resourcePolicyFor(target, action);
  const named = new Set<string>();
  let anyone = false;
  const accounts = new Set<string>();
  for (const st of policy?.statements ?? []) {
    if (st.effect !== 'Allow' || !st.principal) continue;
    if (st.principal.not) anyone = true;
    for (const entry of st.principal.entries) {
      if (entry.kind === '*' || entry.value === '*') anyone = true;
      else if (entry.kind === 'AWS') {
        const account = /^\d{12}$/.test(entry.value) ? entry.value : entry.value.split(':')[4];
        if (account) accounts.add(account);
        if (!ACCOUNT_PRINCIPAL.test(entry.value)) named.add(entry.value);
      }
    }
  }
  const rcps = evaluator.guardrailLevels(resource.accountId, 'RESOURCE_CONTROL_POLICY').flat();
  return {
    dependence: dependenceOf(statementsFor(policy ? [policy, ...rcps] : rcps, bit)),
    named,
    anyone,
    accounts,
    accountId: resource.accountId,
  };
}

/** A principal's side of a read: everything but the resource. */
interface OwnSide {
  /** Type, account and whether SCPs apply. */
  readonly head: string;
  /** The statements that can match the action, each with the number of its content. */
  readonly identity: readonly (readonly [NormalizedStatement, number])[];
  readonly boundary: readonly (readonly [NormalizedStatement, number])[] | null;
  readonly dependence: Dependence;
}

const NO_CONTEXT: ContextValues = new Map();

/** Whether a statement covers the resource: surely, maybe (a variable), or not. */
function covers(st: NormalizedStatement, target: string): 'true' | 'unknown' | 'false' {
  return st.resource
    ? matchResourceElement(st.resource, target, NO_CONTEXT, 'discovery')
    : 'unknown';
}

interface AllowEntry {
  readonly st: NormalizedStatement;
  readonly holders: Principal[];
}

/** A Resource pattern's text before its first wildcard or variable, lower-cased. */
function literalStart(pattern: string): string {
  const end = pattern.search(/[*?$]/);
  return (end === -1 ? pattern : pattern.slice(0, end)).toLowerCase();
}

/** Groups the principals that decide a read alike (see above), per action. */
class ReaderGroups {
  private readonly own = new Map<string, Map<Principal, OwnSide>>();
  private readonly guardrails = new Map<string, Dependence>();
  private readonly contexts = new Map<Principal, ContextValues>();
  /** How each numbered statement covers the current target. */
  private covered = new Map<number, 'true' | 'unknown' | 'false'>();
  private coveredTarget = '';
  /** Statement contents numbered: equal contents, equal numbers. */
  private readonly numbers = new Map<string, number>();

  constructor(private readonly ctx: DetectionContext) {}

  /**
   * The key of `principal` for a read of `target`: only the statements that can cover the target
   * count (the rest cannot change the answer). Null when none of its own Allow statements can
   * cover it and the resource policy does not let it in without: it cannot read.
   */
  keyOf(
    principal: Principal,
    action: string,
    bit: number | undefined,
    target: string,
    side: ResourceSide,
  ): string | null {
    const own = this.ownSide(principal, action, bit);
    const named = side.named.has(principal.arn);
    // Which statements can cover the target: the rest cannot change the answer. One Allow that
    // surely applies (no condition, the resource surely matched) settles the identity side's
    // Allow, so the other Allows leave the key; Denies always stay.
    let sure = false;
    const kept: number[] = [];
    for (const [st, n] of own.identity) {
      const tri = this.covers(st, n, target);
      if (tri === 'false') continue;
      if (st.effect === 'Deny') kept.push(n);
      else if (tri === 'true' && st.action && st.conditions.length === 0) sure = true;
      else kept.push(-1 - n);
    }
    if (!side.anyone && !named && !sure && !kept.some((n) => n < 0)) return null;
    if (!side.anyone && !named && !side.accounts.has(principal.accountId)) {
      // Another account's principal reads only what the resource policy grants its account.
      if (principal.accountId !== side.accountId) return null;
    }
    let key = own.head;
    if (own.boundary) {
      key += '|B';
      for (const [st, n] of own.boundary)
        if (this.covers(st, n, target) !== 'false') key += `,${n}`;
    }
    key += sure ? '|A' : '|';
    for (const n of (sure ? kept.filter((m) => m >= 0) : kept).sort((x, y) => x - y))
      key += `,${n}`;
    if (named) key += `|${principal.arn}`;
    const dependence = merge(own.dependence, side.dependence);
    if (dependence.byName) return `${key}|${principal.arn}`;
    if (dependence.clauses.length > 0) {
      const context = this.contextOf(principal, action, target);
      key += '|';
      for (const clause of dependence.clauses)
        key += evaluateClause(clause, context, 'discovery')[0];
    }
    return key;
  }

  /**
   * Per action: the identity Allow statements (by number) and the principals that hold them,
   * filed under the literal start of each Resource pattern (lower-cased, up to its first wildcard
   * or variable): a pattern can match a target only if the target starts with it.
   */
  private readonly allows = new Map<string, Map<string, Map<number, AllowEntry>>>();

  /**
   * The principals of `pool` with an identity Allow statement for the action that can cover the
   * target: resource matches only for statements filed under a prefix of the target.
   */
  coveredBy(
    pool: readonly Principal[],
    action: string,
    bit: number | undefined,
    target: string,
  ): Set<Principal> {
    let byPrefix = this.allows.get(action);
    if (!byPrefix) {
      byPrefix = new Map();
      for (const principal of pool)
        for (const [st, n] of this.ownSide(principal, action, bit).identity) {
          if (st.effect !== 'Allow') continue;
          const heads =
            !st.resource || st.resource.not ? [''] : st.resource.patterns.map(literalStart);
          for (const head of new Set(heads)) {
            let entries = byPrefix.get(head);
            if (!entries) {
              entries = new Map();
              byPrefix.set(head, entries);
            }
            const entry = entries.get(n) ?? { st, holders: [] };
            entry.holders.push(principal);
            entries.set(n, entry);
          }
        }
      this.allows.set(action, byPrefix);
    }
    const found = new Set<Principal>();
    const lower = target.toLowerCase();
    for (let end = 0; end <= lower.length; end++) {
      const entries = byPrefix.get(lower.slice(0, end));
      if (!entries) continue;
      for (const [n, { st, holders }] of entries)
        if (this.covers(st, n, target) !== 'false') for (const p of holders) found.add(p);
    }
    return found;
  }

  /** {@link covers}, remembered per statement content for the current target. */
  private covers(st: NormalizedStatement, n: number, target: string): 'true' | 'unknown' | 'false' {
    if (target !== this.coveredTarget) {
      this.covered = new Map();
      this.coveredTarget = target;
    }
    let tri = this.covered.get(n);
    if (tri === undefined) {
      tri = covers(st, target);
      this.covered.set(n, tri);
    }
    return tri;
  }

  private numbered(statements: Iterable<NormalizedStatement>): [NormalizedStatement, number][] {
    const result: [NormalizedStatement, number][] = [];
    for (const st of statements) {
      const content = contentOf(st);
      let n = this.numbers.get(content);
      if (n === undefined) {
        n = this.numbers.size;
        this.numbers.set(content, n);
      }
      result.push([st, n]);
    }
    return result;
  }

  private ownSide(principal: Principal, action: string, bit: number | undefined): OwnSide {
    let byPrincipal = this.own.get(action);
    if (!byPrincipal) {
      byPrincipal = new Map();
      this.own.set(action, byPrincipal);
    }
    let own = byPrincipal.get(principal);
    if (!own) {
      const policies = this.ctx.access.context.evaluator.policiesFor(principal);
      const identity = [...statementsFor(policies.identity, bit)];
      const boundary = policies.boundary ? [...statementsFor([policies.boundary], bit)] : null;
      own = {
        head: `${principal.type}|${principal.accountId}|${policies.scpLevels.length}`,
        identity: this.numbered(identity),
        boundary: boundary ? this.numbered(boundary) : null,
        dependence: merge(
          merge(dependenceOf(identity), boundary ? dependenceOf(boundary) : INDEPENDENT),
          this.guardrailDependence(principal.accountId, policies.scpLevels, bit),
        ),
      };
      byPrincipal.set(principal, own);
    }
    return own;
  }

  /** The principal's request context (what it says about who asks does not depend on the resource). */
  private contextOf(principal: Principal, action: string, target: string): ContextValues {
    let context = this.contexts.get(principal);
    if (!context) {
      context = this.ctx.access.context.evaluator.requestInput(principal, action, target).context;
      this.contexts.set(principal, context);
    }
    return context;
  }

  private guardrailDependence(
    accountId: string,
    levels: readonly (readonly NormalizedPolicy[])[],
    bit: number | undefined,
  ): Dependence {
    const key = `${accountId}|${levels.length}|${bit}`;
    let dependence = this.guardrails.get(key);
    if (dependence === undefined) {
      dependence = dependenceOf(statementsFor(levels.flat(), bit));
      this.guardrails.set(key, dependence);
    }
    return dependence;
  }
}

/**
 * What the snapshot knows of a read of the resource: it goes to the resource's region (SCPs often
 * pin regions) and carries its tags as aws:ResourceTag (all known; the principal's tags stay
 * complete too). The evaluator does not add either by itself.
 */
export function requestContextOf(resource: Resource): ContextValues {
  const context = new Map<string, readonly string[]>();
  if (resource.region) context.set('aws:requestedregion', [resource.region]);
  const complete = ['aws:principaltag/'];
  const tags = resourceTagsOf(resource);
  if (tags) {
    for (const [key, value] of Object.entries(tags))
      context.set(`aws:resourcetag/${key.toLowerCase()}`, [value]);
    complete.push('aws:resourcetag/');
  }
  context.set(COMPLETE_PREFIXES, complete);
  return context;
}

interface Reach {
  readonly arn: string;
  readonly name: string;
  readonly type: string;
  readonly action: string;
  readonly conditional: boolean;
  /** The condition keys a conditional read depends on. */
  readonly conditions?: readonly string[];
}

const MAX_LISTED = 25;

export const detection: Detection = {
  id: 'iam-principal-sensitive-data-access',
  anchor: 'RES-07',
  version: 1,
  title: 'Principal can read sensitive data stores',
  severity: 'high',
  category: 'exposure',
  description:
    'A principal that is not an administrator can read data stores tagged as sensitive (a data-classification or sensitivity tag of confidential, restricted, sensitive, pii or secret): S3 buckets, DynamoDB tables, Secrets Manager secrets, KMS keys, SQS queues.',
  risk: 'Whoever compromises this principal — its keys, its workload, anyone who can assume it — reads the organization’s most sensitive data.',
  remediation:
    'Remove the read from principals that do not need it: scope their policies to non-sensitive resources (or deny on aws:ResourceTag/data-classification), and name the readers in the resource policy.',
  references: [
    'https://docs.datadoghq.com/security/identity_risks/',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_tags.html',
  ],
  requires: ['iam', 'resources'],
  identityFields: [],
  appliesTo: ['AWS::IAM::User', 'AWS::IAM::Role'],
  evaluate(ctx) {
    const { evaluator, permissions } = ctx.access.context;
    const reaches = new Map<Principal, Reach[]>();
    const groups = new ReaderGroups(ctx);
    // Who may be listed at all (admins reach everything: the ADM rules report them), and, per
    // action, who has a grant of it somewhere in its own policies.
    const eligible = ctx.access.context.actors.filter(
      (p) => p.type !== 'root' && !ctx.isAwsOwned(p) && !ctx.access.status.get(p.arn)?.admin,
    );
    const eligibleByArn = new Map(eligible.map((p) => [p.arn, p]));
    const granted = new Map<string, readonly Principal[]>();
    const grantedFor = (action: string, bit: number | undefined): readonly Principal[] => {
      let list = granted.get(action);
      if (!list) {
        list =
          bit === undefined
            ? eligible
            : eligible.filter((p) => permissions.of(p).possible.has(bit));
        granted.set(action, list);
      }
      return list;
    };

    for (const resource of ctx.snapshot.resources) {
      const reads = READS[resource.type];
      if (!reads || !sensitiveTag(resource)) continue;
      // Readable by anyone: RES-01 reports the resource; listing every principal adds nothing.
      if (publicExposure(ctx, resource).reach === 'open') continue;
      const target = reads.object ? `${resource.arn}/*` : resource.arn;
      // A read of a regional resource is a request to its region (SCPs often pin regions).
      const context = requestContextOf(resource);
      const seen = new Set<Principal>();
      for (const action of reads.actions) {
        const bit = actionIndex(action);
        const side = resourceSideOf(ctx, resource, action, bit, target);
        const decided = new Map<string, { allowed: boolean; conditional: string[] }>();
        // Without a grant of its own that can cover the target, only the resource policy can
        // let a principal read: those it names, or everyone when it admits `*`.
        let pool: Iterable<Principal>;
        if (side.anyone) pool = eligible;
        else {
          const covered = groups.coveredBy(grantedFor(action, bit), action, bit, target);
          for (const arn of side.named) {
            const named = eligibleByArn.get(arn);
            if (named) covered.add(named);
          }
          pool = covered;
        }
        for (const principal of pool) {
          if (seen.has(principal)) continue;
          const key = groups.keyOf(principal, action, bit, target, side);
          if (key === null) continue;
          let result = decided.get(key);
          if (!result) {
            // First without the resource's region and tags: the principal's cached context
            // serves every resource. A definite answer stands (more keys cannot change it); an
            // answer that depends on conditions is asked again with what the snapshot knows.
            let full = evaluator.evaluate(principal, action, target);
            if (full.decision === 'Allowed' && full.conditional.length > 0)
              full = evaluator.evaluate(principal, action, target, { context });
            // Keep only what the finding needs: a full result holds its explanation's matches.
            result = {
              allowed: full.decision === 'Allowed',
              conditional: [...new Set(full.conditional.map((c) => c.clause.key))],
            };
            decided.set(key, result);
          }
          if (!result.allowed) continue;
          seen.add(principal);
          const list = reaches.get(principal) ?? [];
          list.push({
            arn: resource.arn,
            name: resource.name,
            type: resource.type,
            action,
            conditional: result.conditional.length > 0,
            ...(result.conditional.length > 0 ? { conditions: result.conditional } : {}),
          });
          reaches.set(principal, list);
        }
      }
    }
    const results: DetectionResult[] = [];
    for (const [principal, list] of reaches) {
      const certain = list.filter((r) => !r.conditional);
      const names = list.map((r) => r.name);
      results.push({
        resource: ctx.refOf(principal),
        severity: certain.length > 0 ? 'high' : 'medium',
        message: `${principal.type === 'user' ? 'User' : 'Role'} ${principal.name} can read ${list.length} sensitive data store${list.length === 1 ? '' : 's'} (${names.slice(0, 3).join(', ')}${list.length > 3 ? ', …' : ''})${certain.length === 0 ? ' under conditions' : ''}: compromising it exposes that data.`,
        evidence: {
          count: list.length,
          resources: list.slice(0, MAX_LISTED),
          ...(list.length > MAX_LISTED ? { omitted: list.length - MAX_LISTED } : {}),
        },
      });
    }
    return results;
  },
};

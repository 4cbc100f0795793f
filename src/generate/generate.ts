/**
 * Generates a synthetic AWS organization: a plan (accounts, OUs, principal counts, CloudTrail
 * budgets) decided up front, and each account's documents built on demand from the plan, so that
 * 100,000 principals never sit in memory at once. Pure: the same options give the same bytes.
 */
import { buildBaseline } from './baseline.js';
import { renderAuthorizationDetails, type AuthorizationDetails } from './authz.js';
import { generateCloudTrail, type CloudTrailFile, type CloudTrailTruth } from './cloudtrail.js';
import { renderCredentialReport } from './credential-report.js';
import { AccountBuilder, type PlantedRisk } from './estate.js';
import { buildFiller } from './filler.js';
import { KITS, KITS_BY_ID } from './kits.js';
import {
  managementAccount,
  planOrganization,
  workloadAccounts,
  type AccountKind,
  type AccountPlan,
  type OrgPlan,
} from './org-plan.js';
import { buildOrganizationDocument, type OrganizationDocument } from './organization.js';
import { apportion, createRandom } from './random.js';
import type { ConfigItem } from './resources.js';
import { SCENARIOS, assignScenarios, type ScenarioId } from './scenarios.js';
import { planUsage, type UsagePlan } from './usage-plan.js';

/** Options of {@link generateOrganization}. */
export interface GenerateOptions {
  /** PRNG seed (default 1). */
  readonly seed?: number;
  /** Total principals (users + groups + roles) across all accounts; generated exactly. */
  readonly principals: number;
  /** Number of accounts, at least 3 (default: principals / 250, between 3 and 100). */
  readonly accounts?: number;
  /** The generation instant (default 2026-11-01T00:00:00Z); never the wall clock. */
  readonly now?: Date;
  /** Days of CloudTrail before `now` (default 30). */
  readonly cloudTrailDays?: number;
  /** Total CloudTrail records (default 12 per principal, about 20 per active principal; 0 for none). */
  readonly cloudTrailEvents?: number;
}

/** The options after defaults. */
export interface ResolvedOptions {
  readonly seed: number;
  readonly principals: number;
  readonly accounts: number;
  readonly now: Date;
  readonly cloudTrailDays: number;
  readonly cloudTrailEvents: number;
}

/** The snapshot folder's manifest.json. */
export interface Manifest {
  readonly schema: 'iamsight.snapshot/v1';
  readonly createdAt: string;
  readonly producer: string;
  readonly gaps: {
    source: string;
    accountId: string | null;
    region: string | null;
    detail: string;
  }[];
}

/** Counts of what one account's documents hold. */
export interface AccountCounts {
  readonly users: number;
  readonly groups: number;
  readonly roles: number;
  readonly policies: number;
  readonly configItems: number;
  readonly cloudTrailFiles: number;
  readonly cloudTrailRecords: number;
}

/** Everything generated for one account, in AWS's own formats. */
export interface AccountDocuments {
  readonly accountId: string;
  /** `aws iam get-account-authorization-details` output. */
  readonly authz: AuthorizationDetails;
  /** The decoded credential report CSV. */
  readonly credentialReport: string;
  /** An AWS Config snapshot's items. */
  readonly configItems: { readonly configurationItems: ConfigItem[] };
  /** CloudTrail log files (paths relative to the snapshot folder). */
  readonly cloudTrail: CloudTrailFile[];
  /** What those records say, aggregated (ground truth for tests of the CloudTrail reader). */
  readonly cloudTrailTruth: CloudTrailTruth;
  /** The risks deliberately placed in this account (ground truth for tests and benchmarks). */
  readonly planted: readonly PlantedRisk[];
  /** When each principal was created and last used, and what it calls (ground truth of use). */
  readonly usagePlan: UsagePlan;
  readonly counts: AccountCounts;
}

/** One generated account: its place in the organization and a builder for its documents. */
export interface GeneratedAccount {
  readonly id: string;
  readonly name: string;
  readonly kind: AccountKind;
  /** The root or OU id holding the account. */
  readonly parentId: string;
  /** Principals this account will have (users + groups + roles). */
  readonly principals: number;
  /** CloudTrail records this account will have. */
  readonly cloudTrailEvents: number;
  /** Builds this account's documents (deterministic; rebuilt on every call, not cached). */
  documents(): AccountDocuments;
}

/** A generated organization. */
export interface GeneratedOrg {
  readonly options: ResolvedOptions;
  readonly manifest: Manifest;
  readonly organization: OrganizationDocument;
  readonly accounts: readonly GeneratedAccount[];
}

/** The default generation instant. */
export const DEFAULT_NOW = new Date('2026-11-01T00:00:00Z');

/** Share of principals that are escalation kit actors once the estate is large enough. */
const KIT_RATE = 0.005;

const ACCOUNT_WEIGHT: Record<AccountKind, number> = {
  management: 0.6,
  security: 1,
  'log-archive': 0.4,
  prod: 2.2,
  dev: 2,
  sandbox: 0.8,
};

function integerIn(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  return value;
}

/** Applies defaults and checks ranges; throws RangeError on a bad option. */
export function resolveOptions(options: GenerateOptions): ResolvedOptions {
  const principals = integerIn('principals', options.principals, 1, 10_000_000);
  const accounts = integerIn(
    'accounts',
    options.accounts ?? Math.min(100, Math.max(3, Math.round(principals / 250))),
    3,
    9999,
  );
  const now = options.now ?? DEFAULT_NOW;
  if (Number.isNaN(now.getTime())) throw new RangeError('now must be a valid date');
  return {
    seed: integerIn('seed', options.seed ?? 1, 0, 2 ** 32 - 1),
    principals,
    accounts,
    now: new Date(now.getTime()),
    cloudTrailDays: integerIn('cloudTrailDays', options.cloudTrailDays ?? 30, 1, 365),
    cloudTrailEvents: integerIn(
      'cloudTrailEvents',
      options.cloudTrailEvents ?? principals * 12,
      0,
      2_000_000_000,
    ),
  };
}

/** Places kit instances: every kit at least once, more as the estate grows. */
function assignKits(plan: OrgPlan, principals: number): void {
  const total = Math.max(KITS.length, Math.round(principals * KIT_RATE));
  const workloads = workloadAccounts(plan);
  const management = managementAccount(plan);
  const nonProd = workloads.filter((a) => a.kind !== 'prod');
  let w = 0;
  let np = 0;
  for (let i = 0; i < total; i++) {
    const kit = KITS[i % KITS.length];
    if (!kit) continue;
    let account =
      kit.placement === 'management'
        ? management
        : (workloads[w++ % workloads.length] ?? management);
    if (kit.avoidProd && account.kind === 'prod')
      account = nonProd[np++ % Math.max(1, nonProd.length)] ?? management;
    account.kits.push(kit.id);
  }
}

/** Builds an account's fixed part (baseline, scenarios, kits) and, when `complete`, its filler. */
function buildAccount(plan: OrgPlan, account: AccountPlan, complete: boolean): AccountBuilder {
  const b = new AccountBuilder(plan, account, createRandom(plan.seed, `account/${account.id}`));
  buildBaseline(b);
  for (const scenario of account.scenarios) SCENARIOS[scenario as ScenarioId](b);
  const instances = new Map<string, number>();
  for (const id of account.kits) {
    const n = instances.get(id) ?? 0;
    instances.set(id, n + 1);
    KITS_BY_ID.get(id)?.build(b, n);
  }
  if (complete) {
    buildFiller(b, account.principals - b.principalCount);
    if (b.principalCount !== account.principals)
      throw new Error(
        `internal: account ${account.id} has ${b.principalCount} principals, planned ${account.principals}`,
      );
  }
  return b;
}

/** Plans and describes a synthetic organization; account documents are built on demand. */
export function generateOrganization(options: GenerateOptions): GeneratedOrg {
  const resolved = resolveOptions(options);
  const plan = planOrganization(
    resolved.seed,
    resolved.accounts,
    resolved.now,
    resolved.cloudTrailDays,
  );
  assignScenarios(plan);
  assignKits(plan, resolved.principals);

  const fixed = plan.accounts.map((account) => buildAccount(plan, account, false).principalCount);
  const minimum = fixed.reduce((sum, n) => sum + n, 0);
  if (resolved.principals < minimum)
    throw new RangeError(
      `principals must be at least ${minimum} for ${resolved.accounts} accounts (the planted risks and every account's baseline need them)`,
    );
  const extra = apportion(
    resolved.principals - minimum,
    plan.accounts.map((a) => ACCOUNT_WEIGHT[a.kind]),
  );
  plan.accounts.forEach((account, i) => {
    account.principals = (fixed[i] ?? 0) + (extra[i] ?? 0);
  });
  const budgets = apportion(
    resolved.cloudTrailEvents,
    plan.accounts.map((a) => a.principals),
  );
  plan.accounts.forEach((account, i) => {
    account.cloudTrailEvents = budgets[i] ?? 0;
  });

  const accounts = plan.accounts.map((account): GeneratedAccount => ({
    id: account.id,
    name: account.name,
    kind: account.kind,
    parentId: account.parentId,
    principals: account.principals,
    cloudTrailEvents: account.cloudTrailEvents,
    documents: () => {
      const b = buildAccount(plan, account, true);
      const { files: cloudTrail, truth: cloudTrailTruth } = generateCloudTrail(
        b,
        account.cloudTrailEvents,
      );
      return {
        accountId: account.id,
        authz: renderAuthorizationDetails(b),
        credentialReport: renderCredentialReport(b),
        configItems: { configurationItems: b.items },
        cloudTrail,
        cloudTrailTruth,
        planted: b.planted,
        usagePlan: planUsage(b),
        counts: {
          users: b.users.length,
          groups: b.groups.length,
          roles: b.roles.length,
          policies: b.policies.length,
          configItems: b.items.length,
          cloudTrailFiles: cloudTrail.length,
          cloudTrailRecords: cloudTrail.reduce((sum, file) => sum + file.records.length, 0),
        },
      };
    },
  }));

  return {
    options: resolved,
    manifest: {
      schema: 'iamsight.snapshot/v1',
      createdAt: resolved.now.toISOString(),
      producer: `iamsight generate seed=${resolved.seed} principals=${resolved.principals} accounts=${resolved.accounts}`,
      gaps: [],
    },
    organization: buildOrganizationDocument(plan),
    accounts,
  };
}

/**
 * The shape of the generated organization: accounts, OUs and their ids, decided before any account
 * is built so that accounts can refer to each other (cross-account trusts, shared buckets).
 */
import { daysBefore } from './dates.js';
import { LOWER_ALNUM, createRandom } from './random.js';

/** What an account is for; it decides its OU, its principals and its planted risks. */
export type AccountKind = 'management' | 'security' | 'log-archive' | 'prod' | 'dev' | 'sandbox';

/** One account of the plan. */
export interface AccountPlan {
  readonly index: number;
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly kind: AccountKind;
  /** The root id (`r-…`) or the OU id (`ou-…`) holding the account. */
  readonly parentId: string;
  readonly regions: readonly [string, string];
  readonly joined: Date;
  /** The application the account runs (names its roles and resources). */
  readonly theme: string;
  /** Suffix of the Identity Center SAML provider and roles in this account. */
  readonly ssoSuffix: string;
  /** Escalation kit ids placed in this account (filled by the generator). */
  kits: string[];
  /** Scenario group ids placed in this account (filled by the generator). */
  scenarios: string[];
  /** Principals to generate in this account (filled by the generator). */
  principals: number;
  /** CloudTrail records to generate for this account (filled by the generator). */
  cloudTrailEvents: number;
}

/** One organizational unit. */
export interface OuPlan {
  readonly id: string;
  readonly name: string;
  readonly parentId: string;
}

/** An AWS account outside the organization that some roles or resources trust. */
export interface ExternalAccount {
  readonly name: string;
  readonly accountId: string;
}

/** The whole plan. */
export interface OrgPlan {
  readonly seed: number;
  readonly now: Date;
  readonly windowDays: number;
  readonly orgId: string;
  readonly rootId: string;
  readonly accounts: readonly AccountPlan[];
  readonly units: readonly OuPlan[];
  readonly vendors: {
    readonly scanner: ExternalAccount;
    readonly finops: ExternalAccount;
    readonly msp: ExternalAccount;
    readonly partner: ExternalAccount;
  };
  /** The GitHub organization whose workflows deploy. */
  readonly githubOrg: string;
}

const THEMES = [
  'payments',
  'web',
  'data',
  'platform',
  'identity',
  'search',
  'mobile',
  'analytics',
  'ml',
  'billing',
  'orders',
  'catalog',
  'messaging',
  'media',
  'logistics',
  'risk',
];

const SANDBOX_OWNERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'];

const WORKLOAD_PATTERN: readonly AccountKind[] = ['prod', 'dev', 'sandbox', 'prod', 'dev'];

const REGION_PAIRS: readonly (readonly [string, string])[] = [
  ['us-east-1', 'us-west-2'],
  ['us-east-1', 'eu-west-1'],
  ['eu-west-1', 'eu-central-1'],
];

/** The first account id; the others follow it. */
export const FIRST_ACCOUNT_ID = 100000000001;

/** Plans `accountCount` accounts (at least 3: management, security tooling, one workload). */
export function planOrganization(
  seed: number,
  accountCount: number,
  now: Date,
  windowDays: number,
): OrgPlan {
  const rng = createRandom(seed, 'organization');
  const orgId = `o-${rng.chars(LOWER_ALNUM, 10)}`;
  const rootSuffix = rng.chars(LOWER_ALNUM, 4);
  const rootId = `r-${rootSuffix}`;
  const ou = (name: string, parentId: string): OuPlan => ({
    id: `ou-${rootSuffix}-${rng.chars(LOWER_ALNUM, 8)}`,
    name,
    parentId,
  });
  const security = ou('Security', rootId);
  const workloads = ou('Workloads', rootId);
  const prod = ou('Prod', workloads.id);
  const dev = ou('Dev', workloads.id);
  const sandbox = ou('Sandbox', rootId);
  const suspended = ou('Suspended', rootId);
  const parentOf: Record<AccountKind, string> = {
    management: rootId,
    security: security.id,
    'log-archive': security.id,
    prod: prod.id,
    dev: dev.id,
    sandbox: sandbox.id,
  };

  const kinds: AccountKind[] = ['management', 'security'];
  if (accountCount >= 6) kinds.push('log-archive');
  for (let w = 0; kinds.length < accountCount; w++)
    kinds.push(WORKLOAD_PATTERN[w % WORKLOAD_PATTERN.length] ?? 'dev');

  const seen = new Map<string, number>();
  const counts: Partial<Record<AccountKind, number>> = {};
  const accounts = kinds.map((kind, index): AccountPlan => {
    const nth = counts[kind] ?? 0;
    counts[kind] = nth + 1;
    const theme =
      kind === 'sandbox'
        ? (SANDBOX_OWNERS[nth % SANDBOX_OWNERS.length] ?? 'alice')
        : (THEMES[nth % THEMES.length] ?? 'web');
    let name: string;
    if (kind === 'management') name = 'management';
    else if (kind === 'security') name = 'security-tooling';
    else if (kind === 'log-archive') name = 'log-archive';
    else name = `${kind}-${theme}`;
    const times = (seen.get(name) ?? 0) + 1;
    seen.set(name, times);
    if (times > 1) name = `${name}-${times}`;
    const accountRng = rng.fork(`account/${index}`);
    const regions =
      kind === 'sandbox'
        ? (['us-east-1', 'us-west-2'] as const)
        : (REGION_PAIRS[index % REGION_PAIRS.length] ?? ['us-east-1', 'us-west-2']);
    return {
      index,
      id: String(FIRST_ACCOUNT_ID + index),
      name,
      email: `aws+${name}@example.com`,
      kind,
      parentId: parentOf[kind],
      regions: [regions[0], regions[1]],
      joined: daysBefore(now, 1500 - index * 9),
      theme:
        kind === 'management' || kind === 'security' || kind === 'log-archive' ? 'platform' : theme,
      ssoSuffix: accountRng.chars('0123456789abcdef', 16),
      kits: [],
      scenarios: [],
      principals: 0,
      cloudTrailEvents: 0,
    };
  });

  return {
    seed,
    now,
    windowDays,
    orgId,
    rootId,
    accounts,
    units: [security, workloads, prod, dev, sandbox, suspended],
    vendors: {
      scanner: { name: 'acme-cspm', accountId: '999999990001' },
      finops: { name: 'cloudcost', accountId: '999999990002' },
      msp: { name: 'legacy-msp', accountId: '999999990003' },
      partner: { name: 'partner-analytics', accountId: '999999990004' },
    },
    githubOrg: 'example-org',
  };
}

/** The management account. */
export function managementAccount(plan: OrgPlan): AccountPlan {
  const account = plan.accounts[0];
  if (!account) throw new RangeError('the plan has no accounts');
  return account;
}

/** The security tooling account (delegated administrator, audit roles). */
export function securityAccount(plan: OrgPlan): AccountPlan {
  const account = plan.accounts[1];
  if (!account) throw new RangeError('the plan has no security account');
  return account;
}

/** The workload accounts (prod, dev, sandbox), in order. */
export function workloadAccounts(plan: OrgPlan): AccountPlan[] {
  return plan.accounts.filter((a) => a.kind === 'prod' || a.kind === 'dev' || a.kind === 'sandbox');
}

/** The first account of the first kind listed that exists, else the first workload account. */
export function firstAccountOf(plan: OrgPlan, ...kinds: AccountKind[]): AccountPlan {
  for (const kind of kinds) {
    const found = plan.accounts.find((a) => a.kind === kind);
    if (found) return found;
  }
  const fallback = workloadAccounts(plan)[0] ?? plan.accounts[plan.accounts.length - 1];
  if (!fallback) throw new RangeError('the plan has no accounts');
  return fallback;
}

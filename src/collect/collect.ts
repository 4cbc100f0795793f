/**
 * `iamsight collect`: one account, or every active account of the organization, read-only, into a
 * snapshot folder. Every call that AWS refuses (access denied, a disabled region, an account whose
 * role cannot be assumed) becomes a gap in the manifest, never a failure.
 */
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { InputError, type Gap } from '../model/index.js';
import {
  classifyAwsError,
  clientConfig,
  describeFailure,
  DEFAULT_MAX_ATTEMPTS,
  shareCredentials,
  type ClientSettings,
  type Credentials,
  type GapSink,
} from './aws.js';
import { copyCloudTrail, type CloudTrailCopyOptions } from './cloudtrail.js';
import type { ConfigItem } from './config-item.js';
import {
  ACCESS_KEYS_SOURCE,
  collectCredentials,
  MFA_DEVICES_SOURCE,
  usersForCredentials,
} from './credentials.js';
import { collectIam } from './iam.js';
import { mapWithLimit } from './limit.js';
import { collectOrganization } from './organization.js';
import { listEnabledRegions, RESOURCE_COLLECTORS } from './resources/index.js';
import {
  collectServiceLastAccessed,
  principalsForReports,
  SERVICE_LAST_ACCESSED_SOURCE,
} from './service-last-accessed.js';
import { startSnapshotFolder } from './snapshot-folder.js';

/** The default name of the role assumed in member accounts (docs/aws-setup.md). */
export const DEFAULT_ROLE_NAME = 'iamsight-readonly';

/** The session name of every assumed role (it shows in the members' CloudTrail). */
export const SESSION_NAME = 'iamsight';

/** What to collect and where to write it. */
export interface CollectOptions {
  readonly out: string;
  readonly force?: boolean;
  /** A profile of the shared AWS config (SSO, assume-role, static keys); the default chain otherwise. */
  readonly profile?: string;
  /** The region of the global services' calls (default: AWS_REGION, the profile's, us-east-1). */
  readonly region?: string;
  /** Every active account of the organization (from the management or a delegated account). */
  readonly org?: boolean;
  readonly roleName?: string;
  /** Accounts collected at once (default 4). */
  readonly concurrency?: number;
  /** Regions collected at once in an account (default 4). */
  readonly regionConcurrency?: number;
  /** Only these regions (default: every region enabled for the account). */
  readonly regions?: readonly string[];
  /** Only these resource services (default all: see SERVICE_NAMES). */
  readonly services?: readonly string[];
  /** Attempts per call, retries included (adaptive retry mode; default 8). */
  readonly maxAttempts?: number;
  /** Copy CloudTrail files from the trail's bucket for a window. */
  readonly cloudtrail?: Omit<CloudTrailCopyOptions, 'accounts' | 'regions' | 'organizationId'>;
  /** `iamsight collect <version>`, for the manifest. */
  readonly producer: string;
}

/** Progress of a collection, for the per-account lines on a terminal. */
export type CollectEvent =
  | { readonly kind: 'organization'; readonly accounts: number }
  | {
      readonly kind: 'account-started';
      readonly accountId: string;
      readonly name: string | null;
      readonly index: number;
      readonly total: number;
    }
  | {
      readonly kind: 'account-done';
      readonly accountId: string;
      readonly name: string | null;
      readonly index: number;
      readonly total: number;
      readonly summary: AccountSummary;
    }
  | { readonly kind: 'cloudtrail'; readonly files: number; readonly bytes: number };

/** What was collected from one account. */
export interface AccountSummary {
  readonly accountId: string;
  readonly name: string | null;
  readonly reachable: boolean;
  readonly principals: number;
  readonly resources: number;
  readonly regions: number;
  readonly gaps: number;
}

/** What a collection did. */
export interface CollectResult {
  readonly out: string;
  readonly callerArn: string;
  readonly accounts: readonly AccountSummary[];
  readonly gaps: readonly Gap[];
  readonly cloudTrail: { readonly files: number; readonly bytes: number } | null;
}

/** The clock, the waiting and the credentials (tests replace them). */
export interface CollectDependencies {
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
  /** The caller's credentials (default: the SDK's chain for `--profile`). */
  readonly credentials?: Credentials;
  readonly onEvent?: (event: CollectEvent) => void;
  readonly pid?: number;
}

/** A sink that adds to a shared list and counts its own gaps. */
function sinkFor(
  gaps: Gap[],
  accountId: string,
  region: string | null,
): GapSink & { count: number } {
  const sink = {
    accountId,
    region,
    count: 0,
    add(gap: Gap) {
      gaps.push(gap);
      sink.count++;
    },
  };
  return sink;
}

function homeRegionOf(options: CollectOptions): string {
  return options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
}

/** The caller's identity; a failure is the user's to fix (credentials, profile): exit 2. */
async function callerIdentity(
  settings: ClientSettings,
): Promise<{ accountId: string; arn: string }> {
  try {
    const identity = await new STSClient(clientConfig(settings)).send(
      new GetCallerIdentityCommand({}),
    );
    if (!identity.Account || !/^\d{12}$/.test(identity.Account) || !identity.Arn)
      throw new Error('STS returned no 12-digit account id');
    return { accountId: identity.Account, arn: identity.Arn };
  } catch (error) {
    const failure = classifyAwsError(error);
    const why = failure
      ? describeFailure(failure)
      : error instanceof Error
        ? error.message.replace(/\s+/g, ' ').slice(0, 300)
        : String(error);
    throw new InputError(
      'AWS credentials',
      '',
      `could not identify the caller with sts:GetCallerIdentity: ${why}. Check --profile, AWS_PROFILE or the AWS_* environment variables (docs/aws-setup.md)`,
      { cause: error },
    );
  }
}

/**
 * Collects and writes the snapshot folder. Throws {@link InputError} (exit 2) for a folder that
 * may not be written or credentials that do not work; everything AWS refuses later is a gap.
 */
export async function collectSnapshot(
  options: CollectOptions,
  dependencies: CollectDependencies = {},
): Promise<CollectResult> {
  const now = dependencies.now ?? (() => new Date());
  const sleep = dependencies.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const homeRegion = await homeRegionOf(options);
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const baseCredentials =
    dependencies.credentials ??
    fromNodeProviderChain({
      ...(options.profile ? { profile: options.profile } : {}),
      clientConfig: { region: homeRegion },
    });
  const baseSettings: ClientSettings = {
    region: homeRegion,
    credentials: baseCredentials,
    maxAttempts,
  };
  const writer = await startSnapshotFolder(options.out, {
    force: options.force ?? false,
    ...(dependencies.pid ? { pid: dependencies.pid } : {}),
  });
  try {
    const caller = await callerIdentity(baseSettings);
    const gaps: Gap[] = [];
    let accounts: { id: string; name: string | null }[] = [{ id: caller.accountId, name: null }];
    let organizationId: string | null = null;
    if (options.org) {
      const sink = sinkFor(gaps, caller.accountId, null);
      const organization = await collectOrganization(
        new OrganizationsClient(clientConfig(baseSettings)),
        sink,
      );
      if (organization) {
        await writer.write(
          'organization.json',
          JSON.stringify(organization.document, null, 2) + '\n',
        );
        const org = organization.document.Organization as { Id?: unknown } | undefined;
        organizationId = typeof org?.Id === 'string' ? org.Id : null;
        if (organization.activeAccounts.length > 0) accounts = [...organization.activeAccounts];
      }
      dependencies.onEvent?.({ kind: 'organization', accounts: accounts.length });
    }

    const roleName = options.roleName ?? DEFAULT_ROLE_NAME;
    const services = options.services ? new Set(options.services) : null;
    const collectors = RESOURCE_COLLECTORS.filter((c) => !services || services.has(c.service));
    const regionsSeen = new Set<string>();
    const summaries = await mapWithLimit(
      accounts,
      options.concurrency ?? 4,
      async (account, index) => {
        dependencies.onEvent?.({
          kind: 'account-started',
          accountId: account.id,
          name: account.name,
          index,
          total: accounts.length,
        });
        const summary = await collectAccount({
          accountId: account.id,
          name: account.name,
          credentials:
            account.id === caller.accountId
              ? baseCredentials
              : shareCredentials(
                  fromTemporaryCredentials({
                    masterCredentials: baseCredentials,
                    params: {
                      RoleArn: `arn:${partitionOfRegion(homeRegion)}:iam::${account.id}:role/${roleName}`,
                      RoleSessionName: SESSION_NAME,
                      DurationSeconds: 3600,
                    },
                    clientConfig: { region: homeRegion, maxAttempts, retryMode: 'adaptive' },
                  }),
                ),
          roleName: account.id === caller.accountId ? null : roleName,
          homeRegion,
          maxAttempts,
          regions: options.regions ?? null,
          regionConcurrency: options.regionConcurrency ?? 4,
          collectors,
          gaps,
          writer,
          now,
          sleep,
          regionsSeen,
        });
        dependencies.onEvent?.({
          kind: 'account-done',
          accountId: account.id,
          name: account.name,
          index,
          total: accounts.length,
          summary,
        });
        return summary;
      },
    );

    let cloudTrail: CollectResult['cloudTrail'] = null;
    if (options.cloudtrail) {
      cloudTrail = await copyCloudTrail(
        {
          ...options.cloudtrail,
          accounts: summaries.filter((s) => s.reachable).map((s) => s.accountId),
          regions: [...regionsSeen].sort(),
          organizationId,
        },
        {
          settings: baseSettings,
          sink: sinkFor(gaps, caller.accountId, null),
          write: (path, content) => writer.write(path, content),
        },
      );
      dependencies.onEvent?.({ kind: 'cloudtrail', ...cloudTrail });
    }

    await writer.commit({ producer: options.producer, createdAt: now().toISOString(), gaps });
    return { out: options.out, callerArn: caller.arn, accounts: summaries, gaps, cloudTrail };
  } catch (error) {
    await writer.abandon();
    throw error;
  }
}

function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

interface AccountJob {
  readonly accountId: string;
  readonly name: string | null;
  readonly credentials: Credentials;
  /** The role assumed into the account; null for the caller's own account. */
  readonly roleName: string | null;
  readonly homeRegion: string;
  readonly maxAttempts: number;
  readonly regions: readonly string[] | null;
  readonly regionConcurrency: number;
  readonly collectors: typeof RESOURCE_COLLECTORS;
  readonly gaps: Gap[];
  readonly writer: { write(path: string, content: string): Promise<void> };
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly regionsSeen: Set<string>;
}

/** Every source an unreachable account is missing. */
const ACCOUNT_SOURCES = [
  'iam:authorization-details',
  'iam:credential-report',
  SERVICE_LAST_ACCESSED_SOURCE,
  ACCESS_KEYS_SOURCE,
  MFA_DEVICES_SOURCE,
  'config:all',
];

async function collectAccount(job: AccountJob): Promise<AccountSummary> {
  const sink = sinkFor(job.gaps, job.accountId, null);
  const settings: ClientSettings = {
    region: job.homeRegion,
    credentials: job.credentials,
    maxAttempts: job.maxAttempts,
  };
  const unreachable = (why: string): AccountSummary => {
    for (const source of ACCOUNT_SOURCES)
      sink.add({ source, accountId: job.accountId, region: null, detail: why });
    return {
      accountId: job.accountId,
      name: job.name,
      reachable: false,
      principals: 0,
      resources: 0,
      regions: 0,
      gaps: sink.count,
    };
  };
  if (job.roleName !== null && typeof job.credentials === 'function') {
    try {
      await job.credentials();
    } catch (error) {
      const failure = classifyAwsError(error);
      if (!failure) throw error;
      return unreachable(
        `the account was not collected: sts:AssumeRole of role/${job.roleName}: ${describeFailure(failure)}`,
      );
    }
  }

  let regions: string[];
  if (job.regions) regions = [...job.regions];
  else {
    try {
      regions = await listEnabledRegions(settings);
    } catch (error) {
      const failure = classifyAwsError(error);
      if (!failure) throw error;
      sink.add({
        source: 'config:regions',
        accountId: job.accountId,
        region: null,
        detail: `ec2:DescribeRegions: ${describeFailure(failure)}; only ${job.homeRegion} was collected`,
      });
      regions = [job.homeRegion];
    }
  }
  for (const region of regions) job.regionsSeen.add(region);

  const iamClient = new IAMClient(clientConfig(settings));
  const iam = await collectIam(iamClient, sink, { sleep: job.sleep, now: job.now });
  let lastAccessed = null;
  let credentials = null;
  if (iam.authz) {
    credentials = await collectCredentials(iamClient, sink, usersForCredentials(iam.authz));
    lastAccessed = await collectServiceLastAccessed(
      iamClient,
      sink,
      principalsForReports(iam.authz),
      { sleep: job.sleep },
    );
  } else {
    for (const [source, what] of [
      [ACCESS_KEYS_SOURCE, 'the users'],
      [MFA_DEVICES_SOURCE, 'the users'],
      [SERVICE_LAST_ACCESSED_SOURCE, 'the users and roles'],
    ] as const)
      sink.add({
        source,
        accountId: job.accountId,
        region: null,
        detail: `not asked: ${what} (the authorization details) could not be read`,
      });
  }
  const items: ConfigItem[] = [...iam.items];
  const capturedAt = job.now();
  for (const collector of job.collectors.filter((c) => c.global)) {
    items.push(
      ...(await collector.collect({
        accountId: job.accountId,
        region: job.homeRegion,
        settings,
        sink: sinkFor(job.gaps, job.accountId, job.homeRegion),
        now: capturedAt,
      })),
    );
  }
  const regional = job.collectors.filter((c) => !c.global);
  const perRegion = await mapWithLimit(regions, job.regionConcurrency, async (region) => {
    const regionSink = sinkFor(job.gaps, job.accountId, region);
    const found: ConfigItem[] = [];
    for (const collector of regional) {
      found.push(
        ...(await collector.collect({
          accountId: job.accountId,
          region,
          settings: { ...settings, region },
          sink: regionSink,
          now: capturedAt,
        })),
      );
    }
    return found;
  });
  for (const found of perRegion) items.push(...found);

  const base = `accounts/${job.accountId}`;
  let principals = 0;
  if (iam.authz) {
    await job.writer.write(`${base}/authz.json`, JSON.stringify(iam.authz, null, 2) + '\n');
    for (const list of ['UserDetailList', 'GroupDetailList', 'RoleDetailList'])
      principals += (iam.authz[list] as unknown[] | undefined)?.length ?? 0;
  }
  if (iam.credentialReport !== null)
    await job.writer.write(`${base}/credential-report.csv`, iam.credentialReport);
  if (credentials !== null)
    await job.writer.write(
      `${base}/iam-credentials.json`,
      JSON.stringify(credentials, null, 1) + '\n',
    );
  if (lastAccessed !== null)
    await job.writer.write(
      `${base}/service-last-accessed.json`,
      JSON.stringify(lastAccessed, null, 1) + '\n',
    );
  await job.writer.write(
    `${base}/config-items.json`,
    JSON.stringify({ configurationItems: items }, null, 1) + '\n',
  );
  return {
    accountId: job.accountId,
    name: job.name,
    reachable: true,
    principals,
    resources: items.length,
    regions: regions.length,
    gaps: job.gaps.filter((g) => g.accountId === job.accountId).length,
  };
}

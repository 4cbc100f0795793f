/**
 * `iamsight collect`: reads one AWS account, or every account of the organization, into a snapshot
 * folder that `iamsight scan --snapshot DIR` reads. Exit 3 (with a table of what is missing and
 * why) when AWS refused part of it.
 */
import { Command, Option } from 'commander';
import { createRequire } from 'node:module';
import { DEFAULT_CLOUDTRAIL_BYTES, parseS3Location } from '../../collect/cloudtrail.js';
import {
  collectSnapshot,
  DEFAULT_ROLE_NAME,
  type CollectEvent,
  type CollectOptions,
  type CollectResult,
} from '../../collect/collect.js';
import { SERVICE_NAMES } from '../../collect/resources/index.js';
import type { Gap } from '../../model/index.js';
import { renderTable, sanitizeForTerminal } from '../table.js';
import {
  PartialCollection,
  UsageError,
  parseCount,
  parseList,
  parseMebibytes,
  parseWindowFlag,
} from '../usage.js';

const version = (createRequire(import.meta.url)('../../../package.json') as { version: string })
  .version;

/** The flags `collect` and `scan --collect` share. */
export interface CollectFlags {
  profile?: string;
  region?: string;
  roleName?: string;
  regions?: string;
  services?: string;
  concurrency?: string;
  maxAttempts?: string;
}

/** Adds the flags shared by `collect` and `scan --collect`. */
export function withCollectFlags(command: Command): Command {
  return command
    .option(
      '--profile <name>',
      'AWS shared-config profile (SSO, assume-role, keys); default chain otherwise',
    )
    .option(
      '--region <region>',
      'region of the global calls (default AWS_REGION, the profile, us-east-1)',
    )
    .option(
      '--role-name <name>',
      `organization mode: role assumed in each member account (default ${DEFAULT_ROLE_NAME})`,
    )
    .option(
      '--regions <list>',
      'only these regions, comma-separated (default: every enabled region)',
    )
    .option(
      '--services <list>',
      `only these resource services, comma-separated: ${SERVICE_NAMES.join(', ')}`,
    )
    .option('--concurrency <n>', 'accounts collected at once (default 4)')
    .option(
      '--max-attempts <n>',
      'attempts per AWS call, retries on throttling included (default 8)',
    );
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/** The collect options named by the shared flags (validated: a UsageError for a bad one). */
export function collectOptionsOf(
  flags: CollectFlags,
  rest: { out: string; force: boolean; org: boolean },
): CollectOptions {
  const regions = parseList(flags.regions, '--regions');
  for (const region of regions ?? [])
    if (!REGION.test(region))
      throw new UsageError(
        `--regions: ${JSON.stringify(region)} is not a region name such as eu-west-1`,
      );
  if (flags.region !== undefined && !REGION.test(flags.region))
    throw new UsageError(
      `--region: ${JSON.stringify(flags.region)} is not a region name such as eu-west-1`,
    );
  if (flags.roleName !== undefined && !ROLE_NAME.test(flags.roleName))
    throw new UsageError(
      `--role-name: expected an IAM role name (letters, digits and +=,.@_-, at most 64), got ${JSON.stringify(flags.roleName)}`,
    );
  if (flags.roleName !== undefined && !rest.org)
    throw new UsageError('--role-name is for organization mode: add --org');
  const services = parseList(flags.services, '--services', SERVICE_NAMES);
  return {
    out: rest.out,
    force: rest.force,
    org: rest.org,
    producer: `iamsight collect ${version}`,
    ...(flags.profile ? { profile: flags.profile } : {}),
    ...(flags.region ? { region: flags.region } : {}),
    ...(flags.roleName ? { roleName: flags.roleName } : {}),
    ...(regions ? { regions } : {}),
    ...(services ? { services } : {}),
    ...(flags.concurrency ? { concurrency: parseCount(flags.concurrency, '--concurrency') } : {}),
    ...(flags.maxAttempts ? { maxAttempts: parseCount(flags.maxAttempts, '--max-attempts') } : {}),
  };
}

/** Per-account progress lines on a terminal; nothing in pipes, files or CI logs. */
export function progressPrinter(
  stream: NodeJS.WriteStream = process.stderr,
): ((event: CollectEvent) => void) | undefined {
  if (stream.isTTY !== true || process.env.CI) return undefined;
  return (event) => {
    if (event.kind === 'organization')
      stream.write(`iamsight: organization: ${event.accounts} active accounts\n`);
    else if (event.kind === 'account-done') {
      const s = event.summary;
      const name = s.name ? ` ${sanitizeForTerminal(s.name, 40)}` : '';
      stream.write(
        `[${event.index + 1}/${event.total}] ${s.accountId}${name}: ` +
          (s.reachable
            ? `${s.principals} principals, ${s.resources} resources in ${s.regions} regions`
            : 'not reachable') +
          (s.gaps > 0 ? `, ${s.gaps} gap${s.gaps === 1 ? '' : 's'}` : '') +
          '\n',
      );
    } else if (event.kind === 'cloudtrail')
      stream.write(`iamsight: CloudTrail: ${event.files} files, ${event.bytes} bytes copied\n`);
  };
}

/** The table of what is missing, per account: what, where and why (at most 50 rows). */
export function renderGapSummary(gaps: readonly Gap[]): string {
  const rows = gaps.map((g) => [
    g.accountId ?? 'all',
    sanitizeForTerminal(g.source, 40),
    g.region ?? '',
    sanitizeForTerminal(g.detail, 160),
  ]);
  const shown = rows.slice(0, 50);
  return (
    renderTable(['Account', 'Missing', 'Region', 'Why'], shown) +
    (rows.length > shown.length
      ? `\n  … and ${rows.length - shown.length} more (the manifest.json lists them all)`
      : '') +
    '\n'
  );
}

/** One line that says what was collected. */
export function describeResult(result: CollectResult): string {
  const reachable = result.accounts.filter((a) => a.reachable).length;
  const principals = result.accounts.reduce((n, a) => n + a.principals, 0);
  const resources = result.accounts.reduce((n, a) => n + a.resources, 0);
  return (
    `iamsight collect: wrote ${result.out}: ${reachable}/${result.accounts.length} accounts, ` +
    `${principals} principals, ${resources} resources` +
    (result.cloudTrail ? `, ${result.cloudTrail.files} CloudTrail files` : '') +
    (result.gaps.length > 0 ? `, ${result.gaps.length} gaps` : ', complete') +
    '\n'
  );
}

/** Says on stderr what is missing; the caller then exits 3. */
export function reportGaps(result: CollectResult): void {
  if (result.gaps.length === 0) return;
  process.stderr.write(
    `iamsight: the collection is partial: ${result.gaps.length} gap${result.gaps.length === 1 ? '' : 's'} (scans treat this data as unknown, never as absent):\n` +
      renderGapSummary(result.gaps),
  );
}

interface CollectCommandOptions extends CollectFlags {
  out: string;
  force: boolean;
  org: boolean;
  cloudtrail?: string;
  since?: string;
  until?: string;
  cloudtrailMaxSize?: string;
}

async function runCollect(options: CollectCommandOptions): Promise<void> {
  const collect = collectOptionsOf(options, options);
  let cloudtrail: CollectOptions['cloudtrail'];
  if (options.cloudtrail !== undefined) {
    if (!parseS3Location(options.cloudtrail))
      throw new UsageError(
        `--cloudtrail: expected the trail's S3 location as s3://bucket/prefix, got ${JSON.stringify(options.cloudtrail)}`,
      );
    const since = parseWindowFlag(options.since, '--since');
    const until = parseWindowFlag(options.until, '--until') ?? new Date().toISOString();
    if (!since)
      throw new UsageError('--cloudtrail needs --since DATE (and optionally --until DATE)');
    if (since > until) throw new UsageError('--since must be before --until');
    cloudtrail = {
      location: options.cloudtrail,
      since,
      until,
      maxBytes: options.cloudtrailMaxSize
        ? parseMebibytes(options.cloudtrailMaxSize, '--cloudtrail-max-size')
        : DEFAULT_CLOUDTRAIL_BYTES,
    };
  } else if (options.since || options.until || options.cloudtrailMaxSize) {
    throw new UsageError(
      '--since, --until and --cloudtrail-max-size go with --cloudtrail s3://...',
    );
  }
  const onEvent = progressPrinter();
  const result = await collectSnapshot(
    { ...collect, ...(cloudtrail ? { cloudtrail } : {}) },
    onEvent ? { onEvent } : {},
  );
  process.stdout.write(describeResult(result));
  if (result.gaps.length > 0) {
    reportGaps(result);
    throw new PartialCollection(`${result.gaps.length} gaps`);
  }
}

/** `iamsight collect`. */
export function collectCommand(): Command {
  return withCollectFlags(
    new Command('collect').description(
      'Read IAM, the organization and resource policies from AWS (read-only) into a snapshot folder',
    ),
  )
    .requiredOption('--out <dir>', 'the snapshot folder to write (must be new or empty)')
    .option(
      '--force',
      'replace a non-empty --out folder (only once the new snapshot is complete)',
      false,
    )
    .option(
      '--org',
      'every active account of the organization (run from the management or a delegated administrator account)',
      false,
    )
    .option(
      '--cloudtrail <s3url>',
      "copy CloudTrail files from the trail's bucket: s3://bucket/prefix (needs --since)",
    )
    .option('--since <date>', 'start of the CloudTrail window (ISO-8601 date or date-time)')
    .option('--until <date>', 'end of the CloudTrail window (default now)')
    .addOption(
      new Option(
        '--cloudtrail-max-size <MiB>',
        `copy at most this much CloudTrail (default ${DEFAULT_CLOUDTRAIL_BYTES / 1048576}); beyond it, a gap`,
      ),
    )
    .addHelpText(
      'after',
      `
Examples:
  iamsight collect --out ./snapshot                          # the account of the default credentials
  iamsight collect --profile audit --org --out ./snapshot    # every account (role ${DEFAULT_ROLE_NAME})
  iamsight collect --regions eu-west-1,us-east-1 --services s3,lambda,ec2 --out ./snapshot
  iamsight collect --out ./snapshot --cloudtrail s3://org-trail-logs --since 2026-10-01
  iamsight scan --snapshot ./snapshot

Credentials and endpoints follow the AWS SDK's standard configuration (environment, --profile and
SSO, web identity, container and instance roles; AWS_REGION; AWS_ENDPOINT_URL[_<SERVICE>]).
The permissions it needs: docs/aws-setup.md.

Exit codes: 0 complete, 2 bad flags or credentials that do not work, 3 partial (the snapshot is
written; stderr lists each account, what is missing and why).`,
    )
    .action(async (options: CollectCommandOptions) => runCollect(options));
}

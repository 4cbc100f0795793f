/**
 * IAM's service last accessed details (Access Advisor) of an account's users and roles: one
 * GenerateServiceLastAccessedDetails job (ACTION_LEVEL) per principal, polled with backoff until
 * COMPLETED or FAILED and read page by page, a few jobs at once (IAM throttles). Written as
 * `accounts/<id>/service-last-accessed.json` (docs/formats.md). Access denied, a failed job or one
 * that never completes is an `iam:service-last-accessed` gap of the account, never a failure.
 */
import {
  GenerateServiceLastAccessedDetailsCommand,
  GetServiceLastAccessedDetailsCommand,
  type GetServiceLastAccessedDetailsCommandOutput,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { classifyAwsError, describeFailure, type AwsFailure, type GapSink } from './aws.js';
import { plain } from './config-item.js';
import { mapWithLimit } from './limit.js';

/** The gap source of missing service last accessed data (src/findings/score.ts reads it). */
export const SERVICE_LAST_ACCESSED_SOURCE = 'iam:service-last-accessed';

/** Bounds of what is asked and read. */
export const SERVICE_LAST_ACCESSED_LIMITS = {
  /** Principals of one account a report is asked for (then a gap says the rest is missing). */
  principals: 20_000,
  /** Pages of one report (IAM returns at most 1,000 services a page). */
  pages: 20,
  /** Failed principals named in a gap's detail. */
  namedInGap: 5,
} as const;

/** The waiting of the polling and how many jobs run at once (tests pass a sleep that returns at once). */
export interface ServiceLastAccessedDependencies {
  readonly sleep: (ms: number) => Promise<void>;
  /** Jobs of one account running at once (default 4). */
  readonly concurrency?: number;
  /** Checks of a job's status before giving up (default 30: about five minutes with the backoff). */
  readonly polls?: number;
}

/** One principal's report as written to the file. */
export interface ServiceLastAccessedEntry {
  readonly Arn: string;
  readonly JobId: string;
  readonly JobCompletionDate: string | null;
  readonly ServicesLastAccessed: readonly unknown[];
}

/** The document of `service-last-accessed.json`. */
export interface ServiceLastAccessedDocument {
  readonly Principals: readonly ServiceLastAccessedEntry[];
}

/** The wait before the `poll`-th check of a job: 1 s doubling to at most 15 s. */
export function pollDelayMs(poll: number): number {
  return Math.min(1000 * 2 ** poll, 15_000);
}

/** The users and roles of an authorization details document whose reports are asked for. */
export function principalsForReports(authz: Record<string, unknown>): string[] {
  const arns: string[] = [];
  for (const list of ['UserDetailList', 'RoleDetailList']) {
    const entries = authz[list];
    if (!Array.isArray(entries)) continue;
    for (const entry of entries as { Arn?: unknown; Path?: unknown }[]) {
      // Service-linked roles belong to AWS: nothing about their use is for the customer to fix.
      if (typeof entry.Path === 'string' && entry.Path.startsWith('/aws-service-role/')) continue;
      if (typeof entry.Arn === 'string') arns.push(entry.Arn);
    }
  }
  return arns;
}

type Outcome =
  | { readonly kind: 'done'; readonly entry: ServiceLastAccessedEntry }
  | { readonly kind: 'denied'; readonly failure: AwsFailure; readonly what: string }
  | { readonly kind: 'failed'; readonly arn: string; readonly why: string }
  | { readonly kind: 'skipped' };

/**
 * Collects the service last accessed details of `arns`; null when none could be read (the gap
 * says why). Access denied stops the account's remaining jobs: the answer would be the same.
 */
export async function collectServiceLastAccessed(
  client: Pick<IAMClient, 'send'>,
  sink: GapSink,
  arns: readonly string[],
  dependencies: ServiceLastAccessedDependencies,
): Promise<ServiceLastAccessedDocument | null> {
  const polls = dependencies.polls ?? 30;
  const wanted = arns.slice(0, SERVICE_LAST_ACCESSED_LIMITS.principals);
  let denied = false;

  const report = async (arn: string): Promise<Outcome> => {
    if (denied) return { kind: 'skipped' };
    let what = 'iam:GenerateServiceLastAccessedDetails';
    try {
      const job = await client.send(
        new GenerateServiceLastAccessedDetailsCommand({ Arn: arn, Granularity: 'ACTION_LEVEL' }),
      );
      const jobId = job.JobId;
      if (!jobId) return { kind: 'failed', arn, why: 'IAM returned no JobId' };
      what = 'iam:GetServiceLastAccessedDetails';
      let first: GetServiceLastAccessedDetailsCommandOutput | null = null;
      for (let poll = 0; poll < polls && !denied; poll++) {
        const page = await client.send(
          new GetServiceLastAccessedDetailsCommand({ JobId: jobId, MaxItems: 1000 }),
        );
        if (page.JobStatus === 'COMPLETED') {
          first = page;
          break;
        }
        if (page.JobStatus === 'FAILED') {
          const error = page.Error;
          const why = error
            ? `${error.Code ?? 'Error'}: ${error.Message ?? ''}`
            : 'no reason given';
          return { kind: 'failed', arn, why: `the job failed (${why.trim().slice(0, 200)})` };
        }
        if (poll < polls - 1) await dependencies.sleep(pollDelayMs(poll));
      }
      if (denied) return { kind: 'skipped' };
      if (!first) return { kind: 'failed', arn, why: `still IN_PROGRESS after ${polls} checks` };
      const services: unknown[] = [...((plain(first.ServicesLastAccessed) as unknown[]) ?? [])];
      let marker = first.IsTruncated ? first.Marker : undefined;
      for (let page = 1; marker; page++) {
        if (page >= SERVICE_LAST_ACCESSED_LIMITS.pages)
          return {
            kind: 'failed',
            arn,
            why: `more than ${SERVICE_LAST_ACCESSED_LIMITS.pages} pages`,
          };
        const next = await client.send(
          new GetServiceLastAccessedDetailsCommand({
            JobId: jobId,
            MaxItems: 1000,
            Marker: marker,
          }),
        );
        services.push(...((plain(next.ServicesLastAccessed) as unknown[]) ?? []));
        marker = next.IsTruncated ? next.Marker : undefined;
      }
      return {
        kind: 'done',
        entry: {
          Arn: arn,
          JobId: jobId,
          JobCompletionDate: first.JobCompletionDate?.toISOString() ?? null,
          ServicesLastAccessed: services,
        },
      };
    } catch (error) {
      const failure = classifyAwsError(error);
      if (!failure) throw error;
      if (failure.kind === 'denied' || failure.kind === 'region-disabled') {
        denied = true;
        return { kind: 'denied', failure, what };
      }
      return { kind: 'failed', arn, why: `${what}: ${describeFailure(failure)}` };
    }
  };

  const outcomes = await mapWithLimit(wanted, dependencies.concurrency ?? 4, report);
  const entries = outcomes.flatMap((o) => (o.kind === 'done' ? [o.entry] : []));
  const refusal = outcomes.find((o) => o.kind === 'denied');
  const gap = (detail: string): void =>
    sink.add({
      source: SERVICE_LAST_ACCESSED_SOURCE,
      accountId: sink.accountId,
      region: null,
      detail,
    });
  if (refusal) {
    gap(
      `${refusal.what}: ${describeFailure(refusal.failure)}; ${entries.length} of ${wanted.length} principals have service last accessed data`,
    );
  } else {
    const failed = outcomes.filter((o) => o.kind === 'failed');
    if (failed.length > 0) {
      const named = failed
        .slice(0, SERVICE_LAST_ACCESSED_LIMITS.namedInGap)
        .map((o) => `${o.arn.split(':').slice(5).join(':')}: ${o.why}`)
        .join('; ');
      const more =
        failed.length > SERVICE_LAST_ACCESSED_LIMITS.namedInGap
          ? `; and ${failed.length - SERVICE_LAST_ACCESSED_LIMITS.namedInGap} more`
          : '';
      gap(
        `iam:GetServiceLastAccessedDetails: ${failed.length} of ${wanted.length} reports could not be read (${named}${more})`,
      );
    }
  }
  if (arns.length > wanted.length)
    gap(
      `only the first ${wanted.length} of ${arns.length} principals were asked for service last accessed details`,
    );
  return entries.length > 0 || wanted.length === 0 ? { Principals: entries } : null;
}

/**
 * Optional CloudTrail copy (`--cloudtrail s3://bucket/prefix --since --until`): the log files of the
 * window, from the trail's bucket, into the snapshot's cloudtrail/ folder in the S3 delivery layout
 * (AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/..., or AWSLogs/<org-id>/<account>/... for an
 * organization trail). The total is bounded; what does not fit is a gap.
 */
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { attempt, clientConfig, readPages, type ClientSettings, type GapSink } from './aws.js';

/** Where the trail delivers and which part of it to copy. */
export interface CloudTrailCopyOptions {
  /** `s3://bucket/prefix` (the part before `AWSLogs/`; the prefix may be empty). */
  readonly location: string;
  /** Window start and end, ISO-8601 (inclusive days). */
  readonly since: string;
  readonly until: string;
  /** Bytes copied at most (default 1 GiB); beyond them, a gap. */
  readonly maxBytes?: number;
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
  readonly organizationId: string | null;
}

/** The default bound of the copied CloudTrail files. */
export const DEFAULT_CLOUDTRAIL_BYTES = 1024 * 1024 * 1024;

/** Splits `s3://bucket/prefix` into the bucket and a prefix ending in `/` (or empty). */
export function parseS3Location(location: string): { bucket: string; prefix: string } | null {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(location);
  if (!match) return null;
  const prefix = (match[2] ?? '').replace(/^\/+/, '');
  return {
    bucket: match[1]!,
    prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`,
  };
}

/** The UTC days from `since` to `until`, as `YYYY/MM/DD` (at most 400). */
export function daysOf(since: string, until: string): string[] {
  const days: string[] = [];
  const start = new Date(since);
  const end = new Date(until);
  const day = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()));
  while (day.getTime() <= end.getTime() && days.length < 400) {
    days.push(day.toISOString().slice(0, 10).replaceAll('-', '/'));
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return days;
}

/**
 * The path under cloudtrail/ for an object key listed under `prefix`, or null when the key is not
 * a plain delivery path (keys are chosen by whoever can write to the bucket: a `..` segment or
 * an absolute path must not write outside the snapshot folder).
 */
export function deliveryPathOf(key: string, prefix: string, listed: string): string | null {
  if (!key.startsWith(listed)) return null;
  const relative = key.slice(prefix.length);
  if (!/^AWSLogs\/[\w./-]+\.json(\.gz)?$/.test(relative)) return null;
  if (relative.split('/').some((segment) => segment === '..' || segment === '.' || segment === ''))
    return null;
  return relative;
}

/** Copies the window's log files; returns how many files and bytes were written. */
export async function copyCloudTrail(
  options: CloudTrailCopyOptions,
  dependencies: {
    readonly settings: ClientSettings;
    readonly sink: GapSink;
    readonly write: (path: string, content: Uint8Array) => Promise<void>;
  },
): Promise<{ files: number; bytes: number }> {
  const { sink } = dependencies;
  const location = parseS3Location(options.location);
  if (!location) throw new Error(`not an S3 location: ${options.location}`);
  const client = new S3Client({
    ...clientConfig(dependencies.settings),
    followRegionRedirects: true,
  });
  const maxBytes = options.maxBytes ?? DEFAULT_CLOUDTRAIL_BYTES;
  let files = 0;
  let bytes = 0;
  let full = false;
  const days = daysOf(options.since, options.until);
  const roots = [
    `${location.prefix}AWSLogs/`,
    ...(options.organizationId ? [`${location.prefix}AWSLogs/${options.organizationId}/`] : []),
  ];
  for (const accountId of options.accounts) {
    for (const region of options.regions) {
      for (const root of roots) {
        for (const day of days) {
          if (full) break;
          const prefix = `${root}${accountId}/CloudTrail/${region}/${day}/`;
          const listed = await attempt(
            sink,
            'cloudtrail:s3',
            `s3:ListObjectsV2 s3://${location.bucket}/${prefix}`,
            () =>
              readPages(
                (ContinuationToken) =>
                  client.send(
                    new ListObjectsV2Command({
                      Bucket: location.bucket,
                      Prefix: prefix,
                      ContinuationToken,
                    }),
                  ),
                (page) => page.Contents,
                (page) => page.NextContinuationToken,
              ),
          );
          // One failed listing (the bucket is not readable) would fail every other: stop there.
          if (!listed) return { files, bytes };
          for (const object of listed.items) {
            const key = object.Key;
            if (!key || !/\.json(\.gz)?$/.test(key)) continue;
            const relative = deliveryPathOf(key, location.prefix, prefix);
            if (relative === null) {
              sink.add({
                source: 'cloudtrail:s3',
                accountId,
                region,
                detail: `s3://${location.bucket}/${key.slice(0, 300)}: not a CloudTrail delivery path; not copied`,
              });
              continue;
            }
            const size = object.Size ?? 0;
            if (bytes + size > maxBytes) {
              full = true;
              sink.add({
                source: 'cloudtrail:size',
                accountId: null,
                region: null,
                detail: `the CloudTrail files of the window are larger than ${Math.round(maxBytes / 1048576)} MiB (--cloudtrail-max-size); the rest were not copied, from s3://${location.bucket}/${key}`,
              });
              break;
            }
            const body = await attempt(
              sink,
              'cloudtrail:s3',
              `s3:GetObject s3://${location.bucket}/${key}`,
              async () => {
                const response = await client.send(
                  new GetObjectCommand({ Bucket: location.bucket, Key: key }),
                );
                return response.Body ? await response.Body.transformToByteArray() : null;
              },
            );
            if (!body) continue;
            await dependencies.write(`cloudtrail/${relative}`, body);
            files++;
            bytes += body.length;
          }
        }
      }
    }
  }
  return { files, bytes };
}

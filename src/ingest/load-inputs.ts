import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../model/index.js';
import type { Snapshot } from '../model/index.js';
import { importAuthorizationDetails } from './authz-details.js';
import { resolveAwsManagedPolicies } from './aws-managed-policies.js';
import { importConfigItems } from './aws-config.js';
import { buildSnapshot } from './build-snapshot.js';
import { importCredentialReport } from './credential-report.js';
import { importOrganization } from './organization.js';
import { importIamCredentials } from './iam-credentials.js';
import { importServiceLastAccessed } from './service-last-accessed.js';
import { parseWithSchema, readJsonFile, type ReadOptions } from './read-input.js';
import type { SnapshotPart } from './snapshot-part.js';

/** The input files of a scan (DESIGN.md §3.1); every list may be empty. */
export interface InputSpec {
  readonly authz?: readonly string[];
  readonly credentialReports?: readonly string[];
  readonly resources?: readonly string[];
  readonly org?: readonly string[];
  readonly snapshots?: readonly string[];
}

export interface LoadOptions extends ReadOptions {
  /** Called before each file is read, with how many are done and how many there are. */
  readonly onProgress?: (event: { done: number; total: number; file: string }) => void;
}

/** The manifest of a snapshot folder (docs/formats.md). */
const manifestSchema = z.object({
  schema: z.literal('iamsight.snapshot/v1', {
    error: 'expected "schema": "iamsight.snapshot/v1"',
  }),
  createdAt: z.string().optional(),
  producer: z.string().optional(),
  gaps: z
    .array(
      z.object({
        source: z.string(),
        accountId: z.string().nullable().default(null),
        region: z.string().nullable().default(null),
        detail: z.string(),
      }),
    )
    .default([]),
});

type Job = {
  kind:
    | 'authz'
    | 'credential-report'
    | 'resources'
    | 'org'
    | 'service-last-accessed'
    | 'iam-credentials';
  file: string;
  /** The account folder the file is in, for files that must hold only its data. */
  accountId?: string;
};

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    // A missing optional file of a snapshot folder is normal: the caller records a gap.
    return false;
  }
}

/** Lists the files of a snapshot folder as import jobs, and the gaps its manifest records. */
async function planSnapshotFolder(dir: string): Promise<{ jobs: Job[]; part: SnapshotPart }> {
  const manifestFile = join(dir, 'manifest.json');
  if (!(await exists(manifestFile))) {
    throw new InputError(
      dir,
      '',
      'expected a snapshot folder with a manifest.json (written by `iamsight collect` or `npm run generate`)',
    );
  }
  const manifest = parseWithSchema(manifestSchema, await readJsonFile(manifestFile), manifestFile);
  const jobs: Job[] = [];
  const orgFile = join(dir, 'organization.json');
  if (await exists(orgFile)) jobs.push({ kind: 'org', file: orgFile });
  const accountsDir = join(dir, 'accounts');
  const accountIds = (await exists(accountsDir)) ? (await readdir(accountsDir)).sort() : [];
  for (const accountId of accountIds) {
    const base = join(accountsDir, accountId);
    const files: [Job['kind'], string][] = [
      ['authz', 'authz.json'],
      ['credential-report', 'credential-report.csv'],
      ['resources', 'config-items.json'],
      ['resources', 'config-items.jsonl'],
      ['service-last-accessed', 'service-last-accessed.json'],
      ['iam-credentials', 'iam-credentials.json'],
    ];
    for (const [kind, name] of files) {
      if (await exists(join(base, name))) jobs.push({ kind, file: join(base, name), accountId });
    }
  }
  return { jobs, part: { gaps: manifest.gaps } };
}

async function runJob(job: Job, options: ReadOptions): Promise<SnapshotPart> {
  switch (job.kind) {
    case 'authz':
      return importAuthorizationDetails(job.file, options);
    case 'credential-report':
      return importCredentialReport(job.file, options);
    case 'resources':
      return importConfigItems(job.file, options);
    case 'org':
      return importOrganization(job.file, options);
    case 'service-last-accessed':
      return importServiceLastAccessed(job.file, {
        ...options,
        accountId: /^\d{12}$/.test(job.accountId ?? '') ? (job.accountId ?? null) : null,
      });
    case 'iam-credentials':
      return importIamCredentials(job.file, {
        ...options,
        accountId: /^\d{12}$/.test(job.accountId ?? '') ? (job.accountId ?? null) : null,
      });
  }
}

/**
 * Reads every input of a scan and merges them into one Snapshot. Any bad file stops the load
 * with an {@link InputError}; nothing is returned half-built.
 */
export async function loadSnapshot(spec: InputSpec, options: LoadOptions = {}): Promise<Snapshot> {
  const jobs: Job[] = [
    ...(spec.org ?? []).map((file): Job => ({ kind: 'org', file })),
    ...(spec.authz ?? []).map((file): Job => ({ kind: 'authz', file })),
    ...(spec.credentialReports ?? []).map((file): Job => ({ kind: 'credential-report', file })),
    ...(spec.resources ?? []).map((file): Job => ({ kind: 'resources', file })),
  ];
  const parts: SnapshotPart[] = [];
  for (const dir of spec.snapshots ?? []) {
    const planned = await planSnapshotFolder(dir);
    jobs.push(...planned.jobs);
    parts.push(planned.part);
  }
  if (jobs.length === 0 && (spec.snapshots ?? []).length === 0) {
    throw new InputError(
      '',
      '',
      'no input given: name at least one of --authz, --credential-report, --resources, --org or --snapshot',
    );
  }
  let done = 0;
  for (const job of jobs) {
    options.onProgress?.({ done, total: jobs.length, file: job.file });
    parts.push(await runJob(job, options));
    done += 1;
  }
  return buildSnapshot(parts, { resolveAwsManagedPolicies });
}

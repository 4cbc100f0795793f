import type { Command } from 'commander';
import { Option } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readCloudTrail } from '../ingest/cloudtrail/index.js';
import { loadSnapshot, type InputSpec } from '../ingest/load-inputs.js';
import type { Snapshot, Usage } from '../model/index.js';
import { startProgress } from './progress.js';
import { sanitizeForTerminal } from './table.js';
import { UsageError, collectValues, parseMebibytes } from './usage.js';

/** The input options every command that reads AWS data shares (DESIGN.md §3.1). */
export interface InputOptions {
  authz: string[];
  credentialReport: string[];
  resources: string[];
  org: string[];
  snapshot: string[];
  cloudtrail: string[];
  maxInputSize?: string;
}

/** What the input options name: the snapshot, and the CloudTrail usage when `--cloudtrail` is given. */
export interface Inputs {
  readonly snapshot: Snapshot;
  readonly usage: Usage | null;
}

/** Adds the input options to a command. */
export function withInputOptions(command: Command): Command {
  return command
    .option(
      '--authz <file>',
      'output of `aws iam get-account-authorization-details` (repeatable)',
      collectValues,
      [],
    )
    .option(
      '--credential-report <file>',
      'IAM credential report CSV (repeatable)',
      collectValues,
      [],
    )
    .option(
      '--resources <file>',
      'AWS Config configuration items, JSON or JSON lines (repeatable)',
      collectValues,
      [],
    )
    .option(
      '--org <file>',
      'organization structure with SCPs and RCPs (docs/formats.md)',
      collectValues,
      [],
    )
    .option(
      '--snapshot <dir>',
      'a snapshot folder written by `iamsight collect` or `iamsight generate`, its cloudtrail/ included (repeatable)',
      collectValues,
      [],
    )
    .option(
      '--cloudtrail <path>',
      'CloudTrail log files or folders (.json, .json.gz, the S3 delivery layout; repeatable)',
      collectValues,
      [],
    )
    .addOption(
      new Option('--max-input-size <MiB>', 'refuse input files larger than this (default 256)'),
    );
}

/** The input files named on the command line. */
export function inputSpecOf(options: InputOptions): InputSpec {
  return {
    authz: options.authz,
    credentialReports: options.credentialReport,
    resources: options.resources,
    org: options.org,
    snapshots: options.snapshot,
  };
}

/** True when at least one input of the snapshot was named (`--cloudtrail` alone is not one). */
export function hasInputs(options: InputOptions): boolean {
  return Object.values(inputSpecOf(options)).some((files: readonly string[]) => files.length > 0);
}

/**
 * Reads the inputs into a snapshot, and the `--cloudtrail` logs into a Usage (null without them),
 * with a progress line; a usage error when no snapshot input is named. CloudTrail files that could
 * not be read to the end are said on stderr (and listed in the Usage's stats).
 */
export async function readInputs(options: InputOptions, command: string): Promise<Inputs> {
  if (!hasInputs(options)) {
    throw new UsageError(
      `${command} needs input: --authz FILE, --credential-report FILE, --resources FILE, --org FILE or --snapshot DIR`,
    );
  }
  const maxBytes = options.maxInputSize
    ? parseMebibytes(options.maxInputSize, '--max-input-size')
    : undefined;
  const progress = startProgress();
  try {
    progress.update('reading inputs');
    const snapshot = await loadSnapshot(inputSpecOf(options), {
      ...(maxBytes ? { maxBytes } : {}),
      onProgress: ({ done, total, file }) =>
        progress.update(`reading ${file} (${done + 1}/${total})`),
    });
    // A snapshot folder holds its CloudTrail logs in cloudtrail/ (DESIGN.md §3.1: "all of the above").
    const trails = [
      ...new Set([
        ...(options.cloudtrail ?? []),
        ...(options.snapshot ?? [])
          .map((dir) => join(dir, 'cloudtrail'))
          .filter((dir) => existsSync(dir)),
      ]),
    ];
    if (trails.length === 0) return { snapshot, usage: null };
    progress.update('reading CloudTrail logs');
    const usage = await readCloudTrail(trails, {
      ...(maxBytes ? { maxBytes } : {}),
      onProgress: ({ done, total }) =>
        progress.update(`reading CloudTrail logs (${done}/${total} files)`),
    });
    warnAboutUnreadableFiles(usage);
    return { snapshot, usage };
  } finally {
    progress.done();
  }
}

/** Says on stderr which CloudTrail files could not be read to the end (their other records count). */
export function warnAboutUnreadableFiles(usage: Usage): void {
  const unreadable = usage.stats.unreadableFiles;
  if (unreadable.length === 0) return;
  const lines = unreadable
    .slice(0, 5)
    .map((u) => `  ${sanitizeForTerminal(u.file, 160)}: ${sanitizeForTerminal(u.reason, 200)}`);
  if (unreadable.length > 5) lines.push(`  … and ${unreadable.length - 5} more`);
  process.stderr.write(
    `iamsight: warning: ${unreadable.length} CloudTrail file${unreadable.length === 1 ? '' : 's'} could not be read to the end (the records before the problem are counted):\n${lines.join('\n')}\n`,
  );
}

import type { Command } from 'commander';
import { Option } from 'commander';
import { loadSnapshot, type InputSpec } from '../ingest/load-inputs.js';
import type { Snapshot } from '../model/index.js';
import { startProgress } from './progress.js';
import { UsageError, collectValues, parseMebibytes } from './usage.js';

/** The input options every command that reads AWS data shares (DESIGN.md §3.1). */
export interface InputOptions {
  authz: string[];
  credentialReport: string[];
  resources: string[];
  org: string[];
  snapshot: string[];
  maxInputSize?: string;
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
      'a snapshot folder written by `iamsight collect` (repeatable)',
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

/** True when at least one input was named. */
export function hasInputs(options: InputOptions): boolean {
  return Object.values(inputSpecOf(options)).some((files: readonly string[]) => files.length > 0);
}

/** Reads the inputs into a snapshot, with a progress line; a usage error when none is named. */
export async function readInputs(options: InputOptions, command: string): Promise<Snapshot> {
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
    return await loadSnapshot(inputSpecOf(options), {
      ...(maxBytes ? { maxBytes } : {}),
      onProgress: ({ done, total, file }) =>
        progress.update(`reading ${file} (${done + 1}/${total})`),
    });
  } finally {
    progress.done();
  }
}

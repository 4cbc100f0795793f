/**
 * `--usage FILE`: CloudTrail usage as a Usage document (`iamsight.usage/v1`, as `iamsight usage
 * --format json` prints it), for `scan`, `insights` and `suggest-policy`.
 */
import type { Command } from 'commander';
import { importUsageDocument } from '../ingest/usage-document.js';
import type { Usage } from '../model/index.js';
import { UsageError, parseMebibytes } from './usage.js';

export interface UsageOptions {
  usage?: string;
  maxInputSize?: string;
}

/** Adds `--usage FILE` to a command. */
export function withUsageOption(command: Command): Command {
  return command.option(
    '--usage <file>',
    'CloudTrail usage: a Usage JSON document as `iamsight usage --format json` prints it',
  );
}

/**
 * The CloudTrail usage of a command: `--usage FILE` or what `--cloudtrail PATH` read (`fromLogs`);
 * null when neither was given. Both at once is a usage error: one source of truth per run.
 */
export async function usageOf(
  options: UsageOptions,
  fromLogs: Usage | null,
): Promise<Usage | null> {
  if (options.usage && fromLogs)
    throw new UsageError('give --cloudtrail (log files) or --usage (a Usage document), not both');
  return fromLogs ?? (await readUsage(options));
}

/** Reads `--usage` (null when not given); a bad document is an InputError (exit 2). */
export async function readUsage(options: UsageOptions): Promise<Usage | null> {
  if (!options.usage) return null;
  const maxBytes = options.maxInputSize
    ? parseMebibytes(options.maxInputSize, '--max-input-size')
    : undefined;
  return importUsageDocument(options.usage, maxBytes ? { maxBytes } : {});
}

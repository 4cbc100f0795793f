/**
 * `--usage FILE`: CloudTrail usage as a Usage document (`iamsight.usage/v1`, as `iamsight usage
 * --format json` prints it), for `scan`, `insights` and `suggest-policy`.
 */
import type { Command } from 'commander';
import { importUsageDocument } from '../ingest/usage-document.js';
import type { Usage } from '../model/index.js';
import { parseMebibytes } from './usage.js';

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

/** Reads `--usage` (null when not given); a bad document is an InputError (exit 2). */
export async function readUsage(options: UsageOptions): Promise<Usage | null> {
  if (!options.usage) return null;
  const maxBytes = options.maxInputSize
    ? parseMebibytes(options.maxInputSize, '--max-input-size')
    : undefined;
  return importUsageDocument(options.usage, maxBytes ? { maxBytes } : {});
}

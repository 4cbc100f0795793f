/**
 * `npm run generate -- --principals N [--accounts N] [--seed N] [--out DIR] [--cloudtrail-events N]
 * [--cloudtrail-days N]`: writes a synthetic organization as a snapshot folder and says what it wrote.
 */
import { randomBytes } from 'node:crypto';
import { readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { generateOrganization, writeSnapshotFolder } from '../generate/index.js';
import { startProgress } from './progress.js';

const USAGE = `usage: iamsight generate --principals N [options]   (or: npm run generate -- ...)

  --principals N         total users + groups + roles across all accounts (required)
  --accounts N           number of accounts, at least 3 (default: principals / 250, 3 to 100)
  --seed N               random seed (default 1); the same options give byte-identical output
  --out DIR              output folder (default ./generated/org-<principals>-<seed>)
  --cloudtrail-events N  CloudTrail records in total (default 12 per principal; 0 for none)
  --cloudtrail-days N    days of CloudTrail before the snapshot time (default 30)
  --help                 show this text`;

/** Where the CLI writes text (injectable for tests). */
export interface GenerateIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

class UsageError extends Error {}

function integerFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value))
    throw new UsageError(`--${name} expects a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(2)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024).toFixed(1)} KiB`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    // Not there: nothing to replace.
    return false;
  }
}

/** True when `dir` is missing, empty, or a folder this command wrote before (safe to replace). */
async function isReplaceable(dir: string): Promise<boolean> {
  if (!(await exists(dir))) return true;
  const entries = await readdir(dir);
  if (entries.length === 0) return true;
  try {
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as {
      producer?: unknown;
    };
    return (
      typeof manifest.producer === 'string' && manifest.producer.startsWith('iamsight generate')
    );
  } catch {
    // No readable manifest: not ours, so not ours to delete.
    return false;
  }
}

/** Runs the generate command; returns the process exit code (0 ok, 1 failure, 2 usage). */
export async function runGenerate(argv: readonly string[], io: GenerateIo): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        principals: { type: 'string' },
        accounts: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        'cloudtrail-events': { type: 'string' },
        'cloudtrail-days': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    io.err(`iamsight generate: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }

  let options: Parameters<typeof generateOrganization>[0];
  let out: string;
  try {
    const principals = integerFlag('principals', values.principals as string | undefined);
    if (principals === undefined) throw new UsageError('--principals is required');
    const seed = integerFlag('seed', values.seed as string | undefined) ?? 1;
    options = {
      principals,
      seed,
      accounts: integerFlag('accounts', values.accounts as string | undefined),
      cloudTrailEvents: integerFlag(
        'cloudtrail-events',
        values['cloudtrail-events'] as string | undefined,
      ),
      cloudTrailDays: integerFlag(
        'cloudtrail-days',
        values['cloudtrail-days'] as string | undefined,
      ),
    };
    out = resolve(
      (values.out as string | undefined) ?? join('generated', `org-${principals}-${seed}`),
    );
    if (!(await isReplaceable(out)))
      throw new UsageError(
        `${out} exists and was not written by \`npm run generate\`; choose another --out`,
      );
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`iamsight generate: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }

  const started = performance.now();
  let org;
  try {
    org = generateOrganization(options);
  } catch (error) {
    if (error instanceof RangeError) {
      io.err(`iamsight generate: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  // Write beside the target, then swap it in: a failed run never leaves a half-written folder.
  const partial = join(dirname(out), `.${basename(out)}.${randomBytes(4).toString('hex')}.partial`);
  let summary;
  const progress = startProgress();
  try {
    summary = await writeSnapshotFolder(org, partial, {
      onAccount: (done, total) => progress.update(`writing account ${done + 1} of ${total}`),
    });
    await rm(out, { recursive: true, force: true });
    await rename(partial, out);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    io.err(`iamsight generate: could not write ${out}: ${(error as Error).message}\n`);
    return 1;
  } finally {
    progress.done();
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const resolved = org.options;
  io.out(
    [
      `iamsight generate: seed ${resolved.seed}, ${formatCount(resolved.principals)} principals in ${resolved.accounts} accounts`,
      `wrote ${out}`,
      `  ${formatCount(summary.files)} files, ${formatBytes(summary.bytes)}, in ${seconds} s`,
      `  principals  ${formatCount(summary.principals)} (${formatCount(summary.users)} users, ${formatCount(summary.groups)} groups, ${formatCount(summary.roles)} roles)`,
      `  policies    ${formatCount(summary.policies)} customer managed`,
      `  resources   ${formatCount(summary.configItems)} AWS Config items`,
      `  cloudtrail  ${formatCount(summary.cloudTrailRecords)} records in ${formatCount(summary.cloudTrailFiles)} files over ${resolved.cloudTrailDays} days`,
      `  planted     ${formatCount(summary.planted)} risks and escalation setups`,
      '',
    ].join('\n'),
  );
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await runGenerate(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  });
}

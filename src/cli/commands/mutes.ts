/**
 * `iamsight mute`, `iamsight unmute` and `iamsight mutes`: accepted risks kept in the store. A mute
 * applies at once to `iamsight findings` and, at every later scan, like a mute of the
 * configuration file (muted findings leave the health score); the scan's events record it.
 */
import { Command, Option } from 'commander';
import { userInfo } from 'node:os';
import { DETECTIONS } from '../../detections/registry.js';
import type { NewMute, StoredMute } from '../../store/index.js';
import { nowIso, withStore, withStoreOption } from '../store-options.js';
import { renderTable, sanitizeForTerminal } from '../table.js';
import { UsageError, parseDate } from '../usage.js';

const clean = sanitizeForTerminal;
const FINGERPRINT = /^[0-9a-f]{32}$/;

/** Who runs the command: `--by`, else the login name. */
function whoRuns(by: string | undefined): string {
  if (by !== undefined) {
    if (by.trim() === '') throw new UsageError('--by: expected a name');
    return by;
  }
  try {
    return process.env.USER || userInfo().username;
  } catch {
    // No user database entry (some containers): say so rather than fail.
    return 'unknown';
  }
}

function describeMute(mute: StoredMute): string {
  const parts = [
    mute.fingerprint ? `finding ${mute.fingerprint}` : null,
    mute.rule ? `rule ${clean(mute.rule, 80)}` : null,
    mute.arn ? `ARN ${clean(mute.arn, 120)}` : null,
    mute.account ? `account ${mute.account}` : null,
  ].filter((p): p is string => p !== null);
  return parts.join(', ');
}

interface MuteOptions {
  rule?: string;
  arn?: string;
  account?: string;
  reason: string;
  until?: string;
  by?: string;
  store?: string;
}

function newMuteOf(fingerprint: string | undefined, options: MuteOptions, now: string): NewMute {
  if (fingerprint === undefined && !options.rule && !options.arn && !options.account)
    throw new UsageError('mute: name a FINGERPRINT, or --rule, --arn and/or --account');
  if (fingerprint !== undefined && !FINGERPRINT.test(fingerprint))
    throw new UsageError(
      `mute: expected a finding fingerprint (32 hexadecimal digits, iamsight findings shows them), got ${JSON.stringify(clean(fingerprint, 60))}`,
    );
  if (
    options.rule !== undefined &&
    !DETECTIONS.some((d) => d.id === options.rule || d.anchor === options.rule)
  )
    throw new UsageError(
      `--rule: ${JSON.stringify(clean(options.rule, 80))} is not a detection id or catalog id (docs/detections.md)`,
    );
  if (options.account !== undefined && !/^\d{12}$/.test(options.account))
    throw new UsageError(
      `--account: expected a 12-digit account id, got ${JSON.stringify(options.account)}`,
    );
  if (options.reason.trim() === '') throw new UsageError('--reason: say why the risk is accepted');
  const until = options.until !== undefined ? parseDate(options.until, '--until') : undefined;
  if (until !== undefined && until <= now)
    throw new UsageError(`--until: ${options.until} is in the past; a mute needs a future expiry`);
  return {
    ...(fingerprint !== undefined ? { fingerprint } : {}),
    ...(options.rule !== undefined ? { rule: options.rule } : {}),
    ...(options.arn !== undefined ? { arn: options.arn } : {}),
    ...(options.account !== undefined ? { account: options.account } : {}),
    reason: options.reason,
    by: whoRuns(options.by),
    ...(until !== undefined ? { until } : {}),
  };
}

async function runMute(fingerprint: string | undefined, options: MuteOptions): Promise<void> {
  const now = nowIso();
  const mute = newMuteOf(fingerprint, options, now);
  await withStore(options.store, async (store) => {
    const { mute: stored, applied } = await store.addMute(mute, now);
    process.stdout.write(
      `Mute #${stored.id}: ${describeMute(stored)}; reason "${clean(stored.reason, 200)}", ` +
        `by ${clean(stored.by, 60)}${stored.until ? `, until ${stored.until}` : ''}.\n` +
        `It applies now to ${applied} open finding${applied === 1 ? '' : 's'}, and to every ` +
        `later scan (which records them as muted). Undo: iamsight unmute ${stored.id}\n`,
    );
  });
}

/** `iamsight mute`. */
export function muteCommand(): Command {
  return withStoreOption(
    new Command('mute')
      .description(
        'Accept a risk: mute one finding, or the findings of a rule, ARN pattern or account',
      )
      .argument('[fingerprint]', 'one finding (iamsight findings shows fingerprints)'),
  )
    .option('--rule <id>', 'a detection id or catalog id (TRU-01)')
    .option('--arn <pattern>', 'resource ARN, * and ? as wildcards')
    .option('--account <id>', "the resource's account")
    .requiredOption('--reason <text>', 'why the risk is accepted (required)')
    .option('--until <date>', 'ISO date or date-time when the mute ends')
    .option('--by <name>', 'who accepts the risk (default: your login name)')
    .addHelpText(
      'after',
      `
Examples:
  iamsight mute 3f2a9c0d4e5b6a7f8091a2b3c4d5e6f7 --reason "accepted, ticket SEC-123"
  iamsight mute --rule TRU-01 --arn "arn:aws:iam::*:role/public-*" --reason "public demo roles" --until 2027-06-30`,
    )
    .action(async (fingerprint: string | undefined, options: MuteOptions) =>
      runMute(fingerprint, options),
    );
}

interface UnmuteOptions {
  by?: string;
  store?: string;
}

async function runUnmute(target: string, options: UnmuteOptions): Promise<void> {
  const now = nowIso();
  const which = /^\d+$/.test(target)
    ? { id: Number(target) }
    : FINGERPRINT.test(target)
      ? { fingerprint: target }
      : null;
  if (!which)
    throw new UsageError(
      `unmute: expected a mute id (iamsight mutes lists them) or a finding fingerprint, got ${JSON.stringify(clean(target, 60))}`,
    );
  const by = whoRuns(options.by);
  await withStore(options.store, async (store) => {
    const removed = await store.removeMutes(which, by, now);
    if (removed.length === 0)
      throw new UsageError(
        `unmute: no stored mute ${'id' in which ? `#${which.id}` : `of finding ${which.fingerprint}`} is in force in ${store.location} (iamsight mutes lists them)`,
      );
    for (const mute of removed)
      process.stdout.write(`Removed mute #${mute.id}: ${describeMute(mute)}.\n`);
    process.stdout.write(
      'The findings they muted are open again now; the next scan records them as unmuted.\n',
    );
  });
}

/** `iamsight unmute`. */
export function unmuteCommand(): Command {
  return withStoreOption(
    new Command('unmute')
      .description('Remove a stored mute (by its id), or every stored mute of one finding')
      .argument('<id|fingerprint>', 'a mute id, or a finding fingerprint'),
  )
    .option('--by <name>', 'who removes it (default: your login name)')
    .action(async (target: string, options: UnmuteOptions) => runUnmute(target, options));
}

interface MutesOptions {
  all: boolean;
  format: 'table' | 'json';
  store?: string;
}

async function runMutes(options: MutesOptions): Promise<void> {
  const now = nowIso();
  await withStore(options.store, async (store) => {
    const mutes = (await store.listMutes()).filter((m) => options.all || m.removedAt === null);
    if (options.format === 'json') {
      process.stdout.write(JSON.stringify({ schema: 'iamsight.mutes/v1', mutes }, null, 2) + '\n');
      return;
    }
    if (mutes.length === 0) {
      process.stdout.write(`No stored mute in ${store.location}.\n`);
      return;
    }
    process.stdout.write(
      renderTable(
        ['Id', 'State', 'Mutes', 'Reason', 'By', 'Created', 'Until'],
        mutes.map((m) => [
          m.id,
          m.removedAt
            ? `removed by ${clean(m.removedBy ?? '', 30)}`
            : m.until && m.until <= now
              ? 'expired'
              : 'in force',
          describeMute(m),
          clean(m.reason, 80),
          clean(m.by, 30),
          m.createdAt,
          m.until ?? '',
        ]),
      ) + '\n',
    );
  });
}

/** `iamsight mutes`. */
export function mutesCommand(): Command {
  return withStoreOption(
    new Command('mutes').description('List the stored mutes (removed ones with --all)'),
  )
    .option('--all', 'include removed mutes', false)
    .addOption(
      new Option('--format <format>', 'table or json (iamsight.mutes/v1)')
        .choices(['table', 'json'])
        .default('table'),
    )
    .action(async (options: MutesOptions) => runMutes(options));
}

/**
 * `iamsight.config.yaml` (or `.json`): mutes and trusted accounts. Parsed once with a schema; bad
 * content is an InputError naming the file, the path and what was expected. Reading the file is
 * the CLI's job (src/cli/config-file.ts): this module stays pure.
 *
 * ```yaml
 * trustedAccounts:            # vendors and partners, not "external"
 *   - "464622532012"          # e.g. Datadog's integration account
 * mutes:
 *   - rule: iam-role-trust-any-principal   # detection id or anchors id (TRU-01)
 *     arn: "arn:aws:iam::*:role/public-*"   # glob: * and ?
 *     account: "100000000001"
 *     reason: "public demo role, reviewed by security"
 *     until: 2027-01-01
 *   - fingerprint: 3f2a…                    # one finding
 *     reason: "accepted risk, ticket SEC-123"
 * usage:                      # the unused-access detections (UNU-*)
 *   trackingPeriodDays: 90    # unused = no use in this many days (1–365)
 *   permissionGapPercent: 40  # UNU-04: more than this share of granted actions unused
 * ```
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { InputError } from '../model/index.js';
import type { TrackingOptions } from '../usage/index.js';

const accountId = z.string().regex(/^\d{12}$/, 'a 12-digit account id');

const muteSchema = z
  .object({
    rule: z.string().min(1).optional(),
    arn: z.string().min(1).optional(),
    account: accountId.optional(),
    fingerprint: z.string().min(1).optional(),
    reason: z.string().min(1, 'a reason (why the risk is accepted)'),
    by: z.string().optional(),
    until: z.union([z.iso.date(), z.iso.datetime()]).optional(),
  })
  .strict()
  .refine((m) => m.rule || m.arn || m.account || m.fingerprint, {
    message: 'a mute needs at least one of rule, arn, account, fingerprint',
  });

const usageSchema = z
  .object({
    trackingPeriodDays: z
      .number()
      .int('a whole number of days')
      .min(1, 'a tracking period of 1 to 365 days')
      .max(365, 'a tracking period of 1 to 365 days')
      .default(90),
    permissionGapPercent: z
      .number()
      .gt(0, 'a percentage above 0 and below 100')
      .lt(100, 'a percentage above 0 and below 100')
      .default(40),
  })
  .strict();

export const configSchema = z
  .object({
    trustedAccounts: z.array(accountId).default([]),
    mutes: z.array(muteSchema).default([]),
    usage: usageSchema.default({ trackingPeriodDays: 90, permissionGapPercent: 40 }),
  })
  .strict();

export type ScanConfig = z.infer<typeof configSchema>;
export type MuteRule = ScanConfig['mutes'][number];

export const EMPTY_CONFIG: ScanConfig = {
  trustedAccounts: [],
  mutes: [],
  usage: { trackingPeriodDays: 90, permissionGapPercent: 40 },
};

/** The tracking options of a configuration (src/usage). */
export function trackingOf(config: ScanConfig): TrackingOptions {
  return {
    periodDays: config.usage.trackingPeriodDays,
    permissionGapRatio: config.usage.permissionGapPercent / 100,
  };
}

/** Parses configuration text (YAML or JSON). */
export function parseConfig(text: string, file: string): ScanConfig {
  let raw: unknown;
  try {
    raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new InputError(
      file,
      '$',
      `valid ${file.endsWith('.json') ? 'JSON' : 'YAML'} (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const result = configSchema.safeParse(raw ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = `$${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`;
    throw new InputError(file, path, issue.message);
  }
  return result.data;
}

/** Compiled globs: a scan matches every finding against every mute. */
const globs = new Map<string, RegExp>();

function glob(pattern: string): RegExp {
  let compiled = globs.get(pattern);
  if (!compiled) {
    compiled = compileGlob(pattern);
    if (globs.size > 10_000) globs.clear(); // bounded: patterns come from configuration
    globs.set(pattern, compiled);
  }
  return compiled;
}

function compileGlob(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/** The mute rule that applies to a finding at `asOf`, if any (expired mutes do not apply). */
export function muteFor(
  mutes: readonly MuteRule[],
  finding: {
    ruleId: string;
    anchor: string;
    fingerprint: string;
    resource: { arn: string; accountId: string };
  },
  asOf: string,
): MuteRule | null {
  for (const mute of mutes) {
    if (mute.until && new Date(mute.until).getTime() < new Date(asOf).getTime()) continue;
    if (mute.rule && mute.rule !== finding.ruleId && mute.rule !== finding.anchor) continue;
    if (mute.fingerprint && mute.fingerprint !== finding.fingerprint) continue;
    if (mute.account && mute.account !== finding.resource.accountId) continue;
    if (mute.arn && !glob(mute.arn).test(finding.resource.arn)) continue;
    return mute;
  }
  return null;
}

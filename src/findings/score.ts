/**
 * The identity health score as Datadog defines it (DESIGN.md §3.4, anchors.md §C.1): over every
 * (resource, rule) pair the rule applies to, Σ weight × passed ÷ Σ weight, weights critical 5,
 * high 3, medium 2, low 1, info 0; muted pairs leave both sums; one decimal. A pair is weighted by
 * the rule's severity (a finding's own severity, when a rule grades its cases, does not change the
 * denominator). Rules that failed to run, or whose required data is missing for the resource's
 * account, are not counted.
 */
import type { DetectionRun } from '../detections/run.js';
import type { DetectionMetadata, Requirement, Severity } from '../detections/types.js';
import type { Gap } from '../model/index.js';
import type { Finding } from './findings.js';

export const WEIGHTS: Readonly<Record<Severity, number>> = {
  critical: 5,
  high: 3,
  medium: 2,
  low: 1,
  info: 0,
};

export interface ScorePart {
  readonly value: number;
  readonly earned: number;
  readonly possible: number;
}

export interface HealthScore extends ScorePart {
  readonly byAccount: Readonly<Record<string, ScorePart>>;
  readonly byResource: Readonly<Record<string, ScorePart>>;
}

/** Gap sources that mean a requirement is missing for an account (null account: everywhere). */
const REQUIREMENT_GAPS: Record<Requirement, RegExp> = {
  'credential-report': /^iam:credential-report/,
  resources: /^(config:|analysis:existing-resources)/,
  organization: /^org/,
  iam: /^iam:authorization-details/,
  cloudtrail: /^cloudtrail/,
  'service-last-accessed': /^iam:service-last-accessed/,
};

/** True when a gap says `requirement` is missing for `accountId` (or everywhere). */
export function isRequirementMissing(
  requirement: Requirement,
  accountId: string,
  gaps: readonly Gap[],
): boolean {
  const pattern = REQUIREMENT_GAPS[requirement];
  return gaps.some(
    (g) => pattern.test(g.source) && (g.accountId === null || g.accountId === accountId),
  );
}

/**
 * True when the data a rule needs is missing for `accountId`: one of its `requires`, or every one
 * of its `requiresOneOf`.
 */
export function isRuleDataMissing(
  rule: Pick<DetectionMetadata, 'requires' | 'requiresOneOf'>,
  accountId: string,
  gaps: readonly Gap[],
): boolean {
  if (rule.requires.some((r) => isRequirementMissing(r, accountId, gaps))) return true;
  const anyOf = rule.requiresOneOf ?? [];
  return anyOf.length > 0 && anyOf.every((r) => isRequirementMissing(r, accountId, gaps));
}

/** A score from its sums: 100 when nothing was scored, else one decimal. */
export function scorePart(earned: number, possible: number): ScorePart {
  const value = possible === 0 ? 100 : Math.round((1000 * earned) / possible) / 10;
  return { value, earned, possible };
}

const part = scorePart;

/**
 * The weight a (rule, resource) pair carries in the score: the rule's severity weight, or null
 * when the pair is not scored because data the rule requires is missing for the account.
 */
export function pairWeight(
  rule: Pick<DetectionMetadata, 'severity' | 'requires' | 'requiresOneOf'>,
  accountId: string,
  gaps: readonly Gap[],
): number | null {
  if (isRuleDataMissing(rule, accountId, gaps)) return null;
  return WEIGHTS[rule.severity];
}

/** Computes the score of a scan. */
export function computeScore(
  runs: readonly DetectionRun[],
  findings: readonly Finding[],
  gaps: readonly Gap[],
): HealthScore {
  const failing = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${f.ruleId}\n${f.resource.arn}`;
    failing.set(key, [...(failing.get(key) ?? []), f]);
  }
  let earned = 0;
  let possible = 0;
  const accounts = new Map<string, [number, number]>();
  const resources = new Map<string, [number, number]>();
  const add = (map: Map<string, [number, number]>, key: string, e: number, p: number): void => {
    const sums = map.get(key) ?? [0, 0];
    sums[0] += e;
    sums[1] += p;
    map.set(key, sums);
  };
  for (const run of runs) {
    if (run.error) continue;
    const pairs = new Map(run.checked.map((r) => [r.arn, r]));
    for (const result of run.results) pairs.set(result.resource.arn, result.resource);
    for (const resource of pairs.values()) {
      const weight = pairWeight(run.detection, resource.accountId, gaps);
      if (weight === null) continue;
      const found = failing.get(`${run.detection.id}\n${resource.arn}`) ?? [];
      if (found.length > 0 && found.every((f) => f.status === 'muted')) continue;
      const passed = found.length === 0 ? weight : 0;
      earned += passed;
      possible += weight;
      add(accounts, resource.accountId, passed, weight);
      add(resources, resource.arn, passed, weight);
    }
  }
  const fold = (map: Map<string, [number, number]>) =>
    Object.fromEntries(
      [...map].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, [e, p]]) => [k, part(e, p)]),
    );
  return { ...part(earned, possible), byAccount: fold(accounts), byResource: fold(resources) };
}

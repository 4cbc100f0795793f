/**
 * Expansion of IAM `Action` / `NotAction` patterns into action sets.
 *
 * AWS compares a pattern with the whole `service:action` string, case-insensitively, where `*`
 * matches any run of characters (including none) and `?` exactly one. Names hold exactly one colon,
 * so a pattern with one colon matches a name exactly when its service part matches the service key
 * and its action part matches the action name; that split lets the common shapes (`svc:*`,
 * `svc:Prefix*`, `svc:Action`) resolve to contiguous index ranges or a map lookup, and the rest
 * run a compiled pattern over one service's actions only.
 */

import type { ActionIndex } from './action-index.js';
import { ActionSet, ActionSetBuilder } from './action-set.js';

/**
 * Why AWS would reject a pattern although it can still be matched: IAM refuses policies whose
 * actions lack a `service:` prefix, have a wildcard in the service prefix, or hold several colons.
 */
export type ActionPatternProblem =
  'empty' | 'missing-service-prefix' | 'wildcard-in-service' | 'multiple-colons';

/** The actions a pattern matches, and what the caller may want to report about it. */
export interface ActionPatternExpansion {
  /** The matched actions. */
  readonly set: ActionSet;
  /** True when the pattern matches no action of the catalog. */
  readonly matchedNothing: boolean;
  /** The lower-cased service prefix when it has no wildcard and names no known service. */
  readonly unknownService?: string;
  /** The lower-cased name when the pattern has no wildcard and its (known) service lacks it. */
  readonly unknownAction?: string;
  /** Set when AWS would reject the pattern in a policy. */
  readonly problem?: ActionPatternProblem;
}

/** Options of {@link ActionPatternExpander.expandAll}. */
export interface ExpandActionPatternsOptions {
  /** Treat the patterns as a `NotAction` list: the result is every action the patterns miss. */
  readonly not?: boolean;
}

/** At most this many distinct patterns are cached; the cache is emptied when it fills up. */
export const EXPANSION_CACHE_LIMIT = 100_000;

function hasWildcard(text: string): boolean {
  return text.includes('*') || text.includes('?');
}

/**
 * Compiles a lower-cased IAM wildcard pattern into a regular expression matching whole strings,
 * or with `sticky` the rest of a string from the regex's `lastIndex`.
 */
export function compileWildcard(lowerPattern: string, sticky = false): RegExp {
  let source = sticky ? '' : '^';
  for (const char of lowerPattern) {
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else source += char.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`${source}$`, sticky ? 'sy' : 's');
}

/** Expands action patterns over one {@link ActionIndex}, caching results by lower-cased pattern. */
export class ActionPatternExpander {
  private readonly cache = new Map<string, ActionPatternExpansion>();
  private readonly everything: ActionSet;
  private readonly nothing: ActionSet;

  constructor(private readonly index: ActionIndex) {
    this.everything = ActionSet.all(index);
    this.nothing = ActionSet.empty(index);
  }

  /** The number of cached patterns. */
  get cacheSize(): number {
    return this.cache.size;
  }

  /** Expands one pattern, with diagnostics; repeated patterns (in any casing) cost one lookup. */
  expand(pattern: string): ActionPatternExpansion {
    const lower = pattern.toLowerCase();
    const cached = this.cache.get(lower);
    if (cached !== undefined) return cached;
    const expansion = Object.freeze(this.compute(lower));
    if (this.cache.size >= EXPANSION_CACHE_LIMIT) this.cache.clear();
    this.cache.set(lower, expansion);
    return expansion;
  }

  /** The union of the patterns' actions, or with `not` the actions none of them matches. */
  expandAll(patterns: readonly string[], options: ExpandActionPatternsOptions = {}): ActionSet {
    let result: ActionSet;
    if (patterns.length === 1) {
      result = this.expand(patterns[0]!).set;
    } else if (patterns.length === 0) {
      result = this.nothing;
    } else {
      const builder = new ActionSetBuilder(this.index);
      for (const pattern of patterns) builder.addSet(this.expand(pattern).set);
      result = builder.build();
    }
    return options.not === true ? result.complement() : result;
  }

  private compute(lower: string): ActionPatternExpansion {
    if (lower.length === 0) return this.result(this.nothing, { problem: 'empty' });
    if (/^\**$/.test(lower)) return this.result(this.everything, {});

    const colon = lower.indexOf(':');
    if (colon < 0) {
      // AWS rejects this in a policy; matching the whole name still gives its literal meaning.
      return this.result(this.matchAll(compileWildcard(lower)), {
        problem: 'missing-service-prefix',
      });
    }
    if (lower.indexOf(':', colon + 1) >= 0) {
      // Names hold one colon, so a second literal colon can never match.
      return this.result(this.nothing, { problem: 'multiple-colons' });
    }

    const servicePart = lower.slice(0, colon);
    const actionPart = lower.slice(colon + 1);
    if (servicePart.length === 0) {
      return this.result(this.nothing, { problem: 'missing-service-prefix' });
    }
    if (hasWildcard(servicePart)) {
      const serviceRegex = compileWildcard(servicePart);
      const builder = new ActionSetBuilder(this.index);
      this.index.serviceKeys.forEach((key, service) => {
        if (serviceRegex.test(key)) this.addServiceMatches(builder, service, actionPart);
      });
      return this.result(builder.build(), { problem: 'wildcard-in-service' });
    }

    const service = this.index.serviceNumber(servicePart);
    if (service === undefined) {
      return this.result(this.nothing, { unknownService: servicePart });
    }
    if (!hasWildcard(actionPart)) {
      const found = this.index.indexOf(lower);
      if (found === undefined) return this.result(this.nothing, { unknownAction: lower });
      return this.result(ActionSet.range(this.index, found, found + 1), {});
    }
    const builder = new ActionSetBuilder(this.index);
    this.addServiceMatches(builder, service, actionPart);
    return this.result(builder.build(), {});
  }

  /** Adds the actions of one service whose lower-cased action name matches `actionPart`. */
  private addServiceMatches(builder: ActionSetBuilder, service: number, actionPart: string): void {
    const start = this.index.serviceStart(service);
    const end = this.index.serviceEnd(service);
    const star = actionPart.indexOf('*');
    if (!hasWildcard(actionPart)) {
      const found = this.index.indexOf(`${this.index.serviceKeys[service]}:${actionPart}`);
      if (found !== undefined) builder.add(found);
    } else if (star === actionPart.length - 1 && !actionPart.includes('?')) {
      // `Prefix*` (or `*`): one contiguous range of the service's sorted names.
      const prefix = `${this.index.serviceKeys[service]}:${actionPart.slice(0, -1)}`;
      const [from, to] = this.index.prefixRange(service, prefix);
      builder.addRange(from, to);
    } else {
      // Sticky: matching starts at lastIndex, just after the `service:` prefix, without slicing.
      const regex = compileWildcard(actionPart, true);
      const prefixLength = (this.index.serviceKeys[service]?.length ?? 0) + 1;
      const names = this.index.lowerNames;
      for (let i = start; i < end; i++) {
        regex.lastIndex = prefixLength;
        if (regex.test(names[i]!)) builder.add(i);
      }
    }
  }

  private matchAll(regex: RegExp): ActionSet {
    const builder = new ActionSetBuilder(this.index);
    this.index.lowerNames.forEach((name, i) => {
      if (regex.test(name)) builder.add(i);
    });
    return builder.build();
  }

  private result(
    set: ActionSet,
    extra: Pick<ActionPatternExpansion, 'unknownService' | 'unknownAction' | 'problem'>,
  ): ActionPatternExpansion {
    return { set, matchedNothing: set.isEmpty(), ...extra };
  }
}

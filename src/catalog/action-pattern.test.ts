import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ActionSet } from './action-set.js';
import { buildCatalog } from './catalog.js';
import {
  expandActionPattern,
  expandActionPatterns,
  expandActionPatternWithDiagnostics,
  loadCatalog,
} from './default-catalog.js';
import type { CatalogSource, RawAction } from './iam-data-source.js';
import { iamDataPackageRoot } from './iam-data-source.js';

/** Every action name as the raw data files spell it, read without the catalog's code. */
function rawActionNames(): string[] {
  const dataDir = join(iamDataPackageRoot(), 'data');
  const services = JSON.parse(readFileSync(join(dataDir, 'services.json'), 'utf8')) as string[];
  return services.flatMap((service) => {
    const file = join(dataDir, 'actions', `${service}.json`);
    const actions = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { name: string }>;
    return Object.values(actions).map((action) => `${service}:${action.name}`);
  });
}

/**
 * IAM wildcard matching written independently of the code under test: the classic two-pointer
 * algorithm with backtracking to the last `*`, case-insensitive.
 */
function matchesWildcard(patternText: string, nameText: string): boolean {
  const pattern = patternText.toLowerCase();
  const name = nameText.toLowerCase();
  let p = 0;
  let n = 0;
  let starP = -1;
  let starN = 0;
  while (n < name.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === name[n])) {
      p++;
      n++;
    } else if (p < pattern.length && pattern[p] === '*') {
      starP = p++;
      starN = n;
    } else if (starP >= 0) {
      p = starP + 1;
      n = ++starN;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Patterns shaped like the ones policies hold, derived from real names, in random casing. */
function aRandomPattern(names: readonly string[], random: () => number): string {
  const pick = (): string => names[Math.floor(random() * names.length)]!;
  const name = pick();
  const [service = '', action = ''] = name.split(':');
  const cut = (text: string): string => text.slice(0, Math.floor(random() * (text.length + 1)));
  const recase = (text: string): string =>
    [...text].map((c) => (random() < 0.3 ? c.toUpperCase() : c.toLowerCase())).join('');
  let pattern: string;
  switch (Math.floor(random() * 8)) {
    case 0:
      pattern = name;
      break;
    case 1:
      pattern = `${service}:*`;
      break;
    case 2:
      pattern = `${service}:${cut(action)}*`;
      break;
    case 3:
      pattern = `${service}:*${action.slice(Math.floor(random() * action.length))}`;
      break;
    case 4:
      pattern = `${service}:${[...action].map((c) => (random() < 0.2 ? '?' : c)).join('')}`;
      break;
    case 5:
      pattern = `${service}:*${action.slice(1, 1 + Math.floor(random() * 6))}*`;
      break;
    case 6:
      pattern = `${cut(service)}*:${cut(action)}*`;
      break;
    default:
      pattern = `${service}:${cut(action)}?*`;
  }
  return recase(pattern);
}

describe('expandActionPattern', () => {
  const catalog = loadCatalog();
  const names = rawActionNames();

  it('matches known actions in any casing and returns canonical names', () => {
    expect(expandActionPattern('IAM:passrole').toActions()).toEqual(['iam:PassRole']);
    expect(expandActionPattern('s3:getobject').toActions()).toEqual(['s3:GetObject']);
    expect(expandActionPattern('STS:AssumeRole').toActions()).toEqual(['sts:AssumeRole']);
  });

  it('treats ? as exactly one character', () => {
    const matched = expandActionPattern('iam:?etRole').toActions();
    expect(matched).toContain('iam:GetRole');
    expect(matched).not.toContain('iam:GetRolePolicy');
    expect(expandActionPattern('iam:?GetRole').isEmpty()).toBe(true);
    expect(expandActionPattern('iam:GetRol??').isEmpty()).toBe(true);
  });

  it('expands a prefix wildcard to exactly the service actions with that prefix', () => {
    const set = expandActionPattern('iam:Get*');
    const expected = names.filter((name) => name.startsWith('iam:Get'));
    expect(expected.length).toBeGreaterThan(10);
    expect(set.count()).toBe(expected.length);
    expect(set.toActions().sort()).toEqual([...expected].sort());
    expect(set.has(catalog.actionIndex('iam:GetRole')!)).toBe(true);
    expect(set.has(catalog.actionIndex('iam:PassRole')!)).toBe(false);
  });

  it('expands infix wildcards within the service only', () => {
    const matched = expandActionPattern('iam:*Policy*').toActions();
    expect(matched).toContain('iam:AttachRolePolicy');
    expect(matched).toContain('iam:CreatePolicyVersion');
    expect(matched.every((name) => name.startsWith('iam:'))).toBe(true);
    expect(matched).toHaveLength(names.filter((name) => /^iam:.*policy.*$/i.test(name)).length);
  });

  it('treats * (and any run of stars) as every action', () => {
    expect(expandActionPattern('*').count()).toBe(names.length);
    expect(expandActionPattern('**').equals(catalog.allActions())).toBe(true);
    expect(expandActionPattern('*:*').equals(catalog.allActions())).toBe(true);
  });

  it('matches wildcards in the service part across services, and flags them as AWS would reject them', () => {
    const expansion = expandActionPatternWithDiagnostics('*:GetObject');
    expect(expansion.problem).toBe('wildcard-in-service');
    expect(expansion.set.toActions().sort()).toEqual(
      names.filter((name) => name.toLowerCase().endsWith(':getobject')).sort(),
    );
    expect(expansion.set.toActions()).toContain('s3:GetObject');
    const s3ish = expandActionPattern('s3*:Get*').toActions();
    expect(s3ish).toContain('s3:GetObject');
    expect(s3ish).toContain('s3-outposts:GetObject');
  });

  it('reports an unknown service, an unknown action and malformed patterns', () => {
    expect(expandActionPatternWithDiagnostics('nosuchservice:GetThing')).toMatchObject({
      matchedNothing: true,
      unknownService: 'nosuchservice',
    });
    expect(expandActionPatternWithDiagnostics('nosuchservice:*').set.isEmpty()).toBe(true);
    expect(expandActionPatternWithDiagnostics('iam:PassRoles')).toMatchObject({
      matchedNothing: true,
      unknownAction: 'iam:passroles',
    });
    expect(expandActionPatternWithDiagnostics('iam:Nothing*')).toMatchObject({
      matchedNothing: true,
    });
    expect(expandActionPatternWithDiagnostics('iam:Nothing*').unknownService).toBeUndefined();
    expect(expandActionPatternWithDiagnostics('iam:get:role')).toMatchObject({
      matchedNothing: true,
      problem: 'multiple-colons',
    });
    expect(expandActionPatternWithDiagnostics('')).toMatchObject({
      matchedNothing: true,
      problem: 'empty',
    });
    const noPrefix = expandActionPatternWithDiagnostics('iam*');
    expect(noPrefix.problem).toBe('missing-service-prefix');
    expect(noPrefix.set.toActions().sort()).toEqual(
      names.filter((name) => matchesWildcard('iam*', name)).sort(),
    );
    expect(expandActionPatternWithDiagnostics(':PassRole')).toMatchObject({
      matchedNothing: true,
      problem: 'missing-service-prefix',
    });
    expect(expandActionPatternWithDiagnostics('iam:PassRole').problem).toBeUndefined();
  });

  it('agrees with an independent wildcard matcher on random realistic patterns', () => {
    const random = seededRandom(424242);
    for (let round = 0; round < 150; round++) {
      const pattern = aRandomPattern(names, random);
      const expected = names.filter((name) => matchesWildcard(pattern, name));
      expect(expandActionPattern(pattern).toActions().sort(), pattern).toEqual(expected.sort());
    }
  });

  it('satisfies the set-algebra laws on expansions of random patterns', () => {
    const random = seededRandom(99);
    const all = catalog.allActions();
    const none = catalog.emptySet();
    for (let round = 0; round < 40; round++) {
      const a = expandActionPattern(aRandomPattern(names, random));
      const b = expandActionPattern(aRandomPattern(names, random));
      expect(a.union(a.complement()).equals(all)).toBe(true);
      expect(a.intersect(a.complement()).equals(none)).toBe(true);
      expect(a.union(b).complement().equals(a.complement().intersect(b.complement()))).toBe(true);
      expect(a.intersect(b).complement().equals(a.complement().union(b.complement()))).toBe(true);
    }
  });

  it('returns the cached result for a repeated pattern in any casing', () => {
    const first = expandActionPatternWithDiagnostics('ec2:Describe*');
    expect(expandActionPatternWithDiagnostics('EC2:describe*')).toBe(first);
    expect(expandActionPattern('ec2:DESCRIBE*')).toBe(first.set);
  });
});

describe('expandActionPatterns', () => {
  const catalog = loadCatalog();

  it('unions the patterns', () => {
    const set = expandActionPatterns(['iam:PassRole', 's3:Get*', 'iam:PassRole']);
    const expected = expandActionPattern('iam:PassRole').union(expandActionPattern('s3:Get*'));
    expect(set.equals(expected)).toBe(true);
    expect(set.has(catalog.actionIndex('s3:GetObject')!)).toBe(true);
  });

  it('complements for NotAction: excludes every matched action and keeps the rest', () => {
    const notIam = expandActionPatterns(['iam:*'], { not: true });
    const iam = expandActionPatterns(['iam:*']);
    expect(notIam.intersects(iam)).toBe(false);
    expect(iam.toActions().some((name) => notIam.has(catalog.actionIndex(name)!))).toBe(false);
    expect(notIam.has(catalog.actionIndex('s3:GetObject')!)).toBe(true);
    expect(notIam.union(iam).equals(catalog.allActions())).toBe(true);
    expect(notIam.count()).toBe(catalog.actionCount - catalog.service('iam')!.actionCount);
  });

  it('gives nothing for no patterns, and everything for NotAction of no patterns', () => {
    expect(expandActionPatterns([]).isEmpty()).toBe(true);
    expect(expandActionPatterns([], { not: true }).equals(catalog.allActions())).toBe(true);
  });
});

describe('expansion over a small catalog', () => {
  /** A catalog from literal data, for edge cases real data does not pin down. */
  function aCatalog(services: Record<string, string[]>) {
    const action = (name: string): RawAction => ({
      name,
      description: '',
      accessLevel: 'Read',
      resourceTypes: [],
      conditionKeys: [],
      dependentActions: [],
    });
    const source: CatalogSource = {
      version: 'test',
      updatedAt: '2024-01-01T00:00:00.000Z',
      serviceKeys: () => Object.keys(services),
      serviceName: () => undefined,
      actions: (service) =>
        Object.fromEntries(
          (services[service] ?? []).map((name) => [name.toLowerCase(), action(name)]),
        ),
      resourceTypes: () => ({}),
      conditionKeys: () => ({}),
      globalConditionKeys: () => [],
    };
    return buildCatalog(source);
  }

  it('keeps a service prefix from matching a longer service key', () => {
    const catalog = aCatalog({
      s3: ['GetObject'],
      's3-outposts': ['GetObject'],
      s3express: ['Get'],
    });
    expect(catalog.expandActionPattern('s3:*').toActions()).toEqual(['s3:GetObject']);
    expect(catalog.expandActionPattern('s3:Get*').toActions()).toEqual(['s3:GetObject']);
    expect(catalog.expandActionPattern('s3*:Get*').count()).toBe(3);
  });

  it('treats regex metacharacters in patterns literally', () => {
    const catalog = aCatalog({ svc: ['GetA', 'GetAB', 'Get.B'] });
    expect(catalog.expandActionPattern('svc:Get.*').toActions()).toEqual(['svc:Get.B']);
    expect(catalog.expandActionPattern('svc:Get(A|B)*').isEmpty()).toBe(true);
  });

  it('numbers actions the same whatever order the data lists them in', () => {
    const one = aCatalog({ b: ['Zed', 'alpha'], a: ['Beta', 'Alpha'] });
    const two = aCatalog({ a: ['Alpha', 'Beta'], b: ['alpha', 'Zed'] });
    const names = ActionSet.all(one.index).toActions();
    expect(names).toEqual(['a:Alpha', 'a:Beta', 'b:alpha', 'b:Zed']);
    expect(ActionSet.all(two.index).toActions()).toEqual(names);
  });
});

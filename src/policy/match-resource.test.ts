import { describe, expect, it } from 'vitest';
import {
  compileResourcePattern,
  matchAnyResource,
  hasVariableBeforeResourcePart,
  matchResource,
  matchResourceElement,
  resourcePatternShape,
} from './match-resource.js';
import { contextOf, type ContextMode, type ContextValues, type Tri } from './types.js';

const NONE = contextOf({});

function match(
  pattern: string,
  resource: string,
  context: ContextValues = NONE,
  mode: ContextMode = 'complete',
): Tri {
  return matchResource(pattern, resource, context, mode);
}

describe('matchResource: "*" and plain patterns', () => {
  it.each([
    ['*', 'arn:aws:s3:::audit-logs/2026/report.csv'],
    ['*', '*'],
    ['**', 'arn:aws:iam::100000000001:role/ci-deployer'],
    ['*', ''],
  ])('%s matches %s', (pattern, resource) => {
    expect(match(pattern, resource)).toBe('true');
  });

  it('an ARN pattern never matches the "*" of actions without resource types', () => {
    expect(match('arn:aws:s3:::*', '*')).toBe('false');
    expect(match('arn:*', '*')).toBe('false');
    expect(match('arn:*:*:*:*:*', '*')).toBe('false');
  });

  it('a pattern that is not an ARN is matched as plain text', () => {
    expect(match('audit-*', 'audit-logs')).toBe('true');
    expect(match('audit-*', 'arn:aws:s3:::audit-logs')).toBe('false');
  });
});

describe('matchResource: ARN fields', () => {
  it.each<[string, string, Tri]>([
    // Exact and case-sensitive ("In the Resource element, the IAM user name is case sensitive").
    ['arn:aws:iam::100000000001:user/Bob', 'arn:aws:iam::100000000001:user/Bob', 'true'],
    ['arn:aws:iam::100000000001:user/Bob', 'arn:aws:iam::100000000001:user/bob', 'false'],
    [
      'arn:aws:iam::100000000001:user/accounting/*',
      'arn:aws:iam::100000000001:user/accounting/alice',
      'true',
    ],
    [
      'arn:aws:iam::100000000001:user/accounting/*',
      'arn:aws:iam::100000000001:user/sales/alice',
      'false',
    ],
    // Wildcards in region and account, one field each.
    ['arn:aws:sqs:*:*:orders', 'arn:aws:sqs:eu-west-1:100000000002:orders', 'true'],
    ['arn:aws:sqs:us-east-?:*:orders', 'arn:aws:sqs:us-east-2:100000000002:orders', 'true'],
    ['arn:aws:sqs:us-east-?:*:orders', 'arn:aws:sqs:us-west-2:100000000002:orders', 'false'],
    ['arn:aws:sqs:*:100000000001:orders', 'arn:aws:sqs:us-east-1:100000000002:orders', 'false'],
    // Empty fields of S3 ARNs match `*` (zero characters) and the empty text.
    ['arn:aws:s3:*:*:audit-logs', 'arn:aws:s3:::audit-logs', 'true'],
    ['arn:*:s3:::audit-logs', 'arn:aws-cn:s3:::audit-logs', 'true'],
    // The resource part: `*` spans `/` and `:`.
    ['arn:aws:s3:::audit-logs/*', 'arn:aws:s3:::audit-logs/2026/01/report.csv', 'true'],
    ['arn:aws:s3:::audit-logs/*', 'arn:aws:s3:::audit-logs', 'false'],
    ['arn:aws:s3:::audit-logs*', 'arn:aws:s3:::audit-logs', 'true'],
    ['arn:aws:s3:::audit-logs/*/test/*', 'arn:aws:s3:::audit-logs/1/2/test/3/object.jpg', 'true'],
    ['arn:aws:s3:::audit-logs/*/test/*', 'arn:aws:s3:::audit-logs/1-test/object.jpg', 'false'],
    ['arn:aws:s3:::audit-logs/*/test/*', 'arn:aws:s3:::audit-logs//test/', 'true'],
    [
      'arn:aws:lambda:us-east-1:100000000001:function:billing*',
      'arn:aws:lambda:us-east-1:100000000001:function:billing:PROD',
      'true',
    ],
    [
      'arn:aws:lambda:us-east-1:100000000001:function:billing',
      'arn:aws:lambda:us-east-1:100000000001:function:billing:PROD',
      'false',
    ],
    [
      'arn:aws:logs:*:*:log-group:/app/*:*',
      'arn:aws:logs:us-east-1:100000000001:log-group:/app/api:log-stream:x',
      'true',
    ],
    [
      'arn:aws:logs:*:*:log-group:/app/*',
      'arn:aws:logs:us-east-1:100000000001:log-group:/app/api:*',
      'true',
    ],
    ['arn:aws:s3:::a?c', 'arn:aws:s3:::abc', 'true'],
    ['arn:aws:s3:::a?c', 'arn:aws:s3:::ac', 'false'],
    ['arn:aws:s3:::a?c', 'arn:aws:s3:::abbc', 'false'],
  ])('%s vs %s → %s', (pattern, resource, expected) => {
    expect(match(pattern, resource)).toBe(expected);
  });

  it('a wildcard in region or account never reaches across a colon', () => {
    // The resource has an extra colon; `*` in the account field may not absorb it.
    expect(
      match('arn:aws:sqs:us-east-1:*:orders', 'arn:aws:sqs:us-east-1:100000000001:x:orders'),
    ).toBe('false');
    expect(
      match(
        'arn:aws:lambda:*:function:billing',
        'arn:aws:lambda:us-east-1:100000000001:function:billing',
      ),
    ).toBe('false');
  });

  it('service wildcards match the service field only', () => {
    expect(match('arn:aws:*:*:*:*', 'arn:aws:sqs:us-east-1:100000000001:orders')).toBe('true');
    expect(match('arn:aws:s*:::*', 'arn:aws:s3:::audit-logs')).toBe('true');
    expect(match('arn:aws:s*:::*', 'arn:aws:ec2:::audit-logs')).toBe('false');
  });

  it('a resource that is not an ARN never matches an ARN pattern', () => {
    expect(match('arn:aws:s3:::*', 'arn:aws:s3')).toBe('false');
    expect(match('arn:aws:s3:::*', 's3://audit-logs')).toBe('false');
  });
});

describe('matchResource: patterns with fewer than six fields', () => {
  it('a trailing "*" covers the rest of the ARN', () => {
    expect(match('arn:aws:s3:*', 'arn:aws:s3:::audit-logs/x')).toBe('true');
    expect(
      match('arn:aws:ec2:us-east-1:*', 'arn:aws:ec2:us-east-1:100000000001:instance/i-1'),
    ).toBe('true');
    expect(
      match('arn:aws:ec2:us-east-1:*', 'arn:aws:ec2:eu-west-1:100000000001:instance/i-1'),
    ).toBe('false');
    expect(match('arn:*', 'arn:aws:iam::100000000001:role/x')).toBe('true');
  });

  it('without a trailing "*" a short pattern matches nothing', () => {
    expect(match('arn:aws:s3', 'arn:aws:s3:::audit-logs')).toBe('false');
    expect(match('arn:aws:s3:::', 'arn:aws:s3:::')).toBe('true');
    expect(match('arn:aws:iam::100000000001', 'arn:aws:iam::100000000001:root')).toBe('false');
  });
});

describe('matchResource: policy variables', () => {
  const alice = contextOf({ 'aws:username': 'alice' });
  const pattern = 'arn:aws:s3:::home/${aws:username}/*';

  it('substitutes the value', () => {
    expect(match(pattern, 'arn:aws:s3:::home/alice/notes.txt', alice)).toBe('true');
    expect(match(pattern, 'arn:aws:s3:::home/bob/notes.txt', alice)).toBe('false');
  });

  it('an absent key fails in complete mode and is unknown in discovery mode', () => {
    expect(match(pattern, 'arn:aws:s3:::home/alice/notes.txt', NONE, 'complete')).toBe('false');
    expect(match(pattern, 'arn:aws:s3:::home/alice/notes.txt', NONE, 'discovery')).toBe('unknown');
  });

  it('a definite mismatch elsewhere wins over an unknown variable', () => {
    expect(match(pattern, 'arn:aws:s3:::other/alice/notes.txt', NONE, 'discovery')).toBe('false');
    expect(match(pattern, 'arn:aws:sqs:::home/alice/x', NONE, 'discovery')).toBe('false');
  });

  it('a substituted value is literal: its "*" is not a wildcard', () => {
    const star = contextOf({ 'aws:username': '*' });
    expect(match(pattern, 'arn:aws:s3:::home/*/notes.txt', star)).toBe('true');
    expect(match(pattern, 'arn:aws:s3:::home/alice/notes.txt', star)).toBe('false');
  });

  it('a default value applies when the key is absent', () => {
    const withDefault = "arn:aws:s3:::home/${aws:username, 'guest'}/*";
    expect(match(withDefault, 'arn:aws:s3:::home/guest/x', NONE)).toBe('true');
    expect(match(withDefault, 'arn:aws:s3:::home/alice/x', alice)).toBe('true');
  });

  it('${*}, ${?} and ${$} are literal characters', () => {
    expect(match('arn:aws:s3:::a${*}b', 'arn:aws:s3:::a*b', NONE)).toBe('true');
    expect(match('arn:aws:s3:::a${*}b', 'arn:aws:s3:::axb', NONE)).toBe('false');
    expect(match('arn:aws:s3:::a${?}b', 'arn:aws:s3:::a?b', NONE)).toBe('true');
    expect(match('arn:aws:s3:::a${$}b', 'arn:aws:s3:::a$b', NONE)).toBe('true');
  });

  it('variables are not substituted before the fifth colon', () => {
    const account = contextOf({ 'aws:PrincipalAccount': '100000000001' });
    const p = 'arn:aws:sqs:us-east-1:${aws:PrincipalAccount}:orders';
    expect(match(p, 'arn:aws:sqs:us-east-1:100000000001:orders', account)).toBe('false');
    expect(match(p, 'arn:aws:sqs:us-east-1:${aws:PrincipalAccount}:orders', account)).toBe('true');
    expect(compileResourcePattern(p).usesVariables).toBe(false);
  });

  it('a value holding a colon is matched as text in the resource part', () => {
    const userid = contextOf({ 'aws:userid': 'AROAEXAMPLEID:alice' });
    const p = 'arn:aws:s3:::home/${aws:userid}/*';
    expect(match(p, 'arn:aws:s3:::home/AROAEXAMPLEID:alice/x', userid)).toBe('true');
  });

  it('a colon inside a default value does not split fields', () => {
    const p = "arn:aws:s3:::home/${aws:username, 'a:b'}/*";
    expect(match(p, 'arn:aws:s3:::home/a:b/x', NONE)).toBe('true');
  });

  it('a multivalued key cannot be substituted', () => {
    const multi = contextOf({ 'aws:username': ['alice', 'bob'] });
    expect(match(pattern, 'arn:aws:s3:::home/alice/x', multi)).toBe('false');
  });

  it('with variables off (Version 2008-10-17) "${...}" is plain text', () => {
    const options = { variables: false };
    expect(matchResource(pattern, 'arn:aws:s3:::home/alice/x', alice, 'complete', options)).toBe(
      'false',
    );
    expect(
      matchResource(pattern, 'arn:aws:s3:::home/${aws:username}/x', alice, 'complete', options),
    ).toBe('true');
  });
});

describe('matchResourceElement', () => {
  const home = 'arn:aws:s3:::home/${aws:username}/*';

  it('Resource is an OR over the patterns', () => {
    const element = { not: false, patterns: [home, 'arn:aws:s3:::public/*'] };
    expect(matchResourceElement(element, 'arn:aws:s3:::public/x', NONE, 'complete')).toBe('true');
    expect(matchResourceElement(element, 'arn:aws:s3:::home/a/x', NONE, 'complete')).toBe('false');
  });

  it('NotResource covers what no pattern lists', () => {
    const alice = contextOf({ 'aws:username': 'alice' });
    const element = { not: true, patterns: [home] };
    expect(matchResourceElement(element, 'arn:aws:s3:::home/alice/x', alice, 'complete')).toBe(
      'false',
    );
    expect(matchResourceElement(element, 'arn:aws:s3:::home/bob/x', alice, 'complete')).toBe(
      'true',
    );
  });

  it('NotResource with an absent variable makes the statement not apply', () => {
    const element = { not: true, patterns: [home] };
    expect(matchResourceElement(element, 'arn:aws:s3:::home/bob/x', NONE, 'complete')).toBe(
      'false',
    );
    expect(matchResourceElement(element, 'arn:aws:s3:::home/bob/x', NONE, 'discovery')).toBe(
      'unknown',
    );
    expect(matchResourceElement(element, 'arn:aws:s3:::other/x', NONE, 'discovery')).toBe(
      'unknown',
    );
  });
});

describe('matchAnyResource', () => {
  it('is an OR over the patterns: true wins, then unknown', () => {
    const patterns = ['arn:aws:s3:::home/${aws:username}/*', 'arn:aws:s3:::public/*'];
    expect(matchAnyResource(patterns, 'arn:aws:s3:::public/x', NONE, 'discovery')).toBe('true');
    expect(matchAnyResource(patterns, 'arn:aws:s3:::home/a/x', NONE, 'discovery')).toBe('unknown');
    expect(matchAnyResource(patterns, 'arn:aws:s3:::other/x', NONE, 'discovery')).toBe('false');
    expect(matchAnyResource([], 'arn:aws:s3:::other/x', NONE, 'discovery')).toBe('false');
  });
});

describe('compileResourcePattern', () => {
  it('caches compilations by text and options', () => {
    const a = compileResourcePattern('arn:aws:s3:::cache-test/*');
    expect(compileResourcePattern('arn:aws:s3:::cache-test/*')).toBe(a);
    expect(compileResourcePattern('arn:aws:s3:::cache-test/*', { variables: false })).not.toBe(a);
  });

  it('lists the keys of variables without a default', () => {
    expect(
      compileResourcePattern("arn:aws:s3:::${aws:username}/${aws:PrincipalTag/team, 'x'}/${*}/*")
        .variableKeys,
    ).toEqual(['aws:username']);
    expect(compileResourcePattern('arn:aws:s3:::x/*').variableKeys).toEqual([]);
  });

  it('says whether a pattern matches everything or depends on variables', () => {
    expect(compileResourcePattern('*').matchesEverything).toBe(true);
    expect(compileResourcePattern('arn:aws:s3:::x/*').matchesEverything).toBe(false);
    expect(compileResourcePattern('arn:aws:s3:::${aws:username}').usesVariables).toBe(true);
    expect(
      compileResourcePattern('arn:aws:s3:::${aws:username}', { variables: false }).usesVariables,
    ).toBe(false);
  });

  it('matches quickly without compiling per call', () => {
    const compiled = compileResourcePattern('arn:aws:s3:::audit-*/*/report-??.csv');
    const start = performance.now();
    let hits = 0;
    for (let i = 0; i < 200_000; i++) {
      if (
        compiled.match(
          `arn:aws:s3:::audit-${i % 7}/2026/report-${i % 100}.csv`,
          NONE,
          'complete',
        ) === 'true'
      )
        hits++;
    }
    expect(hits).toBeGreaterThan(0);
    // Generous bound: this is a smoke check, the benchmarks hold the real targets.
    expect(performance.now() - start).toBeLessThan(5_000);
  });
});

describe('hasVariableBeforeResourcePart', () => {
  it('finds "${" before the fifth colon only', () => {
    expect(hasVariableBeforeResourcePart('arn:aws:sqs:us-east-1:${aws:PrincipalAccount}:q')).toBe(
      true,
    );
    expect(hasVariableBeforeResourcePart('arn:aws:s3:::home/${aws:username}/*')).toBe(false);
    expect(hasVariableBeforeResourcePart('home/${aws:username}')).toBe(false);
  });
});

describe('resourcePatternShape', () => {
  it.each([
    ['*', 'everything'],
    ['arn:aws:s3:::x', 'arn'],
    ['arn:aws:s3:*', 'open-ended-arn'],
    ['arn:aws:s3', 'short-arn'],
    ['bucket/*', 'not-arn'],
  ] as const)('%s is %s', (pattern, shape) => {
    expect(resourcePatternShape(pattern)).toBe(shape);
  });
});

import { describe, expect, it } from 'vitest';
import { actionIndex, expandActionPatterns, loadCatalog } from '../catalog/index.js';
import {
  parsePolicy,
  parsePolicyText,
  policyVariablesEnabled,
  type ParsedPolicy,
} from './parse.js';
import type { Diagnostic, PolicyKind } from './types.js';

const identity = (document: unknown): ParsedPolicy =>
  parsePolicy(document, { id: 'role/ci-deployer#inline', kind: 'identity' });
const ofKind = (kind: PolicyKind, document: unknown): ParsedPolicy =>
  parsePolicy(document, { id: `test-${kind}`, kind });

const allow = (extra: Record<string, unknown>): Record<string, unknown> => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', ...extra }],
});

function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.severity}:${d.code}@${d.path}`);
}

describe('parsePolicy: document structure', () => {
  it('parses a well-formed policy without diagnostics', () => {
    const policy = identity({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Read',
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:List*'],
          Resource: 'arn:aws:s3:::audit-logs/*',
        },
        { Effect: 'Deny', NotAction: 'iam:*', NotResource: ['arn:aws:s3:::audit-logs/*'] },
      ],
    });
    expect(policy.diagnostics).toEqual([]);
    expect(policy.id).toBe('role/ci-deployer#inline');
    expect(policy.kind).toBe('identity');
    expect(policy.version).toBe('2012-10-17');
    expect(policy.variables).toBe(true);
    expect(policy.statements).toHaveLength(2);
    const [read, deny] = policy.statements;
    expect(read).toMatchObject({
      index: 0,
      sid: 'Read',
      effect: 'Allow',
      resource: { not: false, patterns: ['arn:aws:s3:::audit-logs/*'] },
      principal: null,
      conditions: [],
    });
    expect(read!.action).toMatchObject({ not: false, patterns: ['s3:GetObject', 's3:List*'] });
    expect(read!.action!.set.has(actionIndex('s3:GetObject')!)).toBe(true);
    expect(read!.action!.set.has(actionIndex('s3:ListBucket')!)).toBe(true);
    expect(read!.action!.set.has(actionIndex('s3:PutObject')!)).toBe(false);
    expect(deny).toMatchObject({ index: 1, sid: null, effect: 'Deny', resource: { not: true } });
    expect(deny!.action!.not).toBe(true);
    expect(deny!.action!.set.has(actionIndex('iam:CreateUser')!)).toBe(false);
    expect(deny!.action!.set.has(actionIndex('s3:GetObject')!)).toBe(true);
    expect(deny!.action!.set.equals(expandActionPatterns(['iam:*'], { not: true }))).toBe(true);
  });

  it('accepts a single statement object, numbered 0', () => {
    const policy = identity({
      Version: '2012-10-17',
      Statement: { Effect: 'Allow', Action: '*', Resource: '*' },
    });
    expect(policy.diagnostics).toEqual([]);
    expect(policy.statements).toHaveLength(1);
    expect(policy.statements[0]!.index).toBe(0);
    expect(policy.statements[0]!.action!.set.count()).toBe(loadCatalog().actionCount);
  });

  it('keeps statement indexes as positions in the document when some are dropped', () => {
    const policy = identity({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Resource: '*' },
        { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
      ],
    });
    expect(policy.statements.map((s) => s.index)).toEqual([1]);
    expect(codes(policy.diagnostics)).toEqual(['error:missing-action@$.Statement[0]']);
  });

  it.each([null, [], 'text', 42])(
    'a document that is not an object (%j) gives no statements',
    (doc) => {
      const policy = identity(doc);
      expect(policy.statements).toEqual([]);
      expect(codes(policy.diagnostics)).toEqual(['error:wrong-value-type@$']);
    },
  );

  it('reports a missing Statement and a Statement of the wrong type', () => {
    expect(codes(identity({ Version: '2012-10-17' }).diagnostics)).toEqual([
      'error:missing-statement@$',
    ]);
    expect(codes(identity({ Version: '2012-10-17', Statement: 'x' }).diagnostics)).toEqual([
      'error:wrong-value-type@$.Statement',
    ]);
    expect(codes(identity({ Version: '2012-10-17', Statement: [] }).diagnostics)).toEqual([
      'warning:empty-element@$.Statement',
    ]);
    expect(codes(identity({ Version: '2012-10-17', Statement: [7] }).diagnostics)).toEqual([
      'error:wrong-value-type@$.Statement[0]',
    ]);
  });

  it('warns about unknown elements and ignores them', () => {
    const policy = identity({
      Version: '2012-10-17',
      Id: 'x',
      Extra: 1,
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Conditon: {} }],
    });
    expect(codes(policy.diagnostics)).toEqual([
      'warning:unknown-element@$.Extra',
      'warning:unknown-element@$.Statement[0].Conditon',
    ]);
    expect(policy.statements).toHaveLength(1);
  });

  it('warns about duplicate Sids', () => {
    const policy = identity({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'A', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
        { Sid: 'A', Effect: 'Deny', Action: 's3:GetObject', Resource: '*' },
      ],
    });
    expect(codes(policy.diagnostics)).toEqual(['warning:duplicate-sid@$.Statement[1].Sid']);
  });
});

describe('parsePolicy: Version', () => {
  it('a missing Version warns and turns policy variables off', () => {
    const policy = identity({
      Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
    });
    expect(codes(policy.diagnostics)).toEqual(['warning:missing-version@$']);
    expect(policy.version).toBeNull();
    expect(policy.variables).toBe(false);
    expect(policyVariablesEnabled(policy)).toBe(false);
  });

  it('2008-10-17 warns, turns variables off, and flags each place a variable is plain text', () => {
    const policy = identity({
      Version: '2008-10-17',
      Statement: {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: ['arn:aws:s3:::home/${aws:username}/*', 'arn:aws:s3:::public/*'],
        Condition: { StringLike: { 's3:prefix': '${aws:username}/*' } },
      },
    });
    expect(policy.version).toBe('2008-10-17');
    expect(policy.variables).toBe(false);
    expect(codes(policy.diagnostics)).toEqual([
      'warning:old-version@$.Version',
      'warning:variables-not-substituted@$.Statement.Resource[0]',
      'warning:variables-not-substituted@$.Statement.Condition',
    ]);
  });

  it('an unknown Version is an error', () => {
    const policy = identity({ ...allow({}), Version: '2012-10-18' });
    expect(codes(policy.diagnostics)).toEqual(['error:invalid-version@$.Version']);
    expect(policy.variables).toBe(false);
  });

  it('policies built by hand have variables on', () => {
    expect(
      policyVariablesEnabled({ id: 'x', kind: 'identity', statements: [], diagnostics: [] }),
    ).toBe(true);
  });
});

describe('parsePolicy: Effect, Sid', () => {
  it('drops a statement without Effect or with another Effect', () => {
    const policy = identity({
      Version: '2012-10-17',
      Statement: [
        { Action: 's3:GetObject', Resource: '*' },
        { Effect: 'allow', Action: 's3:GetObject', Resource: '*' },
        { Effect: true, Action: 's3:GetObject', Resource: '*' },
      ],
    });
    expect(policy.statements).toEqual([]);
    expect(codes(policy.diagnostics)).toEqual([
      'error:missing-effect@$.Statement[0]',
      'error:invalid-effect@$.Statement[1].Effect',
      'error:invalid-effect@$.Statement[2].Effect',
    ]);
  });

  it('a Sid that is not a string is ignored with a warning', () => {
    const policy = identity(allow({ Sid: 3 }));
    expect(policy.statements[0]!.sid).toBeNull();
    expect(codes(policy.diagnostics)).toEqual(['warning:wrong-value-type@$.Statement[0].Sid']);
  });
});

describe('parsePolicy: Action and NotAction', () => {
  it('drops a statement with both, or with neither', () => {
    const both = identity(allow({ NotAction: 'iam:*' }));
    expect(both.statements).toEqual([]);
    expect(codes(both.diagnostics)).toEqual(['error:action-and-notaction@$.Statement[0]']);
  });

  it('drops a statement whose Action has the wrong type', () => {
    const policy = identity(allow({ Action: ['s3:GetObject', 5] }));
    expect(policy.statements).toEqual([]);
    expect(codes(policy.diagnostics)).toEqual(['error:wrong-value-type@$.Statement[0].Action[1]']);
    expect(codes(identity(allow({ Action: { s3: 'GetObject' } })).diagnostics)).toEqual([
      'error:wrong-value-type@$.Statement[0].Action',
    ]);
  });

  it('warns about unknown services and actions; the pattern expands to what it matches', () => {
    const policy = identity(
      allow({
        Action: ['s3:GetObject', 'nosuchservice:Get*', 's3:NoSuchAction', 's3:Zzz*', 'GetObject'],
      }),
    );
    expect(codes(policy.diagnostics)).toEqual([
      'warning:unknown-service@$.Statement[0].Action[1]',
      'warning:unknown-action@$.Statement[0].Action[2]',
      'warning:action-matches-nothing@$.Statement[0].Action[3]',
      'warning:invalid-action@$.Statement[0].Action[4]',
    ]);
    const set = policy.statements[0]!.action!.set;
    expect(set.has(actionIndex('s3:GetObject')!)).toBe(true);
    expect(policy.statements[0]!.action!.patterns).toHaveLength(5);
  });

  it('NotAction is the complement over every action', () => {
    const policy = identity({
      Version: '2012-10-17',
      Statement: { Effect: 'Deny', NotAction: ['s3:*', 'nosuch:Thing'], Resource: '*' },
    });
    const set = policy.statements[0]!.action!.set;
    expect(set.has(actionIndex('s3:GetObject')!)).toBe(false);
    expect(set.has(actionIndex('ec2:RunInstances')!)).toBe(true);
    expect(set.count()).toBe(loadCatalog().actionCount - expandActionPatterns(['s3:*']).count());
  });

  it('an empty Action list warns and matches nothing', () => {
    const policy = identity(allow({ Action: [] }));
    expect(codes(policy.diagnostics)).toEqual(['warning:empty-element@$.Statement[0].Action']);
    expect(policy.statements[0]!.action!.set.isEmpty()).toBe(true);
  });
});

describe('parsePolicy: Resource and NotResource', () => {
  it('drops a statement with both', () => {
    const policy = identity(allow({ NotResource: 'arn:aws:s3:::x' }));
    expect(policy.statements).toEqual([]);
    expect(codes(policy.diagnostics)).toEqual(['error:resource-and-notresource@$.Statement[0]']);
  });

  it('requires a Resource in identity policies, boundaries and session policies', () => {
    for (const kind of ['identity', 'boundary', 'session'] as const) {
      const policy = ofKind(kind, {
        Version: '2012-10-17',
        Statement: { Effect: 'Allow', Action: 's3:GetObject' },
      });
      expect(policy.statements).toEqual([]);
      expect(codes(policy.diagnostics)).toEqual(['error:missing-resource@$.Statement']);
    }
  });

  it('a resource policy, SCP or trust policy may omit Resource (null: the attached resource)', () => {
    const resource = ofKind('resource', {
      Version: '2012-10-17',
      Statement: { Effect: 'Allow', Principal: '*', Action: 'ecr:BatchGetImage' },
    });
    expect(resource.diagnostics).toEqual([]);
    expect(resource.statements[0]!.resource).toBeNull();
    const scp = ofKind('scp', {
      Version: '2012-10-17',
      Statement: { Effect: 'Allow', Action: '*' },
    });
    expect(scp.diagnostics).toEqual([]);
    expect(scp.statements[0]!.resource).toBeNull();
  });

  it('flags a Resource in a trust policy', () => {
    const policy = ofKind('trust', {
      Version: '2012-10-17',
      Statement: {
        Effect: 'Allow',
        Principal: { AWS: '100000000001' },
        Action: 'sts:AssumeRole',
        Resource: '*',
      },
    });
    expect(codes(policy.diagnostics)).toEqual([
      'error:resource-in-trust-policy@$.Statement.Resource',
    ]);
  });

  it('warns about malformed ARNs', () => {
    const policy = identity(
      allow({
        Resource: [
          '*',
          'arn:aws:s3:::audit-logs/*',
          'audit-logs/*',
          'arn:aws:s3',
          'arn:aws:ec2:us-east-1:*',
          'arn:aws:lambda:us-east-1:100000000001:function:f:PROD',
        ],
      }),
    );
    expect(codes(policy.diagnostics)).toEqual([
      'warning:malformed-arn@$.Statement[0].Resource[2]',
      'warning:malformed-arn@$.Statement[0].Resource[3]',
      'warning:malformed-arn@$.Statement[0].Resource[4]',
    ]);
    expect(policy.statements[0]!.resource!.patterns).toHaveLength(6);
  });

  it('warns about a policy variable before the fifth colon', () => {
    const policy = identity(
      allow({ Resource: 'arn:aws:sqs:us-east-1:${aws:PrincipalAccount}:orders' }),
    );
    expect(codes(policy.diagnostics)).toEqual([
      'warning:variables-not-substituted@$.Statement[0].Resource',
    ]);
  });

  it('drops a statement whose Resource has the wrong type', () => {
    const policy = identity(allow({ Resource: 12 }));
    expect(policy.statements).toEqual([]);
    expect(codes(policy.diagnostics)).toEqual(['error:wrong-value-type@$.Statement[0].Resource']);
  });
});

describe('parsePolicy: Principal and NotPrincipal', () => {
  const bucket = (statement: Record<string, unknown>): ParsedPolicy =>
    ofKind('resource', {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::audit-logs/*',
          ...statement,
        },
      ],
    });

  it('parses "*" and every principal type, with string or list values', () => {
    expect(bucket({ Principal: '*' }).statements[0]!.principal).toEqual({
      not: false,
      entries: [{ kind: '*', value: '*' }],
    });
    const policy = bucket({
      Principal: {
        AWS: ['100000000002', 'arn:aws:iam::100000000002:role/auditor', '*'],
        Service: 'cloudtrail.amazonaws.com',
        Federated: 'accounts.google.com',
        CanonicalUser: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be',
      },
    });
    expect(policy.diagnostics).toEqual([]);
    expect(policy.statements[0]!.principal!.entries).toEqual([
      { kind: 'AWS', value: '100000000002' },
      { kind: 'AWS', value: 'arn:aws:iam::100000000002:role/auditor' },
      { kind: 'AWS', value: '*' },
      { kind: 'Service', value: 'cloudtrail.amazonaws.com' },
      { kind: 'Federated', value: 'accounts.google.com' },
      {
        kind: 'CanonicalUser',
        value: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be',
      },
    ]);
  });

  it('drops a statement with both Principal and NotPrincipal', () => {
    const policy = bucket({ Principal: '*', NotPrincipal: { AWS: '100000000002' } });
    expect(policy.statements).toEqual([]);
    expect(codes(policy.diagnostics)).toEqual(['error:principal-and-notprincipal@$.Statement[0]']);
  });

  it('requires a Principal in resource-based and trust policies', () => {
    const policy = bucket({});
    expect(policy.statements).toEqual([]);
    expect(codes(policy.diagnostics)).toEqual(['error:missing-principal@$.Statement[0]']);
  });

  it('a Principal in an identity policy is an error; the statement is kept', () => {
    const policy = identity(allow({ Principal: { AWS: '100000000001' } }));
    expect(codes(policy.diagnostics)).toEqual([
      'error:principal-not-allowed@$.Statement[0].Principal',
    ]);
    expect(policy.statements).toHaveLength(1);
  });

  it('rejects wildcards inside principal ARNs and other invalid values', () => {
    const policy = bucket({
      Principal: {
        AWS: [
          'arn:aws:iam::100000000002:role/*',
          'arn:aws:iam::*:root',
          'arn:aws:iam::100000000002:group/admins',
          'AROA1234567890EXAMPLE',
          'alice',
        ],
      },
    });
    expect(codes(policy.diagnostics)).toEqual([
      'error:wildcard-in-principal@$.Statement[0].Principal.AWS[0]',
      'error:wildcard-in-principal@$.Statement[0].Principal.AWS[1]',
      'error:invalid-principal@$.Statement[0].Principal.AWS[2]',
      'warning:principal-unique-id@$.Statement[0].Principal.AWS[3]',
      'error:invalid-principal@$.Statement[0].Principal.AWS[4]',
    ]);
    expect(policy.statements[0]!.principal!.entries).toHaveLength(5);
  });

  it('reports unknown principal types and wrong value types', () => {
    const unknown = bucket({ Principal: { aws: '100000000002', AWS: '100000000003' } });
    expect(codes(unknown.diagnostics)).toEqual([
      'error:unknown-principal-type@$.Statement[0].Principal.aws',
    ]);
    expect(unknown.statements[0]!.principal!.entries).toEqual([
      { kind: 'AWS', value: '100000000003' },
    ]);
    const string = bucket({ Principal: 'arn:aws:iam::100000000002:root' });
    expect(string.statements).toEqual([]);
    expect(codes(string.diagnostics)).toEqual(['error:wrong-value-type@$.Statement[0].Principal']);
    const number = bucket({ Principal: { AWS: [100000000002] } });
    expect(number.statements).toEqual([]);
    expect(codes(number.diagnostics)).toEqual([
      'error:wrong-value-type@$.Statement[0].Principal.AWS[0]',
    ]);
  });

  it('NotPrincipal: supported with Deny in resource policies, flagged elsewhere', () => {
    const deny = ofKind('resource', {
      Version: '2012-10-17',
      Statement: {
        Effect: 'Deny',
        NotPrincipal: { AWS: '100000000001' },
        Action: 's3:*',
        Resource: '*',
      },
    });
    expect(deny.diagnostics).toEqual([]);
    expect(deny.statements[0]!.principal).toEqual({
      not: true,
      entries: [{ kind: 'AWS', value: '100000000001' }],
    });
    const withAllow = ofKind('resource', {
      Version: '2012-10-17',
      Statement: {
        Effect: 'Allow',
        NotPrincipal: { AWS: '100000000001' },
        Action: 's3:*',
        Resource: '*',
      },
    });
    expect(codes(withAllow.diagnostics)).toEqual([
      'warning:notprincipal-with-allow@$.Statement.NotPrincipal',
    ]);
    const trust = ofKind('trust', {
      Version: '2012-10-17',
      Statement: {
        Effect: 'Deny',
        NotPrincipal: { AWS: '100000000001' },
        Action: 'sts:AssumeRole',
      },
    });
    expect(codes(trust.diagnostics)).toEqual([
      'error:notprincipal-not-allowed@$.Statement.NotPrincipal',
    ]);
  });

  it('RCPs take only "Principal": "*"', () => {
    const ok = ofKind('rcp', {
      Version: '2012-10-17',
      Statement: { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' },
    });
    expect(ok.diagnostics).toEqual([]);
    const other = ofKind('rcp', {
      Version: '2012-10-17',
      Statement: {
        Effect: 'Deny',
        Principal: { AWS: '100000000001' },
        Action: 's3:*',
        Resource: '*',
      },
    });
    expect(codes(other.diagnostics)).toEqual(['error:invalid-principal@$.Statement.Principal']);
  });
});

describe('parsePolicy: Condition', () => {
  it('parses the Condition block into clauses', () => {
    const policy = identity(
      allow({ Condition: { StringEquals: { 'aws:PrincipalTag/team': 'payments' } } }),
    );
    expect(policy.diagnostics).toEqual([]);
    expect(policy.statements[0]!.conditions).toHaveLength(1);
    expect(policy.statements[0]!.conditions[0]).toMatchObject({
      operator: 'StringEquals',
      key: 'aws:PrincipalTag/team',
      values: ['payments'],
    });
  });

  it('passes the condition parser’s diagnostics through with their paths', () => {
    const policy = identity(
      allow({ Condition: { NoSuchOperator: { 'aws:SourceIp': '10.0.0.0/8' } } }),
    );
    expect(policy.diagnostics.length).toBeGreaterThan(0);
    expect(policy.diagnostics[0]!.path.startsWith('$.Statement[0].Condition')).toBe(true);
  });
});

describe('parsePolicyText', () => {
  it('parses JSON text', () => {
    const policy = parsePolicyText(JSON.stringify(allow({})), {
      id: 'file.json',
      kind: 'identity',
    });
    expect(policy.statements).toHaveLength(1);
    expect(policy.diagnostics).toEqual([]);
  });

  it('bad JSON gives a policy with no statements and one error', () => {
    const policy = parsePolicyText('{"Version": ', { id: 'file.json', kind: 'identity' });
    expect(policy.statements).toEqual([]);
    expect(codes(policy.diagnostics)).toEqual(['error:invalid-json@$']);
    expect(policy.id).toBe('file.json');
  });
});

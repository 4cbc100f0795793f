import { describe, expect, it } from 'vitest';
import {
  callerIdentityFromArn,
  describePrincipalEntry,
  matchPrincipal,
  notPrincipalMatches,
  type CallerIdentity,
} from './match-principal.js';
import type { PrincipalEntry } from './types.js';

const aws = (...values: string[]): PrincipalEntry[] =>
  values.map((value) => ({ kind: 'AWS', value }));
const service = (value: string): PrincipalEntry => ({ kind: 'Service', value });
const federated = (value: string): PrincipalEntry => ({ kind: 'Federated', value });
const STAR: PrincipalEntry = { kind: '*', value: '*' };

const alice = callerIdentityFromArn('arn:aws:iam::100000000001:user/dev-alice');
const session = callerIdentityFromArn(
  'arn:aws:sts::100000000001:assumed-role/ci-deployer/build-42',
);
const role = callerIdentityFromArn('arn:aws:iam::100000000001:role/ci-deployer');
const root = callerIdentityFromArn('arn:aws:iam::100000000001:root');
const lambda = callerIdentityFromArn('lambda.amazonaws.com');
const anonymous = callerIdentityFromArn('*');
const outsider = callerIdentityFromArn('arn:aws:iam::100000000002:user/ext-bob');

describe('callerIdentityFromArn', () => {
  it.each<[string, Partial<CallerIdentity>]>([
    ['arn:aws:iam::100000000001:user/dev-alice', { type: 'user', accountId: '100000000001' }],
    ['arn:aws:iam::100000000001:user/team/dev-alice', { type: 'user' }],
    [
      'arn:aws:iam::100000000001:role/ci-deployer',
      { type: 'role', roleArn: 'arn:aws:iam::100000000001:role/ci-deployer' },
    ],
    ['arn:aws:iam::100000000001:root', { type: 'root', accountId: '100000000001' }],
    [
      'arn:aws:sts::100000000001:assumed-role/ci-deployer/build-42',
      { type: 'assumed-role', roleArn: 'arn:aws:iam::100000000001:role/ci-deployer' },
    ],
    [
      'arn:aws-cn:sts::100000000001:assumed-role/ci-deployer/build-42',
      { type: 'assumed-role', roleArn: 'arn:aws-cn:iam::100000000001:role/ci-deployer' },
    ],
    ['arn:aws:sts::100000000001:federated-user/carol', { type: 'federated-user' }],
    ['lambda.amazonaws.com', { type: 'service', service: 'lambda.amazonaws.com', accountId: null }],
    ['*', { type: 'anonymous', accountId: null }],
    ['accounts.google.com', { type: 'web-identity', federatedProvider: 'accounts.google.com' }],
    [
      'arn:aws:iam::100000000001:saml-provider/corp-idp',
      { type: 'saml', federatedProvider: 'arn:aws:iam::100000000001:saml-provider/corp-idp' },
    ],
    ['arn:aws:iam::100000000001:group/admins', { type: 'anonymous', accountId: null }],
  ])('%s', (arn, expected) => {
    expect(callerIdentityFromArn(arn)).toMatchObject(expected);
  });

  it('takes the role ARN with its path, and the user behind a federated session', () => {
    expect(
      callerIdentityFromArn('arn:aws:sts::100000000001:assumed-role/ci-deployer/build-42', {
        roleArn: 'arn:aws:iam::100000000001:role/ci/ci-deployer',
      }).roleArn,
    ).toBe('arn:aws:iam::100000000001:role/ci/ci-deployer');
    expect(
      callerIdentityFromArn('arn:aws:sts::100000000001:federated-user/carol', {
        userArn: 'arn:aws:iam::100000000001:user/broker',
      }).userArn,
    ).toBe('arn:aws:iam::100000000001:user/broker');
  });
});

describe('matchPrincipal', () => {
  it('"*" and {"AWS": "*"} match everyone, anonymous callers and services included', () => {
    for (const caller of [alice, session, root, lambda, anonymous, outsider]) {
      expect(matchPrincipal([STAR], caller)).toMatchObject({ match: true, how: 'wildcard' });
      expect(matchPrincipal(aws('*'), caller)).toMatchObject({ match: true, how: 'wildcard' });
    }
  });

  it('an account id and the root ARN name the account, for every identity in it', () => {
    for (const entries of [aws('100000000001'), aws('arn:aws:iam::100000000001:root')]) {
      for (const caller of [alice, session, role, root]) {
        expect(matchPrincipal(entries, caller)).toMatchObject({ match: true, how: 'account' });
      }
      expect(matchPrincipal(entries, outsider).match).toBe(false);
      expect(matchPrincipal(entries, anonymous).match).toBe(false);
      expect(matchPrincipal(entries, lambda).match).toBe(false);
    }
  });

  it('the root ARN of another partition does not name the account', () => {
    expect(matchPrincipal(aws('arn:aws-cn:iam::100000000001:root'), alice).match).toBe(false);
  });

  it('a user ARN matches that user exactly, case-sensitively', () => {
    expect(matchPrincipal(aws('arn:aws:iam::100000000001:user/dev-alice'), alice)).toMatchObject({
      match: true,
      how: 'exact',
      parent: false,
    });
    expect(matchPrincipal(aws('arn:aws:iam::100000000001:user/Dev-Alice'), alice).match).toBe(
      false,
    );
    expect(matchPrincipal(aws('arn:aws:iam::100000000001:user/dev-bob'), alice).match).toBe(false);
  });

  it('a role ARN matches every session of the role, as the parent', () => {
    const entries = aws('arn:aws:iam::100000000001:role/ci-deployer');
    expect(matchPrincipal(entries, session)).toMatchObject({
      match: true,
      how: 'exact',
      parent: true,
    });
    expect(matchPrincipal(entries, role)).toMatchObject({
      match: true,
      how: 'exact',
      parent: true,
    });
    const other = callerIdentityFromArn('arn:aws:sts::100000000001:assumed-role/auditor/x');
    expect(matchPrincipal(entries, other).match).toBe(false);
  });

  it('a role ARN with a path matches the sessions of that role', () => {
    const entries = aws('arn:aws:iam::100000000001:role/ci/ci-deployer');
    expect(matchPrincipal(entries, session)).toMatchObject({ match: true, parent: true });
  });

  it('a session ARN matches only that session', () => {
    const entries = aws('arn:aws:sts::100000000001:assumed-role/ci-deployer/build-42');
    expect(matchPrincipal(entries, session)).toMatchObject({
      match: true,
      how: 'exact',
      parent: false,
    });
    const other = callerIdentityFromArn(
      'arn:aws:sts::100000000001:assumed-role/ci-deployer/build-43',
    );
    expect(matchPrincipal(entries, other).match).toBe(false);
    expect(matchPrincipal(entries, role).match).toBe(false);
  });

  it('a federated-user session matches its own ARN, and its IAM user as the parent', () => {
    const carol = callerIdentityFromArn('arn:aws:sts::100000000001:federated-user/carol', {
      userArn: 'arn:aws:iam::100000000001:user/broker',
    });
    expect(
      matchPrincipal(aws('arn:aws:sts::100000000001:federated-user/carol'), carol),
    ).toMatchObject({
      match: true,
      how: 'exact',
      parent: false,
    });
    expect(matchPrincipal(aws('arn:aws:iam::100000000001:user/broker'), carol)).toMatchObject({
      match: true,
      how: 'exact',
      parent: true,
    });
    expect(matchPrincipal(aws('arn:aws:iam::100000000001:user/carol'), carol).match).toBe(false);
  });

  it('wildcards inside a principal ARN are not supported: such entries match no one', () => {
    for (const value of [
      'arn:aws:iam::100000000001:role/*',
      'arn:aws:iam::*:root',
      'arn:aws:sts::100000000001:assumed-role/ci-deployer/*',
      'arn:aws:iam::100000000001:user/dev-*',
    ]) {
      expect(describePrincipalEntry({ kind: 'AWS', value })).toEqual({
        form: 'nothing',
        problem: 'wildcard-in-principal',
      });
      for (const caller of [alice, session, role, root]) {
        expect(matchPrincipal(aws(value), caller).match).toBe(false);
      }
    }
  });

  it('unique ids and other ARNs match no one', () => {
    expect(describePrincipalEntry({ kind: 'AWS', value: 'AROA1234567890EXAMPLE' })).toMatchObject({
      problem: 'principal-unique-id',
    });
    expect(matchPrincipal(aws('arn:aws:iam::100000000001:group/admins'), alice).match).toBe(false);
    expect(matchPrincipal(aws('arn:aws:s3:::bucket'), alice).match).toBe(false);
  });

  it('service principals match by name, ignoring case', () => {
    expect(matchPrincipal([service('lambda.amazonaws.com')], lambda)).toMatchObject({
      match: true,
      how: 'service',
    });
    expect(matchPrincipal([service('Lambda.amazonaws.com')], lambda).match).toBe(true);
    expect(matchPrincipal([service('ec2.amazonaws.com')], lambda).match).toBe(false);
    expect(matchPrincipal([service('lambda.amazonaws.com')], alice).match).toBe(false);
    expect(matchPrincipal(aws('100000000001'), lambda).match).toBe(false);
  });

  it('federated principals match the identity provider', () => {
    const google = callerIdentityFromArn('accounts.google.com');
    expect(matchPrincipal([federated('accounts.google.com')], google)).toMatchObject({
      match: true,
      how: 'federated',
    });
    const saml = callerIdentityFromArn('arn:aws:iam::100000000001:saml-provider/corp-idp');
    expect(
      matchPrincipal([federated('arn:aws:iam::100000000001:saml-provider/corp-idp')], saml).match,
    ).toBe(true);
    expect(
      matchPrincipal([federated('arn:aws:iam::100000000001:saml-provider/other')], saml).match,
    ).toBe(false);
    expect(matchPrincipal([federated('accounts.google.com')], alice).match).toBe(false);
  });

  it('canonical user ids match a caller that carries the same id', () => {
    const id = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
    const oai = callerIdentityFromArn('*', { canonicalUserId: id });
    expect(matchPrincipal([{ kind: 'CanonicalUser', value: id }], oai).match).toBe(true);
    expect(matchPrincipal([{ kind: 'CanonicalUser', value: id }], anonymous).match).toBe(false);
  });

  it('the strongest matching entry decides how', () => {
    const entries = aws(
      '100000000001',
      'arn:aws:iam::100000000001:role/ci-deployer',
      'arn:aws:sts::100000000001:assumed-role/ci-deployer/build-42',
    );
    expect(matchPrincipal(entries, session)).toMatchObject({ how: 'exact', parent: false });
    expect(matchPrincipal(entries.slice(0, 2), session)).toMatchObject({
      how: 'exact',
      parent: true,
    });
    expect(matchPrincipal(entries.slice(0, 1), session)).toMatchObject({ how: 'account' });
    expect(matchPrincipal([...entries.slice(0, 2), STAR], session)).toMatchObject({
      how: 'wildcard',
    });
  });

  it('an empty element matches no one', () => {
    expect(matchPrincipal([], alice)).toEqual({
      match: false,
      how: null,
      parent: false,
      entry: null,
    });
  });
});

describe('notPrincipalMatches', () => {
  it('applies to a caller who is not listed', () => {
    expect(notPrincipalMatches(aws('arn:aws:iam::100000000001:user/dev-bob'), alice)).toBe(true);
    expect(notPrincipalMatches(aws('100000000002'), alice)).toBe(true);
  });

  it('excludes a user only when both the user and the account are listed', () => {
    expect(notPrincipalMatches(aws('arn:aws:iam::100000000001:user/dev-alice'), alice)).toBe(true);
    expect(
      notPrincipalMatches(
        aws('arn:aws:iam::100000000001:user/dev-alice', 'arn:aws:iam::100000000001:root'),
        alice,
      ),
    ).toBe(false);
    expect(
      notPrincipalMatches(aws('arn:aws:iam::100000000001:user/dev-alice', '100000000001'), alice),
    ).toBe(false);
  });

  it('excludes a role session only when the session, the role and the account are listed', () => {
    const sessionArn = 'arn:aws:sts::100000000001:assumed-role/ci-deployer/build-42';
    const roleArn = 'arn:aws:iam::100000000001:role/ci-deployer';
    const accountArn = 'arn:aws:iam::100000000001:root';
    expect(notPrincipalMatches(aws(sessionArn, roleArn, accountArn), session)).toBe(false);
    expect(notPrincipalMatches(aws(sessionArn, roleArn), session)).toBe(true);
    expect(notPrincipalMatches(aws(sessionArn, accountArn), session)).toBe(true);
    expect(notPrincipalMatches(aws(roleArn, accountArn), session)).toBe(true);
  });

  it('excludes the root user when the account is listed', () => {
    expect(notPrincipalMatches(aws('100000000001'), root)).toBe(false);
  });

  it('excludes everyone with "*", and no one else excludes an anonymous caller', () => {
    expect(notPrincipalMatches([STAR], anonymous)).toBe(false);
    expect(notPrincipalMatches([STAR], alice)).toBe(false);
    expect(notPrincipalMatches(aws('100000000001'), anonymous)).toBe(true);
  });

  it('excludes a service listed by name', () => {
    expect(notPrincipalMatches([service('lambda.amazonaws.com')], lambda)).toBe(false);
    expect(notPrincipalMatches([service('ec2.amazonaws.com')], lambda)).toBe(true);
  });

  it('always applies to a caller with a permissions boundary when asked for Deny', () => {
    const listed = aws('arn:aws:iam::100000000001:user/dev-alice', '100000000001');
    expect(notPrincipalMatches(listed, alice, { hasPermissionsBoundary: true })).toBe(true);
    expect(notPrincipalMatches(listed, alice, { hasPermissionsBoundary: false })).toBe(false);
  });
});

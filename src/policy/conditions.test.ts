import { describe, expect, it } from 'vitest';
import {
  evaluateClause,
  evaluateConditions,
  parseConditionBlock,
  parseConditionOperator,
  validateConditionClause,
} from './conditions.js';
import { contextOf, type ConditionClause, type ContextMode, type Tri } from './types.js';

/** A clause as parseConditionBlock would build it. */
function aClause(
  operator: string,
  key: string,
  values: string | readonly string[],
): ConditionClause {
  return {
    operator,
    ...parseConditionOperator(operator),
    key,
    values: typeof values === 'string' ? [values] : [...values],
  };
}

type Row = readonly [
  name: string,
  operator: string,
  key: string,
  values: string | readonly string[],
  context: Readonly<Record<string, string | readonly string[]>>,
  expected: Tri,
];

function runTable(rows: readonly Row[], mode: ContextMode = 'complete'): void {
  it.each(rows)('%s', (_name, operator, key, values, context, expected) => {
    expect(evaluateClause(aClause(operator, key, values), contextOf(context), mode)).toBe(expected);
  });
}

const NONE = {};

describe('string operators (Condition operators: String condition operators)', () => {
  runTable([
    [
      'StringEquals matches the exact value',
      'StringEquals',
      'aws:PrincipalTag/team',
      'payments',
      { 'aws:PrincipalTag/team': 'payments' },
      'true',
    ],
    [
      'StringEquals is case-sensitive',
      'StringEquals',
      'aws:PrincipalTag/team',
      'payments',
      { 'aws:PrincipalTag/team': 'Payments' },
      'false',
    ],
    [
      'StringEquals with several values is an OR',
      'StringEquals',
      'aws:PrincipalTag/team',
      ['audit', 'payments'],
      { 'aws:PrincipalTag/team': 'payments' },
      'true',
    ],
    [
      'StringEquals with none of the values',
      'StringEquals',
      'aws:PrincipalTag/team',
      ['audit', 'security'],
      { 'aws:PrincipalTag/team': 'payments' },
      'false',
    ],
    [
      'StringEquals on an absent key is false',
      'StringEquals',
      'aws:PrincipalTag/team',
      'payments',
      NONE,
      'false',
    ],
    [
      'StringEquals takes * literally',
      'StringEquals',
      's3:prefix',
      'home/*',
      { 's3:prefix': 'home/alice' },
      'false',
    ],
    [
      'StringEquals matches a literal *',
      'StringEquals',
      's3:prefix',
      'home/*',
      { 's3:prefix': 'home/*' },
      'true',
    ],
    [
      'StringEquals matches an empty value',
      'StringEquals',
      's3:prefix',
      '',
      { 's3:prefix': '' },
      'true',
    ],
    [
      'StringNotEquals with a different value',
      'StringNotEquals',
      'aws:RequestedRegion',
      'eu-west-1',
      { 'aws:RequestedRegion': 'us-east-1' },
      'true',
    ],
    [
      'StringNotEquals with the same value',
      'StringNotEquals',
      'aws:RequestedRegion',
      'eu-west-1',
      { 'aws:RequestedRegion': 'eu-west-1' },
      'false',
    ],
    [
      'StringNotEquals with several values is a NOR (matches one)',
      'StringNotEquals',
      'aws:RequestedRegion',
      ['eu-west-1', 'us-east-1'],
      { 'aws:RequestedRegion': 'us-east-1' },
      'false',
    ],
    [
      'StringNotEquals with several values is a NOR (matches none)',
      'StringNotEquals',
      'aws:RequestedRegion',
      ['eu-west-1', 'us-east-1'],
      { 'aws:RequestedRegion': 'ap-south-1' },
      'true',
    ],
    [
      'StringNotEquals on an absent key is true',
      'StringNotEquals',
      'aws:RequestedRegion',
      'eu-west-1',
      NONE,
      'true',
    ],
    [
      'StringEqualsIgnoreCase ignores case',
      'StringEqualsIgnoreCase',
      'aws:PrincipalTag/team',
      'PAYMENTS',
      { 'aws:PrincipalTag/team': 'Payments' },
      'true',
    ],
    [
      'StringEqualsIgnoreCase still needs the same text',
      'StringEqualsIgnoreCase',
      'aws:PrincipalTag/team',
      'PAYMENT',
      { 'aws:PrincipalTag/team': 'Payments' },
      'false',
    ],
    [
      'StringNotEqualsIgnoreCase with the same text in another case',
      'StringNotEqualsIgnoreCase',
      'aws:PrincipalTag/team',
      'PAYMENTS',
      { 'aws:PrincipalTag/team': 'payments' },
      'false',
    ],
    [
      'StringNotEqualsIgnoreCase with another text',
      'StringNotEqualsIgnoreCase',
      'aws:PrincipalTag/team',
      'audit',
      { 'aws:PrincipalTag/team': 'payments' },
      'true',
    ],
    [
      'StringNotEqualsIgnoreCase on an absent key',
      'StringNotEqualsIgnoreCase',
      'aws:PrincipalTag/team',
      'audit',
      NONE,
      'true',
    ],
    [
      'StringLike * matches any run of characters',
      'StringLike',
      's3:prefix',
      'home/*',
      { 's3:prefix': 'home/alice/docs' },
      'true',
    ],
    [
      'StringLike * matches an empty run',
      'StringLike',
      's3:prefix',
      'home/*',
      { 's3:prefix': 'home/' },
      'true',
    ],
    [
      'StringLike needs the literal part',
      'StringLike',
      's3:prefix',
      'home/*',
      { 's3:prefix': 'homes/alice' },
      'false',
    ],
    [
      'StringLike ? matches exactly one character',
      'StringLike',
      'ec2:InstanceType',
      't?.micro',
      { 'ec2:InstanceType': 't3.micro' },
      'true',
    ],
    [
      'StringLike ? does not match two characters',
      'StringLike',
      'ec2:InstanceType',
      't?.micro',
      { 'ec2:InstanceType': 't3a.micro' },
      'false',
    ],
    [
      'StringLike ? does not match none',
      'StringLike',
      'ec2:InstanceType',
      't?.micro',
      { 'ec2:InstanceType': 't.micro' },
      'false',
    ],
    [
      'StringLike with several stars',
      'StringLike',
      'ec2:InstanceType',
      '*.*large',
      { 'ec2:InstanceType': 'm5.2xlarge' },
      'true',
    ],
    [
      'StringLike backtracks over stars',
      'StringLike',
      'aws:userid',
      '*:*:alice',
      { 'aws:userid': 'AROA1:x:y:alice' },
      'true',
    ],
    [
      'StringLike is case-sensitive',
      'StringLike',
      'ec2:InstanceType',
      'T*',
      { 'ec2:InstanceType': 't3.micro' },
      'false',
    ],
    [
      'StringLike without wildcards is an exact match',
      'StringLike',
      's3:prefix',
      'home/',
      { 's3:prefix': 'home/alice' },
      'false',
    ],
    [
      'StringLike "" matches only the empty string',
      'StringLike',
      's3:prefix',
      ['', 'home/'],
      { 's3:prefix': '' },
      'true',
    ],
    [
      'StringLike with several values is an OR',
      'StringLike',
      'ec2:InstanceType',
      ['t1.*', 't2.*', 'm3.*'],
      { 'ec2:InstanceType': 'm3.large' },
      'true',
    ],
    [
      'StringLike on an absent key is false',
      'StringLike',
      'ec2:InstanceType',
      't2.*',
      NONE,
      'false',
    ],
    [
      'StringNotLike with a non-matching value',
      'StringNotLike',
      'aws:PrincipalArn',
      'arn:aws:iam::*:role/admin-*',
      { 'aws:PrincipalArn': 'arn:aws:iam::100000000001:role/ci-deployer' },
      'true',
    ],
    [
      'StringNotLike with a matching value',
      'StringNotLike',
      'aws:PrincipalArn',
      'arn:aws:iam::*:role/admin-*',
      { 'aws:PrincipalArn': 'arn:aws:iam::100000000001:role/admin-ops' },
      'false',
    ],
    [
      'StringNotLike on an absent key is true',
      'StringNotLike',
      'aws:PrincipalArn',
      'arn:aws:iam::*:role/admin-*',
      NONE,
      'true',
    ],
    [
      'StringNotLike with several values is a NOR',
      'StringNotLike',
      's3:prefix',
      ['public/*', 'shared/*'],
      { 's3:prefix': 'shared/x' },
      'false',
    ],
  ]);
});

describe('numeric operators (Condition operators: Numeric condition operators)', () => {
  runTable([
    [
      'NumericEquals compares numbers, not text',
      'NumericEquals',
      's3:max-keys',
      '10',
      { 's3:max-keys': '10.0' },
      'true',
    ],
    [
      'NumericEquals with another number',
      'NumericEquals',
      's3:max-keys',
      '10',
      { 's3:max-keys': '11' },
      'false',
    ],
    [
      'NumericNotEquals with another number',
      'NumericNotEquals',
      's3:max-keys',
      '10',
      { 's3:max-keys': '11' },
      'true',
    ],
    [
      'NumericNotEquals with several values is a NOR',
      'NumericNotEquals',
      's3:max-keys',
      ['10', '11'],
      { 's3:max-keys': '11' },
      'false',
    ],
    [
      'NumericNotEquals on an absent key is true',
      'NumericNotEquals',
      's3:max-keys',
      '10',
      NONE,
      'true',
    ],
    [
      'NumericLessThan below',
      'NumericLessThan',
      's3:max-keys',
      '10',
      { 's3:max-keys': '9' },
      'true',
    ],
    [
      'NumericLessThan at the bound',
      'NumericLessThan',
      's3:max-keys',
      '10',
      { 's3:max-keys': '10' },
      'false',
    ],
    [
      'NumericLessThanEquals at the bound',
      'NumericLessThanEquals',
      's3:max-keys',
      '10',
      { 's3:max-keys': '10' },
      'true',
    ],
    [
      'NumericLessThanEquals above',
      'NumericLessThanEquals',
      's3:max-keys',
      '10',
      { 's3:max-keys': '100' },
      'false',
    ],
    [
      'NumericGreaterThan above',
      'NumericGreaterThan',
      'aws:MultiFactorAuthAge',
      '3600',
      { 'aws:MultiFactorAuthAge': '3601' },
      'true',
    ],
    [
      'NumericGreaterThan at the bound',
      'NumericGreaterThan',
      'aws:MultiFactorAuthAge',
      '3600',
      { 'aws:MultiFactorAuthAge': '3600' },
      'false',
    ],
    [
      'NumericGreaterThanEquals at the bound',
      'NumericGreaterThanEquals',
      'aws:MultiFactorAuthAge',
      '3600',
      { 'aws:MultiFactorAuthAge': '3600' },
      'true',
    ],
    [
      'numbers are compared as decimals',
      'NumericLessThan',
      'x:ratio',
      '0.5',
      { 'x:ratio': '0.25' },
      'true',
    ],
    ['negative numbers', 'NumericGreaterThan', 'x:delta', '-1', { 'x:delta': '-0.5' }, 'true'],
    [
      'a non-numeric request value matches nothing',
      'NumericLessThan',
      's3:max-keys',
      '10',
      { 's3:max-keys': 'ten' },
      'false',
    ],
    [
      'a non-numeric policy value matches nothing',
      'NumericEquals',
      's3:max-keys',
      'ten',
      { 's3:max-keys': '10' },
      'false',
    ],
    [
      'NumericLessThan on an absent key is false',
      'NumericLessThan',
      'aws:MultiFactorAuthAge',
      '3600',
      NONE,
      'false',
    ],
    [
      'several values: any may hold',
      'NumericEquals',
      's3:max-keys',
      ['5', '10'],
      { 's3:max-keys': '5' },
      'true',
    ],
  ]);
});

describe('date operators (Condition operators: Date condition operators)', () => {
  runTable([
    [
      'DateGreaterThan with ISO 8601 on both sides',
      'DateGreaterThan',
      'aws:CurrentTime',
      '2026-01-01T00:00:00Z',
      { 'aws:CurrentTime': '2026-03-15T12:00:00Z' },
      'true',
    ],
    [
      'DateGreaterThan before the date',
      'DateGreaterThan',
      'aws:CurrentTime',
      '2026-01-01T00:00:00Z',
      { 'aws:CurrentTime': '2025-12-31T23:59:59Z' },
      'false',
    ],
    [
      'DateLessThan with a date only',
      'DateLessThan',
      'aws:CurrentTime',
      '2026-07-01',
      { 'aws:CurrentTime': '2026-06-30T23:59:59Z' },
      'true',
    ],
    [
      'DateLessThan at the instant',
      'DateLessThan',
      'aws:CurrentTime',
      '2026-07-01',
      { 'aws:CurrentTime': '2026-07-01T00:00:00Z' },
      'false',
    ],
    [
      'DateLessThanEquals at the instant',
      'DateLessThanEquals',
      'aws:CurrentTime',
      '2026-07-01',
      { 'aws:CurrentTime': '2026-07-01T00:00:00Z' },
      'true',
    ],
    [
      'DateGreaterThanEquals at the instant',
      'DateGreaterThanEquals',
      'aws:CurrentTime',
      '2026-07-01T00:00:00Z',
      { 'aws:CurrentTime': '2026-07-01T00:00:00Z' },
      'true',
    ],
    [
      'epoch seconds in the policy, ISO in the request',
      'DateGreaterThan',
      'aws:CurrentTime',
      '1767225600',
      { 'aws:CurrentTime': '2026-01-01T00:00:01Z' },
      'true',
    ],
    [
      'ISO in the policy, epoch seconds in the request',
      'DateLessThan',
      'aws:EpochTime',
      '2026-01-01T00:00:00Z',
      { 'aws:EpochTime': '1767225599' },
      'true',
    ],
    [
      'DateEquals across notations',
      'DateEquals',
      'aws:EpochTime',
      '2026-01-01T00:00:00Z',
      { 'aws:EpochTime': '1767225600' },
      'true',
    ],
    [
      'DateEquals across time zones',
      'DateEquals',
      'aws:CurrentTime',
      '2026-01-01T01:00:00+01:00',
      { 'aws:CurrentTime': '2026-01-01T00:00:00Z' },
      'true',
    ],
    [
      'fractional seconds',
      'DateLessThan',
      'aws:CurrentTime',
      '2026-01-01T00:00:00.500Z',
      { 'aws:CurrentTime': '2026-01-01T00:00:00.250Z' },
      'true',
    ],
    [
      'DateNotEquals with another date',
      'DateNotEquals',
      'aws:CurrentTime',
      '2026-01-01T00:00:00Z',
      { 'aws:CurrentTime': '2026-01-02T00:00:00Z' },
      'true',
    ],
    [
      'DateNotEquals with the same instant',
      'DateNotEquals',
      'aws:CurrentTime',
      '2026-01-01T00:00:00Z',
      { 'aws:CurrentTime': '1767225600' },
      'false',
    ],
    [
      'DateGreaterThan on an absent key (aws:TokenIssueTime for long-term keys)',
      'DateGreaterThan',
      'aws:TokenIssueTime',
      '2020-01-01T00:00:01Z',
      NONE,
      'false',
    ],
    [
      'an invalid date matches nothing',
      'DateLessThan',
      'aws:CurrentTime',
      '2026-13-01T00:00:00Z',
      { 'aws:CurrentTime': '2026-01-01T00:00:00Z' },
      'false',
    ],
    [
      'a request value that is not a date matches nothing',
      'DateLessThan',
      'aws:CurrentTime',
      '2026-01-01T00:00:00Z',
      { 'aws:CurrentTime': 'yesterday' },
      'false',
    ],
    [
      'February 29 only in leap years',
      'DateEquals',
      'aws:CurrentTime',
      '2027-02-29',
      { 'aws:CurrentTime': '2027-03-01' },
      'false',
    ],
  ]);
});

describe('Bool, BinaryEquals (Boolean and Binary condition operators)', () => {
  runTable([
    ['Bool true', 'Bool', 'aws:SecureTransport', 'true', { 'aws:SecureTransport': 'true' }, 'true'],
    [
      'Bool false against true',
      'Bool',
      'aws:SecureTransport',
      'false',
      { 'aws:SecureTransport': 'true' },
      'false',
    ],
    [
      'Bool ignores the case of the words',
      'Bool',
      'aws:MultiFactorAuthPresent',
      'True',
      { 'aws:MultiFactorAuthPresent': 'TRUE' },
      'true',
    ],
    [
      'Bool on an absent key is false',
      'Bool',
      'aws:MultiFactorAuthPresent',
      'false',
      NONE,
      'false',
    ],
    [
      'Bool against a value that is not a boolean',
      'Bool',
      'aws:SecureTransport',
      'true',
      { 'aws:SecureTransport': 'yes' },
      'false',
    ],
    [
      'Bool with both values',
      'Bool',
      'aws:SecureTransport',
      ['true', 'false'],
      { 'aws:SecureTransport': 'false' },
      'true',
    ],
    [
      'BoolIfExists on an absent key',
      'BoolIfExists',
      'aws:MultiFactorAuthPresent',
      'false',
      NONE,
      'true',
    ],
    [
      'BinaryEquals with the same bytes',
      'BinaryEquals',
      'x:blob',
      'QmluYXJ5VmFsdWVJbkJhc2U2NA==',
      { 'x:blob': 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' },
      'true',
    ],
    [
      'BinaryEquals with other bytes',
      'BinaryEquals',
      'x:blob',
      'QmluYXJ5VmFsdWVJbkJhc2U2NA==',
      { 'x:blob': 'QmluYXJ5VmFsdWU=' },
      'false',
    ],
    [
      'BinaryEquals with invalid base-64',
      'BinaryEquals',
      'x:blob',
      'not base64!',
      { 'x:blob': 'not base64!' },
      'false',
    ],
    ['BinaryEquals on an absent key', 'BinaryEquals', 'x:blob', 'QQ==', NONE, 'false'],
  ]);
});

describe('IP address operators (Condition operators: IP address condition operators)', () => {
  runTable([
    [
      'IPv4 address in the range',
      'IpAddress',
      'aws:SourceIp',
      '203.0.113.0/24',
      { 'aws:SourceIp': '203.0.113.7' },
      'true',
    ],
    [
      'IPv4 address outside the range',
      'IpAddress',
      'aws:SourceIp',
      '203.0.113.0/24',
      { 'aws:SourceIp': '203.0.114.7' },
      'false',
    ],
    [
      'a bare IPv4 address is /32',
      'IpAddress',
      'aws:SourceIp',
      '203.0.113.7',
      { 'aws:SourceIp': '203.0.113.7' },
      'true',
    ],
    [
      'a bare IPv4 address is only itself',
      'IpAddress',
      'aws:SourceIp',
      '203.0.113.7',
      { 'aws:SourceIp': '203.0.113.8' },
      'false',
    ],
    [
      'host bits in the range are ignored',
      'IpAddress',
      'aws:SourceIp',
      '203.0.113.77/24',
      { 'aws:SourceIp': '203.0.113.1' },
      'true',
    ],
    [
      '/0 covers every IPv4 address',
      'IpAddress',
      'aws:SourceIp',
      '0.0.0.0/0',
      { 'aws:SourceIp': '198.51.100.1' },
      'true',
    ],
    [
      'IPv6 address in the range',
      'IpAddress',
      'aws:SourceIp',
      '2001:DB8:1234:5678::/64',
      { 'aws:SourceIp': '2001:db8:1234:5678:abcd::1' },
      'true',
    ],
    [
      'IPv6 address outside the range',
      'IpAddress',
      'aws:SourceIp',
      '2001:DB8:1234:5678::/64',
      { 'aws:SourceIp': '2001:db8:1234:5679::1' },
      'false',
    ],
    [
      'IPv6 written in full',
      'IpAddress',
      'aws:SourceIp',
      '2001:db8::/32',
      { 'aws:SourceIp': '2001:0db8:0000:0000:0000:0000:0000:0001' },
      'true',
    ],
    [
      'a bare IPv6 address is /128',
      'IpAddress',
      'aws:SourceIp',
      '2001:db8::1',
      { 'aws:SourceIp': '2001:db8::1' },
      'true',
    ],
    [
      'a bare IPv6 address is only itself',
      'IpAddress',
      'aws:SourceIp',
      '2001:db8::1',
      { 'aws:SourceIp': '2001:db8::2' },
      'false',
    ],
    [
      'an IPv4 address is not in an IPv6 range',
      'IpAddress',
      'aws:SourceIp',
      '::/0',
      { 'aws:SourceIp': '203.0.113.7' },
      'false',
    ],
    [
      'an IPv6 address is not in an IPv4 range',
      'IpAddress',
      'aws:SourceIp',
      '0.0.0.0/0',
      { 'aws:SourceIp': '2001:db8::1' },
      'false',
    ],
    [
      'an IPv4-mapped IPv6 address is an IPv6 address',
      'IpAddress',
      'aws:SourceIp',
      '::ffff:203.0.113.0/120',
      { 'aws:SourceIp': '::ffff:203.0.113.9' },
      'true',
    ],
    [
      'IPv4 and IPv6 ranges together',
      'IpAddress',
      'aws:SourceIp',
      ['203.0.113.0/24', '2001:DB8:1234:5678::/64'],
      { 'aws:SourceIp': '2001:db8:1234:5678::9' },
      'true',
    ],
    [
      'NotIpAddress outside the range',
      'NotIpAddress',
      'aws:SourceIp',
      '203.0.113.0/24',
      { 'aws:SourceIp': '198.51.100.1' },
      'true',
    ],
    [
      'NotIpAddress inside one of the ranges',
      'NotIpAddress',
      'aws:SourceIp',
      ['192.0.2.0/24', '203.0.113.0/24'],
      { 'aws:SourceIp': '203.0.113.1' },
      'false',
    ],
    [
      'NotIpAddress on an absent key (a VPC endpoint request) is true',
      'NotIpAddress',
      'aws:SourceIp',
      '203.0.113.0/24',
      NONE,
      'true',
    ],
    [
      'IpAddress on an absent key is false',
      'IpAddress',
      'aws:SourceIp',
      '203.0.113.0/24',
      NONE,
      'false',
    ],
    [
      'a request value that is not an address',
      'IpAddress',
      'aws:SourceIp',
      '0.0.0.0/0',
      { 'aws:SourceIp': 'localhost' },
      'false',
    ],
    [
      'an invalid range matches nothing',
      'IpAddress',
      'aws:SourceIp',
      '203.0.113.0/33',
      { 'aws:SourceIp': '203.0.113.1' },
      'false',
    ],
  ]);
});

describe('ARN operators (Condition operators: Amazon Resource Name (ARN) condition operators)', () => {
  const topic = 'arn:aws:sns:eu-west-1:100000000001:alerts';
  runTable([
    [
      'ArnEquals with the same ARN',
      'ArnEquals',
      'aws:SourceArn',
      topic,
      { 'aws:SourceArn': topic },
      'true',
    ],
    [
      'ArnEquals takes wildcards like ArnLike',
      'ArnEquals',
      'aws:SourceArn',
      'arn:aws:sns:*:100000000001:*',
      { 'aws:SourceArn': topic },
      'true',
    ],
    [
      'ArnLike with a wildcard region',
      'ArnLike',
      'aws:SourceArn',
      'arn:aws:sns:*:100000000001:alerts',
      { 'aws:SourceArn': topic },
      'true',
    ],
    [
      'ArnLike with another account',
      'ArnLike',
      'aws:SourceArn',
      'arn:aws:sns:*:100000000002:alerts',
      { 'aws:SourceArn': topic },
      'false',
    ],
    [
      'ArnLike is case-sensitive',
      'ArnLike',
      'aws:SourceArn',
      'arn:aws:sns:*:100000000001:Alerts',
      { 'aws:SourceArn': topic },
      'false',
    ],
    [
      'ArnLike ? in a part',
      'ArnLike',
      'aws:SourceArn',
      'arn:aws:sns:eu-west-?:100000000001:alerts',
      { 'aws:SourceArn': topic },
      'true',
    ],
    [
      'ArnLike: * does not cross a colon outside the resource part (User Guide example)',
      'ArnLike',
      'aws:SourceArn',
      'arn:aws:someservice:*:111122223333:finance/*',
      {
        'aws:SourceArn':
          'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt',
      },
      'false',
    ],
    [
      'StringLike on the same values matches (User Guide example)',
      'StringLike',
      'aws:SourceArn',
      'arn:aws:someservice:*:111122223333:finance/*',
      {
        'aws:SourceArn':
          'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt',
      },
      'true',
    ],
    [
      'the resource part keeps its colons',
      'ArnLike',
      'aws:SourceArn',
      'arn:aws:logs:*:100000000001:log-group:/app/*',
      { 'aws:SourceArn': 'arn:aws:logs:eu-west-1:100000000001:log-group:/app/web:*' },
      'true',
    ],
    [
      'empty region and account parts',
      'ArnLike',
      'aws:PrincipalArn',
      'arn:aws:s3:::audit-*',
      { 'aws:PrincipalArn': 'arn:aws:s3:::audit-logs' },
      'true',
    ],
    [
      '* alone as a part matches an empty part',
      'ArnLike',
      'aws:SourceArn',
      'arn:aws:s3:*:*:audit-logs',
      { 'aws:SourceArn': 'arn:aws:s3:::audit-logs' },
      'true',
    ],
    [
      'a request value with fewer than six parts',
      'ArnLike',
      'aws:SourceArn',
      'arn:aws:s3:::*',
      { 'aws:SourceArn': 'audit-logs' },
      'false',
    ],
    [
      'a policy value with fewer than six parts',
      'ArnLike',
      'aws:SourceArn',
      'arn:aws:s3:*',
      { 'aws:SourceArn': 'arn:aws:s3:::audit-logs' },
      'false',
    ],
    [
      'ArnNotLike with another ARN',
      'ArnNotLike',
      'aws:PrincipalArn',
      'arn:aws:iam::*:role/break-glass',
      { 'aws:PrincipalArn': 'arn:aws:iam::100000000001:role/ci-deployer' },
      'true',
    ],
    [
      'ArnNotEquals with the ARN',
      'ArnNotEquals',
      'aws:PrincipalArn',
      'arn:aws:iam::*:role/break-glass',
      { 'aws:PrincipalArn': 'arn:aws:iam::100000000001:role/break-glass' },
      'false',
    ],
    ['ArnNotLike on an absent key is true', 'ArnNotLike', 'aws:SourceArn', topic, NONE, 'true'],
    ['ArnLike on an absent key is false', 'ArnLike', 'aws:SourceArn', topic, NONE, 'false'],
  ]);
});

describe('Null (Condition operator to check existence of condition keys)', () => {
  runTable([
    ['true on an absent key', 'Null', 'aws:TokenIssueTime', 'true', NONE, 'true'],
    [
      'true on a present key',
      'Null',
      'aws:TokenIssueTime',
      'true',
      { 'aws:TokenIssueTime': '2026-01-01T00:00:00Z' },
      'false',
    ],
    [
      'false on a present key',
      'Null',
      'aws:TokenIssueTime',
      'false',
      { 'aws:TokenIssueTime': '2026-01-01T00:00:00Z' },
      'true',
    ],
    ['false on an absent key', 'Null', 'aws:TokenIssueTime', 'false', NONE, 'false'],
    [
      'a key with an empty set of values is null',
      'Null',
      'aws:TagKeys',
      'true',
      { 'aws:TagKeys': [] },
      'true',
    ],
    ['the words are not case-sensitive', 'Null', 'aws:TokenIssueTime', 'TRUE', NONE, 'true'],
    [
      'a value that is not a boolean matches nothing',
      'Null',
      'aws:TokenIssueTime',
      'yes',
      NONE,
      'false',
    ],
  ]);
});

describe('...IfExists (Condition operators: ...IfExists condition operators)', () => {
  runTable([
    [
      'absent key: true',
      'StringLikeIfExists',
      'ec2:InstanceType',
      ['t1.*', 't2.*', 'm3.*'],
      NONE,
      'true',
    ],
    [
      'present key: as the base operator (match)',
      'StringLikeIfExists',
      'ec2:InstanceType',
      ['t1.*', 't2.*', 'm3.*'],
      { 'ec2:InstanceType': 't2.micro' },
      'true',
    ],
    [
      'present key: as the base operator (no match)',
      'StringLikeIfExists',
      'ec2:InstanceType',
      ['t1.*', 't2.*', 'm3.*'],
      { 'ec2:InstanceType': 'p4d.24xlarge' },
      'false',
    ],
    [
      'negated IfExists on an absent key: true',
      'StringNotEqualsIfExists',
      'aws:ResourceTag/env',
      'prod',
      NONE,
      'true',
    ],
    [
      'negated IfExists on a matching key: false',
      'StringNotEqualsIfExists',
      'aws:ResourceTag/env',
      'prod',
      { 'aws:ResourceTag/env': 'prod' },
      'false',
    ],
    [
      'NumericLessThanIfExists on an absent key',
      'NumericLessThanIfExists',
      'aws:MultiFactorAuthAge',
      '3600',
      NONE,
      'true',
    ],
    [
      'DateGreaterThanIfExists on a present key',
      'DateGreaterThanIfExists',
      'aws:TokenIssueTime',
      '2026-01-01T00:00:00Z',
      { 'aws:TokenIssueTime': '2025-01-01T00:00:00Z' },
      'false',
    ],
    [
      'IpAddressIfExists on an absent key',
      'IpAddressIfExists',
      'aws:SourceIp',
      '203.0.113.0/24',
      NONE,
      'true',
    ],
    [
      'ArnLikeIfExists on an absent key',
      'ArnLikeIfExists',
      'aws:SourceArn',
      'arn:aws:sns:*:*:*',
      NONE,
      'true',
    ],
    [
      'an empty set of values counts as absent',
      'StringEqualsIfExists',
      'x:list',
      'a',
      { 'x:list': [] },
      'true',
    ],
  ]);
});

describe('set operators (Single-valued vs. multivalued context keys)', () => {
  runTable([
    [
      'ForAllValues: every request value in the policy set',
      'ForAllValues:StringEquals',
      'aws:TagKeys',
      ['env', 'team', 'owner'],
      { 'aws:TagKeys': ['env', 'team'] },
      'true',
    ],
    [
      'ForAllValues: one request value outside',
      'ForAllValues:StringEquals',
      'aws:TagKeys',
      ['env', 'team'],
      { 'aws:TagKeys': ['env', 'secret'] },
      'false',
    ],
    [
      'ForAllValues: absent key is true',
      'ForAllValues:StringEquals',
      'aws:TagKeys',
      ['env', 'team'],
      NONE,
      'true',
    ],
    [
      'ForAllValues: empty set is true',
      'ForAllValues:StringEquals',
      'aws:TagKeys',
      ['env', 'team'],
      { 'aws:TagKeys': [] },
      'true',
    ],
    [
      'ForAllValues: an empty string is an empty data set',
      'ForAllValues:StringEquals',
      'aws:TagKeys',
      ['env'],
      { 'aws:TagKeys': '' },
      'true',
    ],
    [
      'ForAllValues: StringLike per value',
      'ForAllValues:StringLike',
      'aws:TagKeys',
      'Created*',
      { 'aws:TagKeys': ['CreatedBy', 'CreatedAt'] },
      'true',
    ],
    [
      'ForAllValues:StringNotLike: one value like the pattern (docs table: no match)',
      'ForAllValues:StringNotLike',
      'aws:TagKeys',
      'key1*',
      { 'aws:TagKeys': ['key1:legal'] },
      'false',
    ],
    [
      'ForAllValues:StringNotLike: no value like the pattern (docs table: match)',
      'ForAllValues:StringNotLike',
      'aws:TagKeys',
      'key1*',
      { 'aws:TagKeys': ['key2:audit'] },
      'true',
    ],
    [
      'ForAllValues:StringNotLike: absent key (docs table: match)',
      'ForAllValues:StringNotLike',
      'aws:TagKeys',
      'key1*',
      NONE,
      'true',
    ],
    [
      'ForAllValues:StringNotEquals: a value in the set',
      'ForAllValues:StringNotEquals',
      'aws:TagKeys',
      ['secret'],
      { 'aws:TagKeys': ['team', 'secret'] },
      'false',
    ],
    [
      'ForAnyValue: one value in the set',
      'ForAnyValue:StringEquals',
      'aws:TagKeys',
      ['DataClass', 'Owner'],
      { 'aws:TagKeys': ['DataClass', 'Dept'] },
      'true',
    ],
    [
      'ForAnyValue: disjoint sets',
      'ForAnyValue:StringEquals',
      'aws:TagKeys',
      ['DataClass', 'Owner'],
      { 'aws:TagKeys': ['Dept', 'SIC'] },
      'false',
    ],
    [
      'ForAnyValue: absent key is false',
      'ForAnyValue:StringEquals',
      'aws:TagKeys',
      ['DataClass', 'Owner'],
      NONE,
      'false',
    ],
    [
      'ForAnyValue: empty set is false',
      'ForAnyValue:StringEquals',
      'aws:TagKeys',
      ['DataClass'],
      { 'aws:TagKeys': [] },
      'false',
    ],
    [
      'ForAnyValue:StringNotEquals: some value outside the set',
      'ForAnyValue:StringNotEquals',
      'aws:TagKeys',
      ['DataClass', 'Owner'],
      { 'aws:TagKeys': ['DataClass', 'Dept'] },
      'true',
    ],
    [
      'ForAnyValue:StringNotEquals: every value in the set',
      'ForAnyValue:StringNotEquals',
      'aws:TagKeys',
      ['DataClass', 'Owner'],
      { 'aws:TagKeys': ['DataClass', 'Owner'] },
      'false',
    ],
    [
      'ForAnyValue:StringNotEquals: absent key is false',
      'ForAnyValue:StringNotEquals',
      'aws:TagKeys',
      ['DataClass'],
      NONE,
      'false',
    ],
    [
      'ForAnyValue with IfExists: absent key is still false',
      'ForAnyValue:StringEqualsIfExists',
      'aws:TagKeys',
      'team',
      NONE,
      'false',
    ],
    [
      'ForAllValues with IfExists: absent key is true',
      'ForAllValues:StringEqualsIfExists',
      'aws:TagKeys',
      'team',
      NONE,
      'true',
    ],
    [
      'ForAnyValue:StringLike (User Guide DynamoDB example)',
      'ForAnyValue:StringLike',
      'dynamodb:Attributes',
      ['ID', 'PostDateTime'],
      { 'dynamodb:Attributes': ['UserName', 'Message', 'PostDateTime'] },
      'true',
    ],
    [
      'ForAllValues:StringLike (User Guide DynamoDB example)',
      'ForAllValues:StringLike',
      'dynamodb:Attributes',
      ['PostDateTime', 'Message', 'Tags'],
      { 'dynamodb:Attributes': ['PostDateTime', 'UserName'] },
      'false',
    ],
    [
      'a set operator on a single value',
      'ForAnyValue:StringEquals',
      'aws:PrincipalTag/team',
      ['a', 'b'],
      { 'aws:PrincipalTag/team': 'b' },
      'true',
    ],
    [
      'ForAnyValue:ArnLike',
      'ForAnyValue:ArnLike',
      'x:arns',
      'arn:aws:iam::*:role/ops-*',
      {
        'x:arns': [
          'arn:aws:iam::100000000001:user/dev-alice',
          'arn:aws:iam::100000000001:role/ops-admin',
        ],
      },
      'true',
    ],
    [
      'ForAllValues:NumericLessThan',
      'ForAllValues:NumericLessThan',
      'x:sizes',
      '100',
      { 'x:sizes': ['1', '99', '100'] },
      'false',
    ],
    [
      'an unqualified operator on several request values does not match',
      'StringEquals',
      'aws:CalledVia',
      'athena.amazonaws.com',
      { 'aws:CalledVia': ['athena.amazonaws.com', 'glue.amazonaws.com'] },
      'false',
    ],
    [
      'an unqualified negated operator on several request values does not match',
      'StringNotEquals',
      'aws:CalledVia',
      'ec2.amazonaws.com',
      { 'aws:CalledVia': ['athena.amazonaws.com', 'glue.amazonaws.com'] },
      'false',
    ],
    [
      'an unqualified operator on a one-element list is the single value',
      'StringEquals',
      'aws:CalledVia',
      'athena.amazonaws.com',
      { 'aws:CalledVia': ['athena.amazonaws.com'] },
      'true',
    ],
  ]);
});

describe('policy variables in values (IAM policy elements: Variables and tags)', () => {
  const alice = { 'aws:username': 'dev-alice' };
  runTable([
    [
      'StringEquals with a variable',
      'StringEquals',
      'aws:PrincipalTag/owner',
      '${aws:username}',
      { ...alice, 'aws:PrincipalTag/owner': 'dev-alice' },
      'true',
    ],
    [
      'StringEquals with a variable, another value',
      'StringEquals',
      'aws:PrincipalTag/owner',
      '${aws:username}',
      { ...alice, 'aws:PrincipalTag/owner': 'dev-bob' },
      'false',
    ],
    [
      'StringLike with a variable and a wildcard',
      'StringLike',
      's3:prefix',
      'home/${aws:username}/*',
      { ...alice, 's3:prefix': 'home/dev-alice/docs' },
      'true',
    ],
    [
      'substituted text is literal',
      'StringLike',
      's3:prefix',
      'home/${aws:username}/x',
      { 'aws:username': 'a*', 's3:prefix': 'home/abc/x' },
      'false',
    ],
    [
      'substituted text matches itself',
      'StringLike',
      's3:prefix',
      'home/${aws:username}/x',
      { 'aws:username': 'a*', 's3:prefix': 'home/a*/x' },
      'true',
    ],
    [
      '${*} is a literal asterisk',
      'StringLike',
      's3:prefix',
      'star${*}',
      { 's3:prefix': 'starry' },
      'false',
    ],
    [
      '${*} matches an asterisk',
      'StringLike',
      's3:prefix',
      'star${*}',
      { 's3:prefix': 'star*' },
      'true',
    ],
    [
      'variable keys are case-insensitive',
      'StringEquals',
      'aws:PrincipalTag/owner',
      '${AWS:UserName}',
      { ...alice, 'aws:PrincipalTag/owner': 'dev-alice' },
      'true',
    ],
    [
      'a variable with no value does not match',
      'StringEquals',
      'aws:PrincipalTag/owner',
      '${aws:username}',
      { 'aws:PrincipalTag/owner': 'dev-alice' },
      'false',
    ],
    [
      'an inverted operator does not match a variable with no value (the statement is invalid)',
      'StringNotEquals',
      'aws:PrincipalTag/owner',
      '${aws:username}',
      { 'aws:PrincipalTag/owner': 'dev-alice' },
      'false',
    ],
    [
      'a default value stands in for an absent key',
      'StringEquals',
      'aws:PrincipalTag/owner',
      "${aws:username, 'nobody'}",
      { 'aws:PrincipalTag/owner': 'nobody' },
      'true',
    ],
    [
      'ArnLike with a variable',
      'ArnLike',
      'aws:SourceArn',
      'arn:aws:iam::${aws:PrincipalAccount}:role/*',
      {
        'aws:PrincipalAccount': '100000000001',
        'aws:SourceArn': 'arn:aws:iam::100000000001:role/x',
      },
      'true',
    ],
    [
      'ArnEquals with a variable holding a whole ARN',
      'ArnEquals',
      'aws:SourceArn',
      '${aws:PrincipalArn}',
      {
        'aws:PrincipalArn': 'arn:aws:iam::100000000001:role/x',
        'aws:SourceArn': 'arn:aws:iam::100000000001:role/x',
      },
      'true',
    ],
    [
      'Bool with a variable',
      'Bool',
      'aws:SecureTransport',
      '${aws:ViaAWSService}',
      { 'aws:ViaAWSService': 'true', 'aws:SecureTransport': 'true' },
      'true',
    ],
    [
      'Numeric operators take no variables',
      'NumericEquals',
      's3:max-keys',
      '${x:limit}',
      { 'x:limit': '10', 's3:max-keys': '10' },
      'false',
    ],
  ]);
});

describe('discovery mode', () => {
  runTable(
    [
      [
        'a positive operator on a missing key is unknown',
        'StringEquals',
        'aws:SourceVpc',
        'vpc-1',
        NONE,
        'unknown',
      ],
      [
        'a negated operator on a missing key is unknown',
        'StringNotEquals',
        'aws:SourceVpc',
        'vpc-1',
        NONE,
        'unknown',
      ],
      [
        'IfExists on a missing key is unknown',
        'StringEqualsIfExists',
        'aws:SourceVpc',
        'vpc-1',
        NONE,
        'unknown',
      ],
      ['Null on a missing key is unknown', 'Null', 'aws:SourceVpc', 'true', NONE, 'unknown'],
      [
        'ForAllValues on a missing key is unknown',
        'ForAllValues:StringEquals',
        'aws:TagKeys',
        'env',
        NONE,
        'unknown',
      ],
      [
        'ForAnyValue on a missing key is unknown',
        'ForAnyValue:StringEquals',
        'aws:TagKeys',
        'env',
        NONE,
        'unknown',
      ],
      [
        'a supplied key is decided (true)',
        'StringEquals',
        'aws:SourceVpc',
        'vpc-1',
        { 'aws:SourceVpc': 'vpc-1' },
        'true',
      ],
      [
        'a supplied key is decided (false)',
        'StringEquals',
        'aws:SourceVpc',
        'vpc-1',
        { 'aws:SourceVpc': 'vpc-2' },
        'false',
      ],
      [
        'a supplied empty set is decided',
        'Null',
        'aws:TagKeys',
        'true',
        { 'aws:TagKeys': [] },
        'true',
      ],
      [
        'a variable the context lacks makes the value unknown',
        'StringEquals',
        'aws:PrincipalTag/owner',
        '${aws:username}',
        { 'aws:PrincipalTag/owner': 'dev-alice' },
        'unknown',
      ],
      [
        'another value can still decide it',
        'StringEquals',
        'aws:PrincipalTag/owner',
        ['${aws:username}', 'dev-alice'],
        { 'aws:PrincipalTag/owner': 'dev-alice' },
        'true',
      ],
      ['an unknown operator stays false', 'stringEquals', 'aws:SourceVpc', 'vpc-1', NONE, 'false'],
    ],
    'discovery',
  );
});

describe('keys and operators', () => {
  it('matches condition keys case-insensitively', () => {
    const context = contextOf({ 'aws:SourceIp': '203.0.113.7' });
    expect(
      evaluateClause(aClause('IpAddress', 'AWS:SOURCEIP', '203.0.113.0/24'), context, 'complete'),
    ).toBe('true');
  });

  it('never meets an operator AWS does not know (names are case-sensitive)', () => {
    const context = contextOf({ 'aws:SourceVpc': 'vpc-1' });
    expect(
      evaluateClause(aClause('stringEquals', 'aws:SourceVpc', 'vpc-1'), context, 'complete'),
    ).toBe('false');
    expect(
      evaluateClause(aClause('StringMatches', 'aws:SourceVpc', 'vpc-1'), context, 'complete'),
    ).toBe('false');
  });

  it('splits operator names into qualifier, base operator and IfExists', () => {
    expect(parseConditionOperator('ForAnyValue:StringLikeIfExists')).toEqual({
      baseOperator: 'StringLike',
      setQualifier: 'ForAnyValue',
      ifExists: true,
    });
    expect(parseConditionOperator('Null')).toEqual({
      baseOperator: 'Null',
      setQualifier: null,
      ifExists: false,
    });
    expect(parseConditionOperator('forallvalues:StringLike')).toEqual({
      baseOperator: 'forallvalues:StringLike',
      setQualifier: null,
      ifExists: false,
    });
  });
});

describe('evaluateConditions (all clauses AND-ed)', () => {
  const vpc = aClause('StringEquals', 'aws:SourceVpc', 'vpc-1');
  const ip = aClause('IpAddress', 'aws:SourceIp', '203.0.113.0/24');
  const mfa = aClause('Bool', 'aws:MultiFactorAuthPresent', 'true');

  it('is true when every clause holds', () => {
    const context = contextOf({ 'aws:SourceVpc': 'vpc-1', 'aws:SourceIp': '203.0.113.9' });
    expect(evaluateConditions([vpc, ip], context, 'complete')).toEqual({
      result: 'true',
      pending: [],
    });
  });

  it('is false as soon as one clause fails, with nothing pending', () => {
    const context = contextOf({ 'aws:SourceIp': '198.51.100.1' });
    expect(evaluateConditions([vpc, ip], context, 'discovery')).toEqual({
      result: 'false',
      pending: [],
    });
  });

  it('is unknown with the undecided clauses', () => {
    const context = contextOf({ 'aws:SourceIp': '203.0.113.9' });
    expect(evaluateConditions([vpc, ip, mfa], context, 'discovery')).toEqual({
      result: 'unknown',
      pending: [vpc, mfa],
    });
  });

  it('is true without clauses', () => {
    expect(evaluateConditions([], contextOf({}), 'complete')).toEqual({
      result: 'true',
      pending: [],
    });
  });
});

describe('validateConditionClause', () => {
  const codes = (clause: ConditionClause): string[] =>
    validateConditionClause(clause).map((issue) => issue.code);

  it.each([
    ['a clean clause', aClause('StringEquals', 'aws:PrincipalTag/team', 'payments'), []],
    [
      'an unknown operator',
      aClause('StringMatches', 'aws:SourceVpc', 'vpc-1'),
      ['unknown-operator'],
    ],
    [
      'an operator in the wrong case',
      aClause('stringequals', 'aws:SourceVpc', 'vpc-1'),
      ['unknown-operator'],
    ],
    [
      'a non-numeric value for Numeric',
      aClause('NumericLessThan', 's3:max-keys', 'ten'),
      ['wrong-value-type'],
    ],
    ['a bad date', aClause('DateLessThan', 'aws:CurrentTime', '2026-02-30'), ['wrong-value-type']],
    ['a bad CIDR', aClause('IpAddress', 'aws:SourceIp', '10.0.0.0/40'), ['wrong-value-type']],
    ['a non-boolean for Bool', aClause('Bool', 'aws:SecureTransport', 'yes'), ['wrong-value-type']],
    [
      'bad base-64 for BinaryEquals',
      aClause('BinaryEquals', 'x:blob', 'abc'),
      ['wrong-value-type'],
    ],
    [
      'a non-boolean for Null',
      aClause('Null', 'aws:TokenIssueTime', 'maybe'),
      ['wrong-value-type'],
    ],
    [
      'an ARN without six parts',
      aClause('ArnLike', 'aws:SourceArn', 'arn:aws:s3'),
      ['malformed-arn'],
    ],
    [
      'an unknown global key',
      aClause('StringEquals', 'aws:SourceVPCId', 'vpc-1'),
      ['unknown-global-key'],
    ],
    ['a service key is not checked', aClause('StringEquals', 'sts:ExternalId', 'x'), []],
    [
      'IfExists on Null',
      aClause('NullIfExists', 'aws:TokenIssueTime', 'true'),
      ['invalid-operator'],
    ],
    [
      'a variable in a Numeric value',
      aClause('NumericEquals', 's3:max-keys', '${x:n}'),
      ['unsupported-variable', 'wrong-value-type'],
    ],
    [
      'a variable in a Bool value is fine',
      aClause('Bool', 'aws:SecureTransport', '${aws:ViaAWSService}'),
      [],
    ],
    [
      'a set operator on a single-valued key',
      aClause('ForAllValues:StringEquals', 'aws:PrincipalArn', 'arn:aws:iam::100000000001:role/x'),
      ['set-operator-on-single-valued-key'],
    ],
    [
      'a multivalued key without a set operator',
      aClause('StringEquals', 'aws:TagKeys', 'env'),
      ['multivalued-key-without-set-operator'],
    ],
    ['no values', aClause('StringEquals', 'aws:SourceVpc', []), ['empty-condition-values']],
  ] as const)('%s', (_name, clause, expected) => {
    expect(codes(clause)).toEqual(expected);
  });

  it('suggests the right spelling of an operator', () => {
    const [issue] = validateConditionClause(aClause('stringLike', 's3:prefix', 'a'));
    expect(issue?.message).toContain('did you mean StringLike');
  });

  it('skips the key checks without a catalog', () => {
    expect(validateConditionClause(aClause('StringEquals', 'aws:Bogus', 'x'), null)).toEqual([]);
  });
});

describe('parseConditionBlock (IAM JSON policy elements: Condition)', () => {
  it('makes one clause per operator and key, values as strings', () => {
    const { clauses, diagnostics } = parseConditionBlock(
      {
        StringEquals: { 'aws:SourceVpc': 'vpc-1', 'aws:PrincipalTag/team': ['a', 'b'] },
        NumericLessThanEquals: { 's3:max-keys': 10 },
        Bool: { 'aws:SecureTransport': false },
        'ForAnyValue:StringLikeIfExists': { 'aws:TagKeys': ['env*'] },
      },
      '$.Statement[0].Condition',
    );
    expect(diagnostics).toEqual([]);
    expect(clauses).toEqual([
      {
        operator: 'StringEquals',
        baseOperator: 'StringEquals',
        setQualifier: null,
        ifExists: false,
        key: 'aws:SourceVpc',
        values: ['vpc-1'],
      },
      {
        operator: 'StringEquals',
        baseOperator: 'StringEquals',
        setQualifier: null,
        ifExists: false,
        key: 'aws:PrincipalTag/team',
        values: ['a', 'b'],
      },
      {
        operator: 'NumericLessThanEquals',
        baseOperator: 'NumericLessThanEquals',
        setQualifier: null,
        ifExists: false,
        key: 's3:max-keys',
        values: ['10'],
      },
      {
        operator: 'Bool',
        baseOperator: 'Bool',
        setQualifier: null,
        ifExists: false,
        key: 'aws:SecureTransport',
        values: ['false'],
      },
      {
        operator: 'ForAnyValue:StringLikeIfExists',
        baseOperator: 'StringLike',
        setQualifier: 'ForAnyValue',
        ifExists: true,
        key: 'aws:TagKeys',
        values: ['env*'],
      },
    ]);
  });

  it('has nothing for an absent Condition element', () => {
    expect(parseConditionBlock(undefined, '$.Condition')).toEqual({ clauses: [], diagnostics: [] });
  });

  it('reports a Condition element that is not an object', () => {
    const { clauses, diagnostics } = parseConditionBlock(
      ['StringEquals'],
      '$.Statement[2].Condition',
    );
    expect(clauses).toEqual([]);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: 'malformed-condition',
        path: '$.Statement[2].Condition',
        severity: 'error',
      }),
    ]);
  });

  it('reports an operator that does not map keys to values', () => {
    const { clauses, diagnostics } = parseConditionBlock({ StringEquals: 'vpc-1' }, '$.Condition');
    expect(clauses).toEqual([]);
    expect(diagnostics.map((d) => [d.code, d.path])).toEqual([
      ['malformed-condition', '$.Condition.StringEquals'],
    ]);
  });

  it('drops values that are not scalars, naming their path', () => {
    const { clauses, diagnostics } = parseConditionBlock(
      { StringEquals: { 'aws:SourceVpc': ['vpc-1', null, { a: 1 }] } },
      '$.Condition',
    );
    expect(clauses[0]?.values).toEqual(['vpc-1']);
    expect(diagnostics.map((d) => [d.code, d.path])).toEqual([
      ['wrong-value-type', '$.Condition.StringEquals["aws:SourceVpc"][1]'],
      ['wrong-value-type', '$.Condition.StringEquals["aws:SourceVpc"][2]'],
    ]);
  });

  it('validates each clause at the path of its key', () => {
    const { clauses, diagnostics } = parseConditionBlock(
      {
        'ForAnyValue:stringEquals': { 'aws:TagKeys': 'env' },
        IpAddress: { 'aws:SourceIp': 'office' },
      },
      '$.Statement[1].Condition',
    );
    expect(clauses).toHaveLength(2);
    expect(diagnostics.map((d) => [d.code, d.path])).toEqual([
      ['unknown-operator', '$.Statement[1].Condition["ForAnyValue:stringEquals"]["aws:TagKeys"]'],
      ['wrong-value-type', '$.Statement[1].Condition.IpAddress["aws:SourceIp"]'],
    ]);
  });

  it('keeps keys as written and evaluates them case-insensitively', () => {
    const { clauses } = parseConditionBlock({ StringEquals: { 'AWS:SourceVpc': 'vpc-1' } }, '$');
    expect(clauses[0]?.key).toBe('AWS:SourceVpc');
    expect(
      evaluateConditions(clauses, contextOf({ 'aws:sourcevpc': 'vpc-1' }), 'complete').result,
    ).toBe('true');
  });

  it('never throws on odd input', () => {
    for (const odd of [
      null,
      42,
      'x',
      [],
      { A: null },
      { StringEquals: { k: [[1]] } },
      { StringEquals: { '': 'x' } },
    ]) {
      expect(() => parseConditionBlock(odd, '$')).not.toThrow();
    }
  });
});

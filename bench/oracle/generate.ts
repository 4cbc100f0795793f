/**
 * Random, realistic evaluation cases in iamsight's eval format (docs/formats.md), drawn from a
 * seeded generator so the same seed always gives the same cases.
 *
 * The world: two accounts of one organization's story (100000000001 owns most resources,
 * 100000000002 is a partner), IAM users and role sessions in both, resources of S3, DynamoDB,
 * SQS, SNS, Lambda, Secrets Manager, KMS, EC2 and IAM, and role trust for sts:AssumeRole.
 * Policies mix Allow and Deny, Action/NotAction and Resource/NotResource patterns with wildcards,
 * conditions with the common operators, permissions boundaries, session policies, SCP and RCP
 * levels, and same- and cross-account resource policies.
 */
import type { EvalCase } from '../../src/policy/eval-case.js';

type Document = Record<string, unknown>;
type Statement = Record<string, unknown>;

const HOME = '100000000001';
const PARTNER = '100000000002';
const ORG = 'o-11111111';

/** A small deterministic PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Draw {
  constructor(private readonly next: () => number) {}
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  /** One or a list of 1–n distinct items. */
  some<T>(items: readonly T[], n: number): T | T[] {
    const count = this.int(1, Math.min(n, items.length));
    const chosen = [...new Set(Array.from({ length: count }, () => this.pick(items)))];
    return chosen.length === 1 && this.chance(0.5) ? chosen[0]! : chosen;
  }
}

interface Caller {
  readonly arn: string;
  readonly account: string;
  /** The role a session came from. */
  readonly roleArn?: string;
  readonly userName?: string;
}

const CALLERS: readonly Caller[] = [
  { arn: `arn:aws:iam::${HOME}:user/dev-alice`, account: HOME, userName: 'dev-alice' },
  {
    arn: `arn:aws:sts::${HOME}:assumed-role/ci-deployer/build-42`,
    account: HOME,
    roleArn: `arn:aws:iam::${HOME}:role/ci-deployer`,
  },
  { arn: `arn:aws:iam::${PARTNER}:user/partner-bob`, account: PARTNER, userName: 'partner-bob' },
  {
    arn: `arn:aws:sts::${PARTNER}:assumed-role/partner-reader/sync-7`,
    account: PARTNER,
    roleArn: `arn:aws:iam::${PARTNER}:role/partner-reader`,
  },
];

interface Target {
  readonly actions: readonly string[];
  /** The resource ARN in the owning account, and `other`: a sibling resource of the same type. */
  readonly arn: (account: string) => string;
  readonly other: (account: string) => string;
  /**
   * Whether the resource can carry a resource-based policy; `required`: it always has one (every
   * KMS key has a key policy, every IAM role a trust policy).
   */
  readonly resourcePolicy: 'none' | 'optional' | 'required';
  /** S3 ARNs carry no account: the owner is stated apart. */
  readonly s3?: boolean;
  readonly serviceKeys?: 'list-bucket';
}

const REGION = 'us-east-1';
const TARGETS: readonly Target[] = [
  {
    actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
    arn: (a) =>
      `arn:aws:s3:::${a === HOME ? 'team-data' : 'partner-data'}/home/dev-alice/report.csv`,
    other: (a) => `arn:aws:s3:::${a === HOME ? 'team-data' : 'partner-data'}/private/keys.txt`,
    resourcePolicy: 'optional',
    s3: true,
  },
  {
    actions: ['s3:ListBucket'],
    arn: (a) => `arn:aws:s3:::${a === HOME ? 'team-data' : 'partner-data'}`,
    other: () => 'arn:aws:s3:::audit-logs',
    resourcePolicy: 'optional',
    s3: true,
    serviceKeys: 'list-bucket',
  },
  {
    actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
    arn: (a) => `arn:aws:dynamodb:${REGION}:${a}:table/orders`,
    other: (a) => `arn:aws:dynamodb:${REGION}:${a}:table/payroll`,
    resourcePolicy: 'optional',
  },
  {
    actions: ['sqs:SendMessage', 'sqs:ReceiveMessage'],
    arn: (a) => `arn:aws:sqs:${REGION}:${a}:build-jobs`,
    other: (a) => `arn:aws:sqs:eu-west-1:${a}:build-jobs`,
    resourcePolicy: 'optional',
  },
  {
    actions: ['sns:Publish'],
    arn: (a) => `arn:aws:sns:${REGION}:${a}:alerts`,
    other: (a) => `arn:aws:sns:${REGION}:${a}:billing`,
    resourcePolicy: 'optional',
  },
  {
    actions: ['lambda:InvokeFunction'],
    arn: (a) => `arn:aws:lambda:${REGION}:${a}:function:resize-images`,
    other: (a) => `arn:aws:lambda:${REGION}:${a}:function:rotate-keys`,
    resourcePolicy: 'optional',
  },
  {
    actions: ['secretsmanager:GetSecretValue'],
    arn: (a) => `arn:aws:secretsmanager:${REGION}:${a}:secret:db-password-AbCdEf`,
    other: (a) => `arn:aws:secretsmanager:${REGION}:${a}:secret:api-token-XyZ123`,
    resourcePolicy: 'optional',
  },
  {
    actions: ['kms:Decrypt', 'kms:Encrypt'],
    arn: (a) => `arn:aws:kms:${REGION}:${a}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
    other: (a) => `arn:aws:kms:${REGION}:${a}:key/0987dcba-09fe-87dc-65ba-ab0987654321`,
    resourcePolicy: 'required',
  },
  {
    actions: ['ec2:TerminateInstances', 'ec2:StopInstances'],
    arn: (a) => `arn:aws:ec2:${REGION}:${a}:instance/i-0123456789abcdef0`,
    other: (a) => `arn:aws:ec2:eu-west-1:${a}:instance/i-0fedcba9876543210`,
    resourcePolicy: 'none',
  },
  {
    actions: ['iam:PassRole', 'iam:GetRole'],
    arn: (a) => `arn:aws:iam::${a}:role/app-runtime`,
    other: (a) => `arn:aws:iam::${a}:role/admin`,
    resourcePolicy: 'none',
  },
  {
    actions: ['sts:AssumeRole'],
    arn: (a) => `arn:aws:iam::${a}:role/app-runtime`,
    other: (a) => `arn:aws:iam::${a}:role/admin`,
    resourcePolicy: 'required',
  },
  {
    actions: ['ec2:DescribeInstances', 's3:ListAllMyBuckets', 'sts:GetCallerIdentity'],
    arn: () => '*',
    other: () => '*',
    resourcePolicy: 'none',
  },
];

const OTHER_ACTIONS = [
  's3:GetObject',
  'ec2:RunInstances',
  'iam:CreateUser',
  'dynamodb:DeleteTable',
];

/** Action patterns that may or may not cover `action`. */
function actionPattern(d: Draw, action: string): string {
  const [service, name] = action.split(':') as [string, string];
  return d.pick([
    action,
    action,
    `${service}:*`,
    '*',
    `${service}:${name.slice(0, 3)}*`,
    `${service}:*${name.slice(-4)}`,
    `${service}:${name.slice(0, 1)}?${name.slice(2)}`,
    action.toLowerCase(),
    `${service.toUpperCase()}:${name}`,
    d.pick(OTHER_ACTIONS),
    `${d.pick(['s3', 'ec2', 'kms', 'iam'])}:*`,
    `${service}:List*`,
  ]);
}

/** Resource patterns that may or may not cover `resource`. */
function resourcePattern(d: Draw, target: Target, owner: string, caller: Caller): string {
  const arn = target.arn(owner);
  if (arn === '*') return d.pick(['*', `arn:aws:ec2:${REGION}:${owner}:instance/*`]);
  const fields = arn.split(':');
  const withField = (i: number, v: string): string =>
    fields.map((f, j) => (j === i ? v : f)).join(':');
  const cut = arn.slice(0, d.int(Math.min(arn.length - 1, 20), arn.length - 1));
  const options = [
    arn,
    arn,
    '*',
    `${cut}*`,
    target.other(owner),
    arn.replace(/[a-z](?=[^a-z]*$)/, '?'),
    arn.toUpperCase(),
    withField(3, '*'),
    withField(4, '*'),
    withField(4, owner === HOME ? PARTNER : HOME),
    `arn:aws:${fields[2]}:*`,
  ];
  if (target.s3) {
    const bucket = arn.split(':::')[1]!.split('/')[0]!;
    options.push(
      `arn:aws:s3:::${bucket}/*`,
      `arn:aws:s3:::${bucket}`,
      `arn:aws:s3:::${bucket}/home/\${aws:username}/*`,
      `arn:aws:s3:::${bucket}/home/${caller.userName ?? 'dev-alice'}/*`,
    );
  }
  if (target.actions.includes('sqs:SendMessage'))
    options.push(`arn:aws:sqs:${REGION}:\${aws:PrincipalAccount}:*`);
  return d.pick(options);
}

/** Condition blocks on the usual keys; `forListBucket` allows s3:prefix. */
function conditionBlock(d: Draw, forListBucket: boolean, effect: 'Allow' | 'Deny'): Document {
  const ifExists = (op: string): string => (d.chance(0.2) ? `${op}IfExists` : op);
  const templates: (() => [string, string, string | string[]])[] = [
    () => [
      d.pick(['IpAddress', 'NotIpAddress']),
      'aws:SourceIp',
      d.pick<string | string[]>([
        '203.0.113.0/24',
        ['10.0.0.0/8', '192.0.2.7/32'],
        '2001:db8::/32',
        '198.51.100.9',
      ]),
    ],
    () => [
      ifExists(d.pick(['StringEquals', 'StringNotEquals', 'StringLike', 'StringEqualsIgnoreCase'])),
      `aws:PrincipalTag/${d.pick(['team', 'env'])}`,
      d.pick<string | string[]>([
        'payments',
        'pay*',
        'Payments',
        ['analytics', 'payments'],
        'prod',
      ]),
    ],
    () => [
      ifExists(d.pick(['StringEquals', 'StringNotEquals'])),
      'aws:RequestedRegion',
      d.pick<string | string[]>(['us-east-1', ['eu-west-1', 'eu-central-1']]),
    ],
    () => [
      d.pick(['Bool', 'BoolIfExists']),
      d.pick(['aws:MultiFactorAuthPresent', 'aws:SecureTransport']),
      d.pick(['true', 'false']),
    ],
    () => [
      ifExists(d.pick(['NumericLessThan', 'NumericGreaterThanEquals'])),
      'aws:MultiFactorAuthAge',
      d.pick(['3600', '600']),
    ],
    () => [
      'Null',
      d.pick(['aws:MultiFactorAuthPresent', 'aws:PrincipalTag/team', 'aws:SourceIp']),
      d.pick(['true', 'false']),
    ],
    () => [
      d.pick(['DateGreaterThan', 'DateLessThan']),
      'aws:CurrentTime',
      d.pick(['2026-01-01T00:00:00Z', '2025-12-31', '1767225600']),
    ],
    () => [
      ifExists(d.pick(['StringEquals', 'StringNotEquals'])),
      d.pick(['aws:PrincipalAccount', 'aws:ResourceAccount']),
      d.pick([HOME, PARTNER, '${aws:PrincipalAccount}']),
    ],
    () => [
      d.pick(['ArnLike', 'ArnNotLike', 'ArnEquals', 'StringLike']),
      'aws:PrincipalArn',
      d.pick<string | string[]>([
        `arn:aws:iam::${HOME}:role/ci-*`,
        'arn:aws:iam::*:user/dev-*',
        `arn:aws:iam::${PARTNER}:*`,
        [`arn:aws:iam::${HOME}:user/dev-alice`, `arn:aws:iam::${PARTNER}:role/partner-reader`],
      ]),
    ],
    () => [
      ifExists(d.pick(['StringEquals', 'StringNotEquals'])),
      'aws:PrincipalOrgID',
      d.pick([ORG, 'o-22222222']),
    ],
    () => [
      d.pick(['ForAnyValue:StringEquals', 'ForAllValues:StringEquals', 'ForAnyValue:StringLike']),
      'aws:CalledVia',
      d.pick<string | string[]>([
        'cloudformation.amazonaws.com',
        ['cloudformation.amazonaws.com', 'athena.amazonaws.com'],
        '*.amazonaws.com',
      ]),
    ],
  ];
  // Policy variables in condition values: ${aws:username} is absent for role sessions.
  templates.push(() => [
    ifExists(d.pick(['StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike'])),
    d.pick(['aws:PrincipalTag/team', 'aws:PrincipalArn']),
    d.pick(['${aws:username}', '*${aws:username}', '${aws:PrincipalTag/env}']),
  ]);
  if (forListBucket)
    templates.push(() => [
      ifExists(d.pick(['StringLike', 'StringEquals', 'StringNotLike'])),
      's3:prefix',
      d.pick<string | string[]>(['reports/*', 'home/${aws:username}/*', ['', 'home/']]),
    ]);
  const block: Record<string, Record<string, string | string[]>> = {};
  const clauses = d.int(1, effect === 'Deny' ? 1 : 2);
  for (let i = 0; i < clauses; i += 1) {
    const [operator, key, values] = d.pick(templates)();
    (block[operator] ??= {})[key] = values;
  }
  return block;
}

interface Request {
  readonly caller: Caller;
  readonly target: Target;
  readonly action: string;
  readonly owner: string;
}

/** One statement, biased towards naming the request (`aimed`) so that allows are common. */
function statement(
  d: Draw,
  r: Request,
  options: {
    effect?: 'Allow' | 'Deny';
    principal?: unknown;
    noResource?: boolean;
    conditions?: number;
    noNot?: boolean;
  } = {},
): Statement {
  const effect = options.effect ?? (d.chance(0.85) ? 'Allow' : 'Deny');
  const s: Statement = { Effect: effect };
  if (d.chance(0.2)) s.Sid = `S${d.int(1, 99)}`;
  if (options.principal !== undefined) s.Principal = options.principal;
  const actions = Array.from({ length: d.int(1, 3) }, () => actionPattern(d, r.action));
  const one = <T>(list: T[]): T | T[] => (list.length === 1 ? list[0]! : list);
  if (!options.noNot && d.chance(0.12)) s.NotAction = one([...new Set(actions)]);
  else s.Action = one([...new Set(actions)]);
  if (!options.noResource) {
    const resources = Array.from({ length: d.int(1, 2) }, () =>
      resourcePattern(d, r.target, r.owner, r.caller),
    );
    if (!options.noNot && d.chance(0.1)) s.NotResource = one([...new Set(resources)]);
    else s.Resource = one([...new Set(resources)]);
  }
  if (d.chance(options.conditions ?? 0.35))
    s.Condition = conditionBlock(d, r.action === 's3:ListBucket', effect);
  return s;
}

function document(statements: Statement[], d: Draw): Document {
  return {
    Version: '2012-10-17',
    Statement: statements.length === 1 && d.chance(0.3) ? statements[0]! : statements,
  };
}

function identityDocument(d: Draw, r: Request, count: number): Document {
  return document(
    Array.from({ length: count }, () => statement(d, r)),
    d,
  );
}

const FULL_ACCESS: Statement = { Effect: 'Allow', Action: '*', Resource: '*' };
const RCP_FULL_ACCESS: Statement = { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' };

function scpLevel(d: Draw, r: Request): Document[] {
  const docs: Document[] = [];
  if (d.chance(0.75)) docs.push({ Version: '2012-10-17', Statement: [FULL_ACCESS] });
  else docs.push(document([statement(d, r, { effect: 'Allow', conditions: 0.15 })], d));
  if (d.chance(0.2)) docs.push(document([statement(d, r, { effect: 'Deny', conditions: 0.6 })], d));
  return docs;
}

function rcpLevel(d: Draw, r: Request): Document[] {
  const docs: Document[] = [{ Version: '2012-10-17', Statement: [RCP_FULL_ACCESS] }];
  if (d.chance(0.5)) {
    const [service] = r.action.split(':') as [string];
    docs.push({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: d.pick([`${service}:*`, r.action, 's3:*']),
          Resource: '*',
          Condition: d.pick<Document>([
            { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': ORG } },
            { BoolIfExists: { 'aws:SecureTransport': 'false' } },
            { StringNotEquals: { 'aws:PrincipalAccount': HOME } },
          ]),
        },
      ],
    });
  }
  return docs;
}

function resourcePrincipal(d: Draw, caller: Caller, owner: string): unknown {
  const entry = (): string =>
    d.pick([
      caller.arn,
      caller.roleArn ?? caller.arn,
      `arn:aws:iam::${caller.account}:root`,
      caller.account,
      `arn:aws:iam::${owner}:root`,
      `arn:aws:iam::${HOME}:user/dev-alice`,
      `arn:aws:iam::${PARTNER}:role/partner-reader`,
      `arn:aws:iam::${HOME}:role/ci-deployer`,
    ]);
  if (d.chance(0.15)) return '*';
  if (d.chance(0.1)) return { AWS: '*' };
  const entries = Array.from({ length: d.int(1, 2) }, entry);
  return { AWS: entries.length === 1 ? entries[0]! : [...new Set(entries)] };
}

function resourceDocument(d: Draw, r: Request): Document {
  const trust = r.action === 'sts:AssumeRole';
  const statements = Array.from({ length: d.int(1, 3) }, () => {
    const s = statement(d, r, {
      principal: resourcePrincipal(d, r.caller, r.owner),
      noResource: trust,
      noNot: true,
    });
    // NotPrincipal is not allowed in role trust policies (IAM User Guide, NotPrincipal).
    if (d.chance(0.06) && s.Effect === 'Deny' && !trust) {
      s.NotPrincipal = s.Principal === '*' ? { AWS: r.caller.arn } : s.Principal;
      delete s.Principal;
    }
    return s;
  });
  return document(statements, d);
}

function context(d: Draw, r: Request): Record<string, string | string[]> {
  const c: Record<string, string | string[]> = {};
  if (d.chance(0.8))
    c['aws:SourceIp'] = d.pick(['203.0.113.7', '10.1.2.3', '198.51.100.9', '2001:db8::1']);
  if (d.chance(0.7)) c['aws:RequestedRegion'] = d.pick(['us-east-1', 'eu-west-1']);
  if (d.chance(0.6)) {
    const mfa = d.pick(['true', 'false']);
    c['aws:MultiFactorAuthPresent'] = mfa;
    if (mfa === 'true') c['aws:MultiFactorAuthAge'] = d.pick(['300', '7200']);
  }
  if (d.chance(0.6)) c['aws:SecureTransport'] = d.pick(['true', 'false']);
  if (d.chance(0.7))
    c['aws:CurrentTime'] = d.pick(['2026-03-01T12:00:00Z', '2025-06-01T00:00:00Z']);
  if (d.chance(0.6))
    c['aws:PrincipalOrgID'] = r.caller.account === HOME || d.chance(0.5) ? ORG : 'o-22222222';
  if (d.chance(0.2))
    c['aws:CalledVia'] = d.pick([['cloudformation.amazonaws.com'], ['athena.amazonaws.com']]);
  if (r.target.serviceKeys === 'list-bucket' && d.chance(0.7))
    c['s3:prefix'] = d.pick(['reports/2026/', 'home/dev-alice/', 'home/']);
  return c;
}

/** Draws one case. */
export function generateCase(d: Draw, index: number): EvalCase {
  const caller = d.pick(CALLERS);
  const target = d.pick(TARGETS);
  const action = d.pick(target.actions);
  // Most requests are within the caller's account; a third go to the other account.
  const owner =
    target.arn(HOME) === '*' || target.actions.includes('iam:PassRole')
      ? caller.account
      : d.chance(0.65)
        ? caller.account
        : caller.account === HOME
          ? PARTNER
          : HOME;
  const r: Request = { caller, target, action, owner };
  const evalCase: EvalCase = {
    name: `random #${index}`,
    request: {
      principal: caller.arn,
      action,
      resource: target.arn(owner),
      ...(target.s3 ? { resourceAccount: owner } : {}),
      context: context(d, r),
    },
    identityPolicies: Array.from({ length: d.pick([0, 1, 1, 1, 2, 2, 3]) }, () =>
      identityDocument(d, r, d.int(1, 3)),
    ),
  };
  if (d.chance(0.4))
    evalCase.principalTags = d.pick<Record<string, string>>([
      { team: 'payments' },
      { team: 'analytics', env: 'prod' },
      { team: 'Payments' },
    ]);
  if (d.chance(0.25)) evalCase.permissionBoundary = identityDocument(d, r, d.int(1, 2));
  if (caller.roleArn && d.chance(0.12)) evalCase.sessionPolicy = identityDocument(d, r, 1);
  if (d.chance(0.4)) evalCase.scps = Array.from({ length: d.int(1, 3) }, () => scpLevel(d, r));
  if (d.chance(0.12)) evalCase.rcps = Array.from({ length: d.int(1, 2) }, () => rcpLevel(d, r));
  const crossAccount = owner !== caller.account;
  const policyChance =
    target.resourcePolicy === 'required'
      ? 1
      : target.resourcePolicy === 'none'
        ? 0
        : crossAccount
          ? 0.85
          : 0.45;
  if (d.chance(policyChance)) evalCase.resourcePolicy = resourceDocument(d, r);
  return evalCase;
}

/** Draws `count` cases from `seed`. */
export function generateCases(seed: number, count: number): EvalCase[] {
  const d = new Draw(seededRandom(seed));
  return Array.from({ length: count }, (_, i) => generateCase(d, i + 1));
}

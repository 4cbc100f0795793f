import { describe, expect, it } from 'vitest';
import { analyzeAccess } from '../index.js';
import { ADMIN_ACCESS, TestEstate, allow, doc, trust } from '../../test-support/estate.js';
import { describeTechniques } from '../../test-support/escalation-case.js';

const ACCOUNT = '111122223333';
const arn = (kind: string, name: string): string => `arn:aws:iam::${ACCOUNT}:${kind}/${name}`;
const ALL = ['missing-permission', 'resource-mismatch', 'deny', 'boundary', 'scp'] as const;

/** A role anyone in the account may assume, holding `policies`. */
function roleOfAccount(estate: TestEstate, name: string, attached: string[] = []): string {
  return estate.role(name, { trust: trust({ AWS: estate.root }), attached });
}

describeTechniques('IAM self-escalation', [
  {
    technique: 'iam-001',
    actor: {
      type: 'user',
      statements: [allow('iam:CreatePolicyVersion', arn('policy', 'dev-self-service'))],
      attached: (e) => [e.policy('dev-self-service', [doc(allow('s3:ListAllMyBuckets'))])],
    },
    setup: (_e, actor) => actor,
    twins: ALL,
  },
  {
    technique: 'iam-set-default-policy-version',
    actor: {
      type: 'user',
      statements: [allow('iam:SetDefaultPolicyVersion', arn('policy', 'ops-tools'))],
      attached: (e) => [
        e.policy('ops-tools', [doc(allow('*')), doc(allow('ec2:DescribeInstances'))], 2),
      ],
    },
    setup: (_e, actor) => actor,
    twins: ['missing-permission', 'resource-mismatch', 'deny', 'boundary', 'scp'],
  },
  {
    technique: 'iam-005',
    actor: {
      type: 'role',
      name: 'app',
      statements: [allow('iam:PutRolePolicy', arn('role', 'app'))],
    },
    setup: (_e, actor) => actor,
    twins: ALL,
  },
  {
    technique: 'iam-007',
    actor: {
      type: 'user',
      statements: [allow('iam:PutUserPolicy', 'arn:aws:iam::*:user/${aws:username}')],
    },
    setup: (_e, actor) => actor,
    twins: ALL,
  },
  {
    technique: 'iam-008',
    actor: {
      type: 'user',
      name: 'attacher',
      statements: [allow('iam:AttachUserPolicy', arn('user', 'attacher'))],
    },
    setup: (_e, actor) => actor,
    twins: ALL,
  },
  {
    technique: 'iam-009',
    actor: {
      type: 'role',
      name: 'worker',
      statements: [allow('iam:AttachRolePolicy', arn('role', 'worker'))],
    },
    setup: (_e, actor) => actor,
    twins: ALL,
  },
  {
    technique: 'iam-010',
    actor: {
      type: 'user',
      groups: ['team'],
      statements: [allow('iam:AttachGroupPolicy', arn('group', 'team'))],
    },
    setup: (e, actor) => {
      e.group('team');
      return actor;
    },
    twins: ALL,
  },
  {
    technique: 'iam-011',
    actor: {
      type: 'user',
      groups: ['team'],
      statements: [allow('iam:PutGroupPolicy', arn('group', 'team'))],
    },
    setup: (e, actor) => {
      e.group('team');
      return actor;
    },
    twins: ALL,
  },
  {
    technique: 'iam-013',
    actor: { type: 'user', statements: [allow('iam:AddUserToGroup', arn('group', 'admins'))] },
    setup: (e, actor) => {
      e.group('admins', { attached: [ADMIN_ACCESS] });
      return actor;
    },
    twins: [
      ...ALL,
      {
        name: 'the group is not privileged',
        replaceSetup: true,
        setup: (e) => {
          e.group('admins', { inline: [doc(allow('s3:ListAllMyBuckets'))] });
        },
      },
    ],
  },
  {
    technique: 'iam-022',
    actor: {
      type: 'user',
      name: 'sandboxed',
      statements: [allow('iam:DeleteUserPermissionsBoundary', arn('user', 'sandboxed'))],
      // Everything but the boundary removal itself, which only the inline statement grants.
      attached: (e) => [
        e.policy('almost-admin', [
          doc({ Effect: 'Allow', NotAction: 'iam:DeleteUserPermissionsBoundary', Resource: '*' }),
        ]),
      ],
      boundary: (e) =>
        e.policy('sandbox-boundary', [doc(allow(['s3:*', 'iam:DeleteUserPermissionsBoundary']))]),
    },
    setup: (_e, actor) => actor,
    twins: ['missing-permission', 'resource-mismatch', 'deny', 'scp'],
  },
  {
    technique: 'iam-022-role',
    actor: {
      type: 'role',
      name: 'sandboxed-role',
      statements: [allow('iam:DeleteRolePermissionsBoundary', arn('role', 'sandboxed-role'))],
      attached: (e) => [
        e.policy('almost-admin-role', [
          doc({ Effect: 'Allow', NotAction: 'iam:DeleteRolePermissionsBoundary', Resource: '*' }),
        ]),
      ],
      boundary: (e) =>
        e.policy('role-sandbox-boundary', [
          doc(allow(['s3:*', 'iam:DeleteRolePermissionsBoundary'])),
        ]),
    },
    setup: (_e, actor) => actor,
    twins: ['missing-permission', 'resource-mismatch', 'deny', 'scp'],
  },
]);

describeTechniques('IAM principal access', [
  {
    technique: 'iam-002',
    actor: { type: 'user', statements: [allow('iam:CreateAccessKey', arn('user', 'admin'))] },
    setup: (e) => e.user('admin', { attached: [ADMIN_ACCESS], keys: 1 }),
    twins: [
      ...ALL,
      {
        name: 'the target already has two keys',
        replaceSetup: true,
        setup: (e) => {
          e.user('admin', { attached: [ADMIN_ACCESS], keys: 2 });
        },
      },
    ],
  },
  {
    name: 'iam-002 without a credential report',
    technique: 'iam-002',
    conditional: true,
    actor: { type: 'user', statements: [allow('iam:CreateAccessKey', arn('user', 'admin'))] },
    setup: (e) => e.user('admin', { attached: [ADMIN_ACCESS] }),
  },
  {
    technique: 'iam-003',
    actor: {
      type: 'user',
      statements: [allow(['iam:CreateAccessKey', 'iam:DeleteAccessKey'], arn('user', 'admin'))],
    },
    setup: (e) => e.user('admin', { attached: [ADMIN_ACCESS], keys: 2 }),
    twins: [...ALL],
  },
  {
    technique: 'iam-004',
    actor: { type: 'user', statements: [allow('iam:CreateLoginProfile', arn('user', 'admin'))] },
    setup: (e) => e.user('admin', { attached: [ADMIN_ACCESS], password: false }),
    twins: [
      ...ALL,
      {
        name: 'the target already has a password',
        replaceSetup: true,
        setup: (e) => {
          e.user('admin', { attached: [ADMIN_ACCESS], password: true });
        },
      },
    ],
  },
  {
    technique: 'iam-006',
    actor: { type: 'user', statements: [allow('iam:UpdateLoginProfile', arn('user', 'admin'))] },
    setup: (e) => e.user('admin', { attached: [ADMIN_ACCESS], password: true }),
    twins: [
      ...ALL,
      {
        name: 'the target has no password',
        replaceSetup: true,
        setup: (e) => {
          e.user('admin', { attached: [ADMIN_ACCESS], password: false });
        },
      },
    ],
  },
  {
    technique: 'iam-012',
    actor: {
      type: 'user',
      statements: [allow('iam:UpdateAssumeRolePolicy', arn('role', 'deploy-admin'))],
    },
    setup: (e) =>
      e.role('deploy-admin', {
        trust: trust({ Service: 'codepipeline.amazonaws.com' }),
        attached: [ADMIN_ACCESS],
      }),
    twins: ALL,
  },
  {
    technique: 'iam-014',
    actor: {
      type: 'user',
      statements: [allow(['iam:AttachRolePolicy', 'sts:AssumeRole'], arn('role', 'reader'))],
    },
    setup: (e) => roleOfAccount(e, 'reader'),
    twins: ALL,
  },
  {
    technique: 'iam-015',
    actor: {
      type: 'user',
      statements: [allow(['iam:AttachUserPolicy', 'iam:CreateAccessKey'], arn('user', 'intern'))],
    },
    setup: (e) => e.user('intern', { keys: 0 }),
    twins: ALL,
  },
  {
    technique: 'iam-016',
    actor: {
      type: 'user',
      statements: [
        allow('iam:CreatePolicyVersion', arn('policy', 'reader-policy')),
        allow('sts:AssumeRole', arn('role', 'reader')),
      ],
    },
    setup: (e) =>
      roleOfAccount(e, 'reader', [e.policy('reader-policy', [doc(allow('s3:GetObject'))])]),
    twins: ALL,
  },
  {
    technique: 'iam-017',
    actor: {
      type: 'user',
      statements: [allow(['iam:PutRolePolicy', 'sts:AssumeRole'], arn('role', 'reader'))],
    },
    setup: (e) => roleOfAccount(e, 'reader'),
    twins: ALL,
  },
  {
    technique: 'iam-018',
    actor: {
      type: 'user',
      statements: [allow(['iam:PutUserPolicy', 'iam:CreateAccessKey'], arn('user', 'intern'))],
    },
    setup: (e) => e.user('intern', { keys: 1 }),
    twins: ALL,
  },
  {
    technique: 'iam-019',
    actor: {
      type: 'user',
      statements: [
        allow(['iam:AttachRolePolicy', 'iam:UpdateAssumeRolePolicy'], arn('role', 'batch')),
      ],
    },
    setup: (e) => e.role('batch', { trust: trust({ Service: 'batch.amazonaws.com' }) }),
    twins: ALL,
  },
  {
    technique: 'iam-020',
    actor: {
      type: 'user',
      statements: [
        allow('iam:CreatePolicyVersion', arn('policy', 'batch-policy')),
        allow('iam:UpdateAssumeRolePolicy', arn('role', 'batch')),
      ],
    },
    setup: (e) =>
      e.role('batch', {
        trust: trust({ Service: 'batch.amazonaws.com' }),
        attached: [e.policy('batch-policy', [doc(allow('s3:GetObject'))])],
      }),
    twins: ALL,
  },
  {
    technique: 'iam-021',
    actor: {
      type: 'user',
      statements: [
        allow(['iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy'], arn('role', 'batch')),
      ],
    },
    setup: (e) => e.role('batch', { trust: trust({ Service: 'batch.amazonaws.com' }) }),
    twins: ALL,
  },
  {
    technique: 'iam-023',
    actor: {
      type: 'user',
      statements: [
        allow(['sts:AssumeRole', 'iam:DeleteRolePermissionsBoundary'], arn('role', 'bounded')),
      ],
    },
    setup: (e) =>
      e.role('bounded', {
        trust: trust({ AWS: e.root }),
        attached: [ADMIN_ACCESS],
        boundary: e.policy('bounded-boundary', [doc(allow('s3:*'))]),
      }),
    twins: ALL,
  },
  {
    technique: 'sts-001',
    actor: { type: 'user', statements: [allow('sts:AssumeRole', arn('role', 'break-glass'))] },
    setup: (e) => roleOfAccount(e, 'break-glass', [ADMIN_ACCESS]),
    twins: ALL,
  },
]);

describe('sts:AssumeRole prerequisites', () => {
  it('a same-account trust naming the user needs no identity permission; one naming the account root does', async () => {
    const estate = new TestEstate(ACCOUNT);
    const named = estate.user('named');
    const other = estate.user('other');
    estate.role('direct-admin', { trust: trust({ AWS: named }), attached: [ADMIN_ACCESS] });
    estate.role('root-trusting-admin', {
      trust: trust({ AWS: estate.root }),
      attached: [ADMIN_ACCESS],
    });
    const analysis = analyzeAccess(await estate.snapshot());
    expect(analysis.escalations.get(named)?.target).toBe(arn('role', 'direct-admin'));
    expect(analysis.escalations.get(other)).toBeUndefined();
  });

  it('crosses accounts only where both the trust and the caller allow it', async () => {
    const dev = new TestEstate('222233334444');
    const prod = new TestEstate(ACCOUNT);
    const allowed = dev.user('ci', {
      inline: [doc(allow('sts:AssumeRole', arn('role', 'prod-deploy')))],
    });
    const notAllowed = dev.user('dev');
    prod.role('prod-deploy', {
      trust: trust({ AWS: 'arn:aws:iam::222233334444:root' }),
      attached: [ADMIN_ACCESS],
    });
    const analysis = analyzeAccess(await dev.snapshot(prod));
    expect(analysis.escalations.get(allowed)?.path.map((s) => [s.technique, s.to])).toEqual([
      ['sts-001', arn('role', 'prod-deploy')],
    ]);
    expect(analysis.escalations.get(notAllowed)).toBeUndefined();
  });

  it('chains several hops and reports the shortest path step by step', async () => {
    const estate = new TestEstate(ACCOUNT);
    const start = estate.user('support', {
      inline: [doc(allow('sts:AssumeRole', arn('role', 'helpdesk')))],
    });
    estate.role('helpdesk', {
      trust: trust({ AWS: estate.root }),
      inline: [doc(allow('iam:CreateAccessKey', arn('user', 'ops-admin')))],
    });
    estate.user('ops-admin', { attached: [ADMIN_ACCESS], keys: 0 });
    const analysis = analyzeAccess(await estate.snapshot());
    const escalation = analysis.escalations.get(start);
    expect(escalation?.path.map((s) => [s.from, s.technique, s.to])).toEqual([
      [start, 'sts-001', arn('role', 'helpdesk')],
      [arn('role', 'helpdesk'), 'iam-002', arn('user', 'ops-admin')],
    ]);
    expect(escalation?.conditional).toBe(false);
  });
});

describe('what the attacker chooses, and how much is kept', () => {
  it('picks an allowed region: a region-restricting SCP does not make a step conditional', async () => {
    const estate = new TestEstate(ACCOUNT);
    const user = estate.user('deployer', {
      inline: [doc(allow('sts:AssumeRole', arn('role', 'break-glass')))],
    });
    roleOfAccount(estate, 'break-glass', [ADMIN_ACCESS]);
    estate.scp(
      doc({
        Effect: 'Deny',
        NotAction: ['iam:*', 'sts:GetCallerIdentity'],
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1', 'eu-central-1'] } },
      }),
    );
    const analysis = analyzeAccess(await estate.snapshot());
    expect(analysis.escalations.get(user)).toMatchObject({
      conditional: false,
      target: arn('role', 'break-glass'),
    });
  });

  it('keeps the best path and at most three alternatives for an actor that reaches many admins', async () => {
    const estate = new TestEstate(ACCOUNT);
    const user = estate.user('ops', { inline: [doc(allow('sts:AssumeRole'))] });
    for (const name of ['admin-a', 'admin-b', 'admin-c', 'admin-d', 'admin-e'])
      roleOfAccount(estate, name, [ADMIN_ACCESS]);
    const analysis = analyzeAccess(await estate.snapshot());
    expect(analysis.escalations.get(user)?.path.map((s) => [s.technique, s.to])).toEqual([
      ['sts-001', arn('role', 'admin-a')],
    ]);
    expect(analysis.leading.get(user)?.length).toBe(3);
  });
});

describe('what is not an escalation', () => {
  it('CreatePolicyVersion on a policy attached to someone else is not self-escalation', async () => {
    const estate = new TestEstate(ACCOUNT);
    const policy = estate.policy('team-policy', [doc(allow('s3:ListAllMyBuckets'))]);
    const actor = estate.user('versioner', {
      inline: [doc(allow('iam:CreatePolicyVersion', policy))],
    });
    estate.user('teammate', { attached: [policy] });
    const analysis = analyzeAccess(await estate.snapshot());
    expect(analysis.status.get(actor)?.admin).toBe(false);
    expect(analysis.leading.get(actor) ?? []).toEqual([]);
  });

  it('a user that may PutRolePolicy on a role it cannot become does not escalate', async () => {
    const estate = new TestEstate(ACCOUNT);
    const user = estate.user('policy-writer', {
      inline: [doc(allow('iam:PutRolePolicy', arn('role', 'lambda-runner')))],
    });
    estate.role('lambda-runner', { trust: trust({ Service: 'lambda.amazonaws.com' }) });
    const analysis = analyzeAccess(await estate.snapshot());
    expect(analysis.escalations.get(user)).toBeUndefined();
    expect(analysis.status.get(user)?.admin).toBe(false);
  });

  it('a condition the data cannot decide keeps the path and marks it conditional', async () => {
    const estate = new TestEstate(ACCOUNT);
    const user = estate.user('mfa-user', {
      inline: [
        doc(
          allow('sts:AssumeRole', arn('role', 'break-glass'), {
            Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
          }),
        ),
      ],
    });
    roleOfAccount(estate, 'break-glass', [ADMIN_ACCESS]);
    const analysis = analyzeAccess(await estate.snapshot());
    expect(analysis.escalations.get(user)).toMatchObject({
      conditional: true,
      target: arn('role', 'break-glass'),
    });
  });
});

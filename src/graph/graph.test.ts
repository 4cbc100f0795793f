import { describe, expect, it } from 'vitest';
import { ADMIN_ACCESS, TestEstate, allow, doc, trust } from '../test-support/estate.js';
import { analyzeAccess, buildAccessGraph } from './index.js';

const ACCOUNT = '111122223333';
const iam = (kind: string, name: string): string => `arn:aws:iam::${ACCOUNT}:${kind}/${name}`;

describe('access graph', () => {
  it('holds principals, policies, compute, outside accounts, providers, services and anyone', async () => {
    const estate = new TestEstate(ACCOUNT);
    const deployer = estate.user('deployer', {
      groups: ['builders'],
      inline: [
        doc(
          allow('iam:PassRole', iam('role', 'fn-admin')),
          allow(['lambda:CreateFunction', 'lambda:InvokeFunction']),
        ),
      ],
    });
    estate.group('builders', { attached: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] });
    const fnAdmin = estate.role('fn-admin', {
      trust: trust({ Service: 'lambda.amazonaws.com' }),
      attached: [ADMIN_ACCESS],
    });
    estate.role('partner', {
      trust: trust(
        { AWS: 'arn:aws:iam::999988887777:root' },
        {
          Condition: { StringEquals: { 'sts:ExternalId': 'x-123' } },
        },
      ),
    });
    estate.role('github', {
      trust: doc({
        Effect: 'Allow',
        Principal: {
          Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
        },
        Action: 'sts:AssumeRoleWithWebIdentity',
      }),
    });
    estate.role('open', { trust: trust('*') });
    const fn = estate.resource(
      'AWS::Lambda::Function',
      'arn:aws:lambda:us-east-1:111122223333:function:f',
      {
        role: fnAdmin,
      },
    );
    const graph = buildAccessGraph(analyzeAccess(await estate.snapshot()));
    const kinds = new Map(graph.nodes.map((n) => [n.id, n.kind]));
    expect(kinds.get(deployer)).toBe('user');
    expect(kinds.get(iam('group', 'builders'))).toBe('group');
    expect(kinds.get('arn:aws:iam::aws:policy/ReadOnlyAccess')).toBe('policy');
    expect(kinds.get(fn)).toBe('compute');
    expect(kinds.get('account:999988887777')).toBe('external-account');
    expect(kinds.get('service:lambda.amazonaws.com')).toBe('service');
    expect(
      kinds.get(
        `provider:arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
      ),
    ).toBe('provider');
    expect(kinds.get('anyone')).toBe('anyone');
    expect(graph.nodes.find((n) => n.id === fnAdmin)?.admin).toBe(true);

    const has = (from: string, to: string, kind: string): boolean =>
      graph.edges.some((e) => e.from === from && e.to === to && e.kind === kind);
    expect(has(deployer, iam('group', 'builders'), 'member-of')).toBe(true);
    expect(has(fn, fnAdmin, 'runs-as')).toBe(true);
    expect(has(deployer, fnAdmin, 'can-pass-role')).toBe(true);
    expect(has('account:999988887777', iam('role', 'partner'), 'can-assume')).toBe(true);
    expect(graph.edges.find((e) => e.to === iam('role', 'partner'))?.conditional).toBe(true);
    expect(has('anyone', iam('role', 'open'), 'can-assume')).toBe(true);
    const technique = graph.edges.find((e) => e.kind === 'technique' && e.from === deployer);
    expect(technique).toMatchObject({ to: fnAdmin, technique: 'lambda-001', conditional: false });
    expect(technique?.statements?.length).toBeGreaterThan(0);
  });
});

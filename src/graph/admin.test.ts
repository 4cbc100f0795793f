/**
 * Admin classification on the pathfinding-labs tool-testing scenario
 * "test-effective-permissions-evaluation": 15 principals are admin and 24 are not, through single
 * and split policies, groups, denies (including NotAction) and permissions boundaries. Our fixture
 * reconstructs each principal's policies from the scenario's descriptions (the upstream Terraform
 * is not redistributed); the labels are in the principal names, and, when the corpus is present,
 * the fixture is checked to hold exactly the scenario's principals.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapAuthorizationDetails } from '../ingest/authz-details.js';
import { resolveAwsManagedPolicies } from '../ingest/aws-managed-policies.js';
import { buildSnapshot } from '../ingest/build-snapshot.js';
import { corpusPath, describeWithCorpus, repoRoot } from '../test-support/corpus.js';
import { ADMIN_ACCESS, TestEstate, allow, deny, doc, trust } from '../test-support/estate.js';
import { analyzeAccess } from './index.js';

const FIXTURE = join(repoRoot, 'src/graph/fixtures/effective-permissions-evaluation.authz.json');
const SCENARIO = [
  'pathfinding-labs',
  'modules',
  'scenarios',
  'tool-testing',
  'test-effective-permissions-evaluation',
  'scenario.yaml',
];

async function fixtureAnalysis() {
  const json: unknown = JSON.parse(readFileSync(FIXTURE, 'utf8'));
  const snapshot = await buildSnapshot([mapAuthorizationDetails(json, FIXTURE)], {
    resolveAwsManagedPolicies,
  });
  return { snapshot, analysis: analyzeAccess(snapshot) };
}

describe('admin classification: effective-permissions scenario', () => {
  it('classifies every labelled principal as its label says', async () => {
    const { snapshot, analysis } = await fixtureAnalysis();
    const labelled = snapshot.principals.filter((p) => /-(isAdmin|notAdmin)-/.test(p.name));
    expect(labelled).toHaveLength(39);
    const wrong = labelled.filter(
      (p) => (analysis.status.get(p.arn)?.admin ?? false) !== p.name.includes('-isAdmin-'),
    );
    expect(wrong.map((p) => p.name)).toEqual([]);
    const starting = snapshot.principals.find((p) => p.name === 'pl-prod-epe-starting-user')!;
    expect(analysis.status.get(starting.arn)?.admin).toBe(false);
  });

  it('finds the starting user reaching the admin roles by sts:AssumeRole', async () => {
    const { snapshot, analysis } = await fixtureAnalysis();
    const starting = snapshot.principals.find((p) => p.name === 'pl-prod-epe-starting-user')!;
    const escalation = analysis.escalations.get(starting.arn);
    expect(escalation?.path.map((s) => s.technique)).toEqual(['sts-001']);
    expect(escalation?.target).toMatch(/role\/pl-prod-epe-role-isAdmin-/);
  });
});

describeWithCorpus('admin classification: scenario principals', SCENARIO, () => {
  it('the fixture holds exactly the principals of the scenario', async () => {
    const yaml = readFileSync(corpusPath(...SCENARIO), 'utf8');
    const named = [...yaml.matchAll(/"arn:aws:iam::\{account_id\}:(user|role)\/([^"]+)"/g)].map(
      (m) => `${m[1]}/${m[2]}`,
    );
    const { snapshot } = await fixtureAnalysis();
    const ours = snapshot.principals
      .filter((p) => p.type === 'user' || p.type === 'role')
      .map((p) => `${p.type}/${p.name}`);
    expect([...new Set(named)].sort()).toEqual(ours.sort());
  });
});

describe('admin classification: edge cases', () => {
  it('ignores SCP denies (the account ceiling) but not identity denies or boundaries', async () => {
    const estate = new TestEstate();
    const scpLimited = estate.user('scp-limited', { attached: [ADMIN_ACCESS] });
    const denied = estate.user('denied', {
      attached: [ADMIN_ACCESS],
      inline: [doc(deny('organizations:LeaveOrganization'))],
    });
    const resourceDeny = estate.user('resource-deny', {
      attached: [ADMIN_ACCESS],
      inline: [doc(deny('s3:DeleteBucket', 'arn:aws:s3:::audit-logs'))],
    });
    estate.scp(doc(deny('organizations:LeaveOrganization')));
    const analysis = analyzeAccess(await estate.snapshot());
    expect(analysis.status.get(scpLimited)).toMatchObject({ admin: true, kind: 'full' });
    expect(analysis.status.get(denied)?.admin).toBe(false);
    // A deny on one resource leaves "every action on every resource" only nominally broken:
    // the scenario's definition ignores resource denies, and so do we.
    expect(analysis.status.get(resourceDeny)?.admin).toBe(true);
  });

  it('marks admin under an undecidable condition as conditional, and a condition false for the principal as not admin', async () => {
    const estate = new TestEstate();
    const mfa = estate.user('mfa-admin', {
      inline: [
        doc(allow('*', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })),
      ],
    });
    const tagged = estate.role('tagged-admin', {
      trust: trust({ AWS: estate.root }),
      inline: [
        doc(
          allow('*', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'platform' } } }),
        ),
      ],
    });
    const analysis = analyzeAccess(await estate.snapshot());
    expect(analysis.status.get(mfa)).toMatchObject({ admin: true, conditional: true });
    expect(analysis.status.get(tagged)?.admin).toBe(false);
  });

  it('never decides by policy name', async () => {
    const estate = new TestEstate();
    const fake = estate.policy('AdministratorAccess', [doc(allow('s3:ListAllMyBuckets'))]);
    const user = estate.user('named-admin', { attached: [fake] });
    const analysis = analyzeAccess(await estate.snapshot());
    expect(analysis.status.get(user)?.admin).toBe(false);
  });

  it('decides token-time and current-time conditions with the evaluation time', async () => {
    const estate = new TestEstate();
    const versioned = (name: string, operator: string) =>
      estate.policy(`${name}-policy`, [
        doc(
          allow('iam:CreatePolicyVersion', `arn:aws:iam::111122223333:policy/${name}-policy`, {
            Condition: { [operator]: { 'aws:TokenIssueTime': '2020-01-01T00:00:01Z' } },
          }),
        ),
      ]);
    const after = estate.user('after-2020', {
      attached: [versioned('after-2020', 'DateGreaterThan')],
    });
    const before = estate.user('before-2020', {
      attached: [versioned('before-2020', 'DateLessThan')],
    });
    const snapshot = await estate.snapshot();
    const analysis = analyzeAccess(snapshot, { asOf: '2026-11-24T00:00:00Z' });
    expect(analysis.status.get(after)).toMatchObject({
      admin: true,
      kind: 'self-grant',
      conditional: false,
    });
    expect(analysis.status.get(before)?.admin).toBe(false);
    // Seven years earlier the answers swap.
    const past = analyzeAccess(snapshot, { asOf: '2019-06-01T00:00:00Z' });
    expect(past.status.get(after)?.admin).toBe(false);
    expect(past.status.get(before)?.admin).toBe(true);
  });
});

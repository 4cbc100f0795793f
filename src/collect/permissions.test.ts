/**
 * The documented read-only policy (samples/aws, docs/aws-setup.md) allows every AWS call the
 * collector makes. The calls are read from the collector's source (each `new XCommand(` and the
 * client package it comes from), not listed by hand, so a new call without its permission fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { accessLevelOf, compileWildcard, isKnownAction } from '../catalog/index.js';
import { repoRoot } from '../test-support/corpus.js';

const COLLECT = join(repoRoot, 'src', 'collect');
/** `usage --athena` is documented on its own (docs/formats.md, "Athena"); it is not `collect`. */
const NOT_COLLECT = new Set(['athena-usage.ts']);

/** The IAM service prefix of each SDK client package. */
const PREFIX: Record<string, string> = {
  'client-iam': 'iam',
  'client-sts': 'sts',
  'client-organizations': 'organizations',
  'client-ec2': 'ec2',
  'client-s3': 's3',
  'client-s3-control': 's3control',
  'client-kms': 'kms',
  'client-sqs': 'sqs',
  'client-sns': 'sns',
  'client-secrets-manager': 'secretsmanager',
  'client-lambda': 'lambda',
  'client-ecr': 'ecr',
  'client-ecs': 'ecs',
  'client-glue': 'glue',
  'client-sagemaker': 'sagemaker',
  'client-codebuild': 'codebuild',
  'client-cloudformation': 'cloudformation',
  'client-dynamodb': 'dynamodb',
};

/** API operations whose IAM action has another name (Service Authorization Reference). */
const ACTION_OF: Record<string, string> = {
  's3:ListBuckets': 's3:ListAllMyBuckets',
  's3:GetPublicAccessBlock': 's3:GetBucketPublicAccessBlock',
  's3:ListObjectsV2': 's3:ListBucket',
  's3control:GetPublicAccessBlock': 's3:GetAccountPublicAccessBlock',
};

/** Calls the SDK makes for the collector without a command in its source. */
const INDIRECT = [
  // fromTemporaryCredentials assumes the member role (collect.ts).
  'sts:AssumeRole',
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? entry.name === 'fixtures'
        ? []
        : sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts') &&
          !entry.name.endsWith('.test.ts') &&
          !NOT_COLLECT.has(entry.name)
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Every `service:Operation` the collector's source sends. */
function callsInSource(): Map<string, string> {
  const calls = new Map<string, string>();
  for (const file of sourceFiles(COLLECT)) {
    const text = readFileSync(file, 'utf8');
    const packageOf = new Map<string, string>();
    for (const match of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/([\w-]+)'/g)) {
      for (const name of match[1]!.split(',').map((n) => n.replace(/^type\s+/, '').trim()))
        if (name) packageOf.set(name, match[2]!);
    }
    for (const match of text.matchAll(/new (\w+)Command\(/g)) {
      const pkg = packageOf.get(`${match[1]}Command`);
      if (!pkg)
        throw new Error(
          `${relative(repoRoot, file)}: ${match[1]}Command is not imported from an @aws-sdk client`,
        );
      const prefix = PREFIX[pkg];
      if (!prefix) throw new Error(`${relative(repoRoot, file)}: add ${pkg} to PREFIX`);
      const operation = `${prefix}:${match[1]}`;
      calls.set(ACTION_OF[operation] ?? operation, relative(repoRoot, file));
    }
  }
  for (const action of INDIRECT) calls.set(action, 'src/collect/collect.ts');
  return calls;
}

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
}

function allowedActions(statements: readonly Statement[]): RegExp[] {
  return statements
    .filter((s) => s.Effect === 'Allow')
    .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
    .map((pattern) => compileWildcard(pattern.toLowerCase()));
}

const policy = JSON.parse(
  readFileSync(join(repoRoot, 'samples', 'aws', 'iamsight-collector-policy.json'), 'utf8'),
) as { Statement: Statement[] };
const template = parse(
  readFileSync(join(repoRoot, 'samples', 'aws', 'iamsight-readonly-stackset.yaml'), 'utf8'),
  // CloudFormation's short tags (!Ref, !Sub) are not YAML the parser knows; their values are kept.
  { logLevel: 'silent' },
) as {
  Resources: {
    IamsightReadOnlyRole: {
      Properties: { Policies: { PolicyDocument: { Statement: Statement[] } }[] };
    };
  };
};
const memberStatements = template.Resources.IamsightReadOnlyRole.Properties.Policies.flatMap(
  (p) => p.PolicyDocument.Statement,
);

describe('the documented permissions', () => {
  const calls = callsInSource();

  it('finds the collector’s calls in its source', () => {
    expect(calls.size).toBeGreaterThan(40);
    expect(calls.get('iam:GetAccountAuthorizationDetails')).toBe('src/collect/iam.ts');
  });

  it('the collector policy allows every call the collector makes', () => {
    const allowed = allowedActions(policy.Statement);
    const missing = [...calls.keys()].filter((a) => !allowed.some((p) => p.test(a.toLowerCase())));
    expect(missing).toEqual([]);
  });

  it('the member-account role of the StackSet allows every call made inside a member account', () => {
    const allowed = allowedActions(memberStatements);
    // Organizations, role assumption and the CloudTrail bucket are the collector account's calls.
    const inMember = [...calls.keys()].filter(
      (a) =>
        !a.startsWith('organizations:') &&
        a !== 'sts:AssumeRole' &&
        a !== 's3:GetObject' &&
        a !== 's3:ListBucket',
    );
    const missing = inMember.filter((a) => !allowed.some((p) => p.test(a.toLowerCase())));
    expect(missing).toEqual([]);
  });

  it('grants only real, read-only actions, and none the collector does not call', () => {
    const granted = [...policy.Statement, ...memberStatements].flatMap((s) =>
      Array.isArray(s.Action) ? s.Action : [s.Action],
    );
    expect(granted.filter((a) => !isKnownAction(a))).toEqual([]);
    expect(granted.filter((a) => a.includes('*'))).toEqual([]);
    // sts:AssumeRole is the one write-level action: it is how the collector enters member accounts.
    expect(
      [...new Set(granted)].filter(
        (a) => !['Read', 'List'].includes(accessLevelOf(a) ?? '') && a !== 'sts:AssumeRole',
      ),
    ).toEqual([]);
    expect(
      [...new Set(granted)].filter((a) => !calls.has(a) && a !== 'sts:GetCallerIdentity'),
    ).toEqual([]);
  });
});

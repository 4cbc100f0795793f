/**
 * Access graph and escalation: admin classification, every principal's shortest escalation path
 * and the graph, for generated organizations of 1,000 and 10,000 principals (with resources),
 * each size in a fresh process (time and peak RSS; import time reported apart). Target at 10,000:
 * ≤ 10 s and < 2 GB on 2 cores.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild } from './child.js';
import { generateOrganization, writeSnapshotFolder } from '../src/generate/index.js';
import type * as GraphModule from '../src/graph/index.js';
import type * as AuthzModule from '../src/ingest/authz-details.js';
import type * as ManagedModule from '../src/ingest/aws-managed-policies.js';
import type * as BuildModule from '../src/ingest/build-snapshot.js';
import type * as LoadInputsModule from '../src/ingest/load-inputs.js';

/** The measured code is the compiled dist/ (`npm run bench` builds it first). */
const dist = new URL('../dist/', import.meta.url);
const load = <T>(path: string): Promise<T> => import(new URL(path, dist).href) as Promise<T>;

async function child(dir: string): Promise<void> {
  const { loadSnapshot } = await load<typeof LoadInputsModule>('ingest/load-inputs.js');
  const { analyzeAccess, buildAccessGraph } = await load<typeof GraphModule>('graph/index.js');
  const loadStarted = performance.now();
  const snapshot = await loadSnapshot({ snapshots: [dir] });
  const loadMs = performance.now() - loadStarted;
  const started = performance.now();
  const analysis = analyzeAccess(snapshot);
  const analysisMs = performance.now() - started;
  const graphStarted = performance.now();
  const graph = buildAccessGraph(analysis);
  const graphMs = performance.now() - graphStarted;
  const admins = [...analysis.status.values()].filter((s) => s.admin);
  process.stdout.write(
    JSON.stringify({
      principals: snapshot.principals.length,
      resources: snapshot.resources.length,
      loadMs,
      analysisMs,
      graphMs,
      admins: admins.length,
      shadow: admins.filter((s) => s.kind === 'self-grant').length,
      escalating: analysis.escalations.size,
      conditional: [...analysis.escalations.values()].filter((e) => e.conditional).length,
      techniqueEdges: analysis.edges.length,
      nodes: graph.nodes.length,
      edges: graph.edges.length,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    }) + '\n',
  );
}

/**
 * The shape that makes pairwise tools quadratic: every user may assume any role, and many admin
 * roles trust the account. Every user has a one-step path; the search must stay near-linear.
 */
async function dense(users: number, roles: number): Promise<void> {
  const { mapAuthorizationDetails } = await load<typeof AuthzModule>('ingest/authz-details.js');
  const { buildSnapshot } = await load<typeof BuildModule>('ingest/build-snapshot.js');
  const { resolveAwsManagedPolicies } = await load<typeof ManagedModule>(
    'ingest/aws-managed-policies.js',
  );
  const { analyzeAccess } = await load<typeof GraphModule>('graph/index.js');
  const account = '111122223333';
  const document = (statement: Record<string, unknown>) => ({
    Version: '2012-10-17',
    Statement: [statement],
  });
  const authz = {
    UserDetailList: Array.from({ length: users }, (_, i) => ({
      UserName: `dev-${i}`,
      UserId: `AIDA${String(i).padStart(17, '0')}`,
      Arn: `arn:aws:iam::${account}:user/dev-${i}`,
      Path: '/',
      GroupList: [],
      AttachedManagedPolicies: [],
      UserPolicyList: [
        {
          PolicyName: 'developer',
          PolicyDocument: document({
            Effect: 'Allow',
            Action: ['sts:AssumeRole', 's3:*', 'lambda:UpdateFunctionCode'],
            Resource: '*',
          }),
        },
      ],
    })),
    GroupDetailList: [],
    RoleDetailList: Array.from({ length: roles }, (_, i) => ({
      RoleName: `ops-${i}`,
      RoleId: `AROA${String(i).padStart(17, '0')}`,
      Arn: `arn:aws:iam::${account}:role/ops-${i}`,
      Path: '/',
      AssumeRolePolicyDocument: document({
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: 'sts:AssumeRole',
      }),
      RolePolicyList: [],
      AttachedManagedPolicies: [
        {
          PolicyName: 'AdministratorAccess',
          PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
        },
      ],
      InstanceProfileList: [],
    })),
    Policies: [],
  };
  const snapshot = await buildSnapshot([mapAuthorizationDetails(authz, 'dense.json')], {
    resolveAwsManagedPolicies,
  });
  const started = performance.now();
  const analysis = analyzeAccess(snapshot, { asOf: '2026-11-24T00:00:00Z' });
  process.stdout.write(
    JSON.stringify({
      analysisMs: performance.now() - started,
      escalating: analysis.escalations.size,
      edges: analysis.edges.length,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    }) + '\n',
  );
}

export default async function run(): Promise<void> {
  for (const principals of [1_000, 10_000]) {
    const dir = await mkdtemp(join(tmpdir(), 'iamsight-bench-graph-'));
    try {
      await writeSnapshotFolder(
        generateOrganization({ seed: 1, principals, cloudTrailEvents: 0 }),
        dir,
      );
      const f = runChild(
        fileURLToPath(import.meta.url),
        ['--child', dir],
        `graph bench failed at ${principals}`,
      );
      console.log(
        `${principals.toLocaleString('en')} principals (${f.principals} with groups, ${f.resources} resources): ` +
          `admins + all escalation paths ${f.analysisMs!.toFixed(0)} ms, graph ${f.graphMs!.toFixed(0)} ms ` +
          `(import ${f.loadMs!.toFixed(0)} ms apart), peak RSS ${f.maxRssMb!.toFixed(0)} MB`,
      );
      console.log(
        `  ${f.admins} admins (${f.shadow} by self-grant), ${f.escalating} principals with a path ` +
          `(${f.conditional} conditional), ${f.techniqueEdges} technique edges; graph ${f.nodes} nodes, ${f.edges} edges`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const [users, roles] = [10_000, 1_000];
  const f = runChild(
    fileURLToPath(import.meta.url),
    ['--dense', String(users), String(roles)],
    `graph bench failed (dense)`,
  );
  console.log(
    `dense trust: ${users.toLocaleString('en')} users who may assume any of ${roles.toLocaleString('en')} admin roles ` +
      `(${(users * roles).toLocaleString('en')} possible pairs): ${f.analysisMs!.toFixed(0)} ms, ` +
      `${f.escalating} paths, ${f.edges} edges kept, peak RSS ${f.maxRssMb!.toFixed(0)} MB`,
  );
}

if (process.argv[2] === '--child' && process.argv[3]) await child(process.argv[3]);
else if (process.argv[2] === '--dense')
  await dense(Number(process.argv[3]), Number(process.argv[4]));
else if (import.meta.url === `file://${process.argv[1]}`) await run();

/**
 * The resource panel's data from the in-memory analysis: what a principal, policy or resource is
 * (its documents and configuration), its neighbourhood in the access graph with at-risk edges and
 * escalation paths, what it can access or who can access it (the policy engine), and its Insights.
 * Everything is bounded: lists are cut and say so.
 */
import type { GraphEdge, GraphNode, PathStep as AnalysisStep } from '../graph/index.js';
import type { ManagedPolicy, PolicyDocument, Principal, Resource } from '../model/index.js';
import { orgPath } from '../policy/snapshot-evaluator.js';
import { whoCan } from '../policy/who-can.js';
import { buildInsights, suggestPolicyFor } from '../usage/index.js';
import type { LoadedAnalysis } from './analysis.js';
import type {
  AccessResponse,
  InsightsResponse,
  RelationshipsResponse,
  ResourceResponse,
} from './api-schema.js';

/** Most nodes a relationships answer holds. */
export const MAX_GRAPH_NODES = 200;
/** Most edges a relationships answer holds. */
export const MAX_GRAPH_EDGES = 600;
const MAX_DOCUMENTS = 60;
const MAX_LISTED = 200;
const MAX_PATHS = 10;
const MAX_WHO_CAN = 200;
const MAX_INSIGHT_ACTIONS = 200;

const PRINCIPAL_TYPES: Record<Principal['type'], string> = {
  user: 'AWS::IAM::User',
  role: 'AWS::IAM::Role',
  group: 'AWS::IAM::Group',
  root: 'AWS::IAM::Root',
};

type Document = ResourceResponse['documents'][number];

function managedDocument(policy: ManagedPolicy | undefined): PolicyDocument | null {
  if (!policy) return null;
  return (policy.versions.find((v) => v.isDefault) ?? policy.versions[0])?.document ?? null;
}

/** The service control and resource control policies over an account, root first. */
function organizationDocuments(loaded: LoadedAnalysis, accountId: string): Document[] {
  const org = loaded.snapshot.organization;
  // SCPs and RCPs do not apply to the management account.
  if (!org || accountId === org.managementAccountId) return [];
  const path = orgPath(org, accountId);
  if (!path) return [];
  const levels = new Set(path);
  return org.policies
    .filter((p) => p.targetIds.some((id) => levels.has(id)))
    .sort((a, b) => path.indexOf(firstTarget(a, levels)) - path.indexOf(firstTarget(b, levels)))
    .map((p) => ({
      label: `${p.type === 'SERVICE_CONTROL_POLICY' ? 'SCP' : 'RCP'} ${p.name}`,
      kind: p.type === 'SERVICE_CONTROL_POLICY' ? ('scp' as const) : ('rcp' as const),
      arn: p.arn,
      document: p.document,
    }));
}

function firstTarget(policy: { targetIds: readonly string[] }, levels: Set<string>): string {
  return policy.targetIds.find((id) => levels.has(id)) ?? '';
}

function identityDocuments(loaded: LoadedAnalysis, principal: Principal, via?: string): Document[] {
  const prefix = via ? `${via}: ` : '';
  const documents: Document[] = principal.inlinePolicies.map((p) => ({
    label: `${prefix}inline ${p.name}`,
    kind: 'identity-inline' as const,
    arn: null,
    document: p.document,
  }));
  for (const attachment of principal.attachedPolicies) {
    const document = managedDocument(loaded.policyByArn.get(attachment.policyArn));
    if (document)
      documents.push({
        label: `${prefix}${attachment.policyName}`,
        kind: 'identity-managed',
        arn: attachment.policyArn,
        document,
      });
  }
  return documents;
}

/** What the snapshot knows of a principal besides its policies. */
function principalConfiguration(loaded: LoadedAnalysis, principal: Principal) {
  const ctx = loaded.analysis.access.context;
  const common = {
    id: principal.id,
    path: principal.path,
    createDate: principal.createDate,
    tags: principal.tags,
    attachedPolicies: principal.attachedPolicies.map((a) => a.policyArn),
    permissionsBoundary: principal.permissionsBoundaryArn,
  };
  switch (principal.type) {
    case 'user':
      return {
        ...common,
        groups: ctx.groupsOf(principal).map((g) => g.arn),
        accessKeys: principal.accessKeys,
        loginProfile: principal.loginProfile,
        mfaDevices: principal.mfaDevices,
      };
    case 'role':
      return {
        ...common,
        description: principal.description,
        lastUsed: principal.lastUsed,
        maxSessionDuration: principal.maxSessionDuration,
        instanceProfiles: principal.instanceProfileArns,
        runningAs: (ctx.resourcesByRole.get(principal.arn) ?? [])
          .slice(0, MAX_LISTED)
          .map((r) => r.arn),
      };
    case 'group': {
      const members = ctx.groupMembers.get(principal.arn) ?? [];
      return {
        ...common,
        members: members.slice(0, MAX_LISTED).map((u) => u.arn),
        memberCount: members.length,
      };
    }
    case 'root':
      return {
        ...common,
        passwordLastUsed: principal.passwordLastUsed,
        accessKeys: principal.accessKeys,
        loginProfile: principal.loginProfile,
        mfaDevices: principal.mfaDevices,
      };
  }
}

/** The resource panel's Resource tab; null when the ARN is not in the snapshot. */
export function describeResource(
  loaded: LoadedAnalysis,
  arn: string,
  openFindings: number,
): ResourceResponse | null {
  const principal = loaded.principal(arn);
  if (principal) {
    const status = loaded.analysis.access.status.get(arn);
    const documents: Document[] = identityDocuments(loaded, principal);
    if (principal.type === 'user') {
      for (const group of loaded.analysis.access.context.groupsOf(principal))
        documents.push(...identityDocuments(loaded, group, `group ${group.name}`));
    }
    if (principal.permissionsBoundaryArn) {
      const document = managedDocument(loaded.policyByArn.get(principal.permissionsBoundaryArn));
      if (document)
        documents.push({
          label: 'permissions boundary',
          kind: 'boundary',
          arn: principal.permissionsBoundaryArn,
          document,
        });
    }
    if (principal.type === 'role')
      documents.push({
        label: 'trust policy',
        kind: 'trust',
        arn: null,
        document: principal.trustPolicy,
      });
    documents.push(...organizationDocuments(loaded, principal.accountId));
    return {
      arn,
      name: principal.name,
      type: PRINCIPAL_TYPES[principal.type],
      accountId: principal.accountId,
      region: null,
      kind: 'principal',
      admin:
        principal.type === 'group'
          ? null
          : {
              admin: status?.admin ?? false,
              shadow: status?.kind === 'self-grant',
              conditional: status?.conditional ?? false,
            },
      documents: documents.slice(0, MAX_DOCUMENTS),
      configuration: principalConfiguration(loaded, principal),
      openFindings,
    };
  }
  const policy = loaded.policyByArn.get(arn);
  if (policy) {
    const document = managedDocument(policy);
    const attachedTo = loaded.snapshot.principals.filter((p) =>
      p.attachedPolicies.some((a) => a.policyArn === arn),
    );
    return {
      arn,
      name: policy.name,
      type: 'AWS::IAM::ManagedPolicy',
      accountId: policy.accountId,
      region: null,
      kind: 'policy',
      admin: null,
      documents: document
        ? [
            {
              label: `default version ${policy.defaultVersionId}`,
              kind: 'identity-managed',
              arn,
              document,
            },
          ]
        : [],
      configuration: {
        isAwsManaged: policy.isAwsManaged,
        path: policy.path,
        policyId: policy.policyId,
        defaultVersionId: policy.defaultVersionId,
        versions: policy.versions.map((v) => ({
          versionId: v.versionId,
          isDefault: v.isDefault,
          createDate: v.createDate,
        })),
        createDate: policy.createDate,
        updateDate: policy.updateDate,
        attachmentCount: policy.attachmentCount,
        attachedTo: attachedTo.slice(0, MAX_LISTED).map((p) => p.arn),
      },
      openFindings,
    };
  }
  const resource = loaded.resource(arn);
  if (resource) {
    return {
      arn,
      name: resource.name,
      type: resource.type,
      accountId: resource.accountId,
      region: resource.region,
      kind: 'resource',
      admin: null,
      documents: [
        ...(resource.policy
          ? [
              {
                label: 'resource policy',
                kind: 'resource' as const,
                arn: null,
                document: resource.policy,
              },
            ]
          : []),
        ...organizationDocuments(loaded, resource.accountId).filter((d) => d.kind === 'rcp'),
      ].slice(0, MAX_DOCUMENTS),
      configuration: resourceConfiguration(resource),
      openFindings,
    };
  }
  return null;
}

function resourceConfiguration(resource: Resource): Record<string, unknown> {
  return {
    tags: resource.tags,
    roles: resource.roleArns,
    instanceProfile: resource.instanceProfileArn ?? null,
    exposure: resource.exposure,
    properties: resource.properties,
  };
}

// ---------------------------------------------------------------------------------------------
// Relationships

type NodeView = RelationshipsResponse['nodes'][number];
type EdgeView = RelationshipsResponse['edges'][number];
type PathView = RelationshipsResponse['paths'][number];

const edgeKey = (from: string, to: string, technique: string): string =>
  `${from}\n${to}\n${technique}`;

function stepView(step: AnalysisStep) {
  return {
    from: step.from,
    to: step.to,
    technique: step.technique,
    reason: step.reason,
    conditional: step.conditional,
  };
}

/** Escalation paths starting at a principal: one per first step that leads to admin. */
export function escalationPaths(loaded: LoadedAnalysis, arn: string): PathView[] {
  const access = loaded.analysis.access;
  const paths: PathView[] = [];
  const seen = new Set<string>();
  const add = (steps: readonly AnalysisStep[], target: string, conditional: boolean): void => {
    const key = steps.map((s) => edgeKey(s.from, s.to, s.technique)).join('|');
    if (seen.has(key) || steps.length === 0) return;
    seen.add(key);
    paths.push({ target, conditional, steps: steps.map(stepView) });
  };
  const own = access.escalations.get(arn);
  if (own) add(own.path, own.target, own.conditional);
  for (const first of access.leading.get(arn) ?? []) {
    if (paths.length >= MAX_PATHS) break;
    if (first.to === arn || access.status.get(first.to)?.admin) {
      add([first], first.to, first.conditional);
      continue;
    }
    const rest = access.escalations.get(first.to);
    if (!rest || rest.path.some((s) => s.to === arn)) continue; // back through the actor
    add([first, ...rest.path], rest.target, first.conditional || rest.conditional);
  }
  return paths
    .sort(
      (a, b) =>
        a.steps.length - b.steps.length ||
        Number(a.conditional) - Number(b.conditional) ||
        (a.target < b.target ? -1 : a.target > b.target ? 1 : 0),
    )
    .slice(0, MAX_PATHS);
}

const OIDC_SUBJECT = /:sub$/i;

/** Why an edge is risky (one sentence), or null when it is not. */
function riskOf(
  loaded: LoadedAnalysis,
  edge: GraphEdge,
  nodes: ReadonlyMap<string, GraphNode>,
  onPath: ReadonlySet<string>,
): string | null {
  const label = (id: string): string => nodes.get(id)?.label ?? id;
  if (edge.kind === 'technique')
    return `${label(edge.from)} can gain the permissions of ${label(edge.to)} (${edge.technique ?? 'technique'})${edge.reason ? `: ${edge.reason}` : ''}.`;
  if (edge.kind === 'can-assume') {
    const from = nodes.get(edge.from);
    if (from?.kind === 'anyone')
      return `Anyone — any AWS account or identity — may assume ${label(edge.to)}${edge.conditional ? ' if the trust conditions hold' : ''}.`;
    if (
      from?.kind === 'external-account' &&
      from.accountId &&
      !loaded.ownAccounts.has(from.accountId)
    )
      return `Account ${from.accountId}, outside the organization, can assume ${label(edge.to)}.`;
    if (from?.kind === 'provider' && !isSamlProvider(edge.from)) {
      const role = loaded.principal(edge.to);
      const trust = role?.type === 'role' ? loaded.analysis.access.context.trustPolicy(role) : null;
      const hasSubject = (trust?.statements ?? []).some(
        (s) => s.effect === 'Allow' && s.conditions.some((c) => OIDC_SUBJECT.test(c.key)),
      );
      if (!hasSubject)
        return `Any identity of ${label(edge.from)} can assume ${label(edge.to)}: the trust does not restrict the subject (sub).`;
    }
  }
  if (onPath.has(edgeKey(edge.from, edge.to, edge.technique ?? edge.kind)))
    return 'This step lies on an escalation path to admin.';
  return null;
}

function isSamlProvider(id: string): boolean {
  return id.includes(':saml-provider/');
}

/**
 * The neighbourhood of a node in the access graph (`depth` hops), with the nodes and edges of its
 * escalation paths; at most {@link MAX_GRAPH_NODES} nodes. Null when the node is not in the graph.
 */
export function relationshipsOf(
  loaded: LoadedAnalysis,
  arn: string,
  depth: number,
): RelationshipsResponse | null {
  const byId = graphNodes(loaded);
  const center = byId.get(arn);
  if (!center) return null;
  const paths =
    center.kind === 'user' || center.kind === 'role' || center.kind === 'root'
      ? escalationPaths(loaded, arn)
      : [];
  const included = new Map<string, GraphNode>([[arn, center]]);
  let truncated = false;
  const include = (id: string): boolean => {
    if (included.has(id)) return true;
    const node = byId.get(id);
    if (!node) return false;
    if (included.size >= MAX_GRAPH_NODES) {
      truncated = true;
      return false;
    }
    included.set(id, node);
    return true;
  };
  // The paths first: the panel highlights them step by step.
  for (const path of paths) {
    for (const step of path.steps) {
      if (include(step.from)) include(step.to);
    }
  }
  let frontier = [arn];
  for (let hop = 0; hop < depth; hop += 1) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const edge of sortedEdges(loaded.edgesOf(id))) {
        const other = edge.from === id ? edge.to : edge.from;
        if (!included.has(other) && include(other)) next.push(other);
      }
    }
    frontier = next;
  }
  const onPath = new Set<string>();
  for (const path of paths)
    for (const step of path.steps) onPath.add(edgeKey(step.from, step.to, step.technique));
  // Every edge of the graph between included nodes (deduplicated), bounded.
  const edges: EdgeView[] = [];
  const seen = new Set<string>();
  for (const id of included.keys()) {
    for (const edge of sortedEdges(loaded.edgesOf(id))) {
      if (!included.has(edge.from) || !included.has(edge.to)) continue;
      const key = edgeKey(edge.from, edge.to, `${edge.kind}:${edge.technique ?? ''}`);
      if (seen.has(key)) continue;
      seen.add(key);
      if (edges.length >= MAX_GRAPH_EDGES) {
        truncated = true;
        break;
      }
      const pathKey = edgeKey(edge.from, edge.to, edge.technique ?? edge.kind);
      const risk = riskOf(loaded, edge, byId, onPath);
      edges.push({
        id: `e${edges.length}`,
        from: edge.from,
        to: edge.to,
        kind: edge.kind,
        ...(edge.technique !== undefined ? { technique: edge.technique } : {}),
        ...(edge.reason !== undefined ? { reason: edge.reason } : {}),
        conditional: edge.conditional,
        atRisk: risk !== null || onPath.has(pathKey),
        ...(risk !== null ? { risk } : {}),
        ...(edge.statements ? { statements: [...edge.statements].slice(0, 20) } : {}),
      });
    }
  }
  const risky = new Set<string>();
  for (const edge of edges) {
    if (!edge.atRisk) continue;
    risky.add(edge.from);
    risky.add(edge.to);
  }
  const nodes: NodeView[] = [...included.values()].map((node) => ({
    id: node.id,
    kind: node.kind,
    label: node.label,
    accountId: node.accountId,
    ...(node.admin !== undefined ? { admin: node.admin } : {}),
    ...(node.resourceType !== undefined ? { resourceType: node.resourceType } : {}),
    atRisk: risky.has(node.id),
  }));
  return { center: arn, nodes, edges, paths, truncated };
}

/** Stable order: technique and trust edges before structure, then by the other end. */
function sortedEdges(edges: readonly GraphEdge[]): GraphEdge[] {
  const rank: Record<GraphEdge['kind'], number> = {
    technique: 0,
    'can-assume': 1,
    'can-pass-role': 2,
    'runs-as': 3,
    'member-of': 4,
    'attached-policy': 5,
  };
  return [...edges].sort(
    (a, b) =>
      rank[a.kind] - rank[b.kind] ||
      (a.from < b.from ? -1 : a.from > b.from ? 1 : 0) ||
      (a.to < b.to ? -1 : a.to > b.to ? 1 : 0),
  );
}

const nodeIndexes = new WeakMap<LoadedAnalysis, Map<string, GraphNode>>();

function graphNodes(loaded: LoadedAnalysis): Map<string, GraphNode> {
  let index = nodeIndexes.get(loaded);
  if (!index) {
    index = new Map(loaded.graph.nodes.map((n) => [n.id, n]));
    nodeIndexes.set(loaded, index);
  }
  return index;
}

// ---------------------------------------------------------------------------------------------
// Access

/** Actions asked of a resource, by type: what matters most about who can touch it. */
const RESOURCE_ACTIONS: Record<string, readonly string[]> = {
  'AWS::S3::Bucket': [
    's3:ListBucket',
    's3:GetObject',
    's3:PutObject',
    's3:DeleteObject',
    's3:PutBucketPolicy',
  ],
  'AWS::Lambda::Function': [
    'lambda:InvokeFunction',
    'lambda:UpdateFunctionCode',
    'lambda:UpdateFunctionConfiguration',
    'lambda:AddPermission',
  ],
  'AWS::KMS::Key': ['kms:Decrypt', 'kms:Encrypt', 'kms:CreateGrant', 'kms:PutKeyPolicy'],
  'AWS::SecretsManager::Secret': [
    'secretsmanager:GetSecretValue',
    'secretsmanager:PutSecretValue',
    'secretsmanager:PutResourcePolicy',
  ],
  'AWS::SQS::Queue': ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:SetQueueAttributes'],
  'AWS::SNS::Topic': ['sns:Publish', 'sns:Subscribe', 'sns:SetTopicAttributes'],
  'AWS::DynamoDB::Table': [
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:Scan',
    'dynamodb:DeleteTable',
  ],
  'AWS::EC2::Instance': [
    'ec2:StartInstances',
    'ec2:StopInstances',
    'ec2:ModifyInstanceAttribute',
    'ssm:SendCommand',
  ],
  'AWS::ECR::Repository': ['ecr:BatchGetImage', 'ecr:PutImage', 'ecr:SetRepositoryPolicy'],
  'AWS::IAM::ManagedPolicy': [
    'iam:CreatePolicyVersion',
    'iam:SetDefaultPolicyVersion',
    'iam:DeletePolicy',
  ],
};

/** The ARN a resource action is asked on (object actions: every object of the bucket). */
function requestArn(type: string, action: string, arn: string): string {
  if (type === 'AWS::S3::Bucket' && /^s3:(Get|Put|Delete)Object/.test(action)) return `${arn}/*`;
  return arn;
}

/** Allow actions named by a resource policy, when the type has no list above. */
function actionsOfPolicy(policy: PolicyDocument | null): string[] {
  const statements = policy?.Statement;
  const list = Array.isArray(statements) ? statements : statements ? [statements] : [];
  const actions = new Set<string>();
  for (const statement of list as Record<string, unknown>[]) {
    if (statement?.Effect !== 'Allow') continue;
    const named = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
    for (const action of named)
      if (typeof action === 'string' && !action.includes('*') && action.length < 128)
        actions.add(action);
  }
  return [...actions].sort().slice(0, 6);
}

/** What a principal can access, or who can access a resource; null when the ARN is unknown. */
export function accessOf(loaded: LoadedAnalysis, arn: string): AccessResponse | null {
  const ctx = loaded.analysis.access.context;
  const principal = loaded.principal(arn);
  if (principal) {
    const permissions = ctx.permissions.of(principal);
    const services = new Map<string, { allowed: number; conditional: number }>();
    const everywhere = permissions.everywhere;
    const possible = permissions.possible;
    for (const action of possible.toActions()) {
      const service = action.slice(0, action.indexOf(':'));
      const entry = services.get(service) ?? { allowed: 0, conditional: 0 };
      entry.allowed += 1;
      services.set(service, entry);
    }
    for (const action of possible.difference(everywhere).toActions()) {
      const entry = services.get(action.slice(0, action.indexOf(':')));
      if (entry) entry.conditional += 1;
    }
    const sorted = [...services]
      .map(([service, counts]) => ({ service, ...counts }))
      .sort((a, b) => b.allowed - a.allowed || (a.service < b.service ? -1 : 1));
    return {
      kind: 'principal',
      canAccess: {
        admin: loaded.analysis.access.status.get(arn)?.admin ?? false,
        services: sorted.slice(0, MAX_LISTED),
        total: possible.count(),
        truncated: sorted.length > MAX_LISTED,
      },
    };
  }
  const resource = loaded.resource(arn);
  const policy = loaded.policyByArn.get(arn);
  if (!resource && !policy) return null;
  const type = resource?.type ?? 'AWS::IAM::ManagedPolicy';
  const actions = RESOURCE_ACTIONS[type] ?? actionsOfPolicy(resource?.policy ?? null);
  const byPrincipal = new Map<
    string,
    { principal: Principal; actions: string[]; conditional: boolean }
  >();
  for (const action of actions) {
    for (const entry of whoCan(
      ctx.evaluator,
      ctx.permissions,
      action,
      requestArn(type, action, arn),
    )) {
      const item = byPrincipal.get(entry.principal.arn) ?? {
        principal: entry.principal,
        actions: [],
        conditional: true,
      };
      item.actions.push(action);
      if (entry.result.conditional.length === 0) item.conditional = false;
      byPrincipal.set(entry.principal.arn, item);
    }
  }
  const entries = [...byPrincipal.values()].sort(
    (a, b) =>
      Number(a.conditional) - Number(b.conditional) ||
      b.actions.length - a.actions.length ||
      (a.principal.arn < b.principal.arn ? -1 : 1),
  );
  return {
    kind: 'resource',
    actions: [...actions],
    whoCanAccess: entries.slice(0, MAX_WHO_CAN).map((e) => ({
      principal: e.principal.arn,
      name: e.principal.name,
      type: PRINCIPAL_TYPES[e.principal.type],
      accountId: e.principal.accountId,
      actions: e.actions.slice(0, 20),
      conditional: e.conditional,
    })),
    truncated: entries.length > MAX_WHO_CAN,
  };
}

// ---------------------------------------------------------------------------------------------
// Insights

/** Granted versus used and the suggested policy; null when the ARN is not in the snapshot. */
export function insightsOf(loaded: LoadedAnalysis, arn: string): InsightsResponse | null {
  const principal = loaded.principal(arn);
  if (!principal) {
    if (loaded.resource(arn) || loaded.policyByArn.has(arn))
      return { available: false, reason: 'Insights are for users and roles.' };
    return null;
  }
  if (principal.type !== 'user' && principal.type !== 'role')
    return {
      available: false,
      reason: `Insights are for users and roles; this is a ${principal.type}.`,
    };
  const usage = loaded.analysis.usage;
  if (!usage)
    return {
      available: false,
      reason:
        'No CloudTrail usage was given: start the server with --cloudtrail PATH, or a --snapshot folder that holds cloudtrail/.',
    };
  const input = {
    principal,
    evaluator: loaded.analysis.access.context.evaluator,
    usage,
    asOf: loaded.asOf,
    tracking: loaded.tracking,
  };
  const insights = buildInsights(input);
  const suggestion = suggestPolicyFor(input);
  return {
    available: true,
    insights: {
      ...insights,
      coverage: insights.coverage,
      services: insights.services.map((service) => {
        const actions = [...service.actions].sort(
          (a, b) => Number(b.status === 'used') - Number(a.status === 'used'),
        );
        return {
          ...service,
          actions: actions
            .slice(0, MAX_INSIGHT_ACTIONS)
            .map((a) => ({ ...a, resources: [...a.resources] })),
          actionsTruncated: actions.length > MAX_INSIGHT_ACTIONS,
        };
      }),
      usedNotGranted: [...insights.usedNotGranted],
      window: { ...insights.window },
      lastUse: { latest: insights.lastUse.latest, sources: [...insights.lastUse.sources] },
    },
    suggestion: {
      ...suggestion,
      replaces: [...suggestion.replaces],
      documents: suggestion.documents.map((d) => ({ ...d })),
      sizes: [...suggestion.sizes],
      unknownActions: [...suggestion.unknownActions],
      notes: [...suggestion.notes],
      diff: {
        ...suggestion.diff,
        added: [...suggestion.diff.added],
        byService: suggestion.diff.byService.map((s) => ({
          ...s,
          removedActions: s.removedActions ? [...s.removedActions] : null,
        })),
      },
    },
  };
}

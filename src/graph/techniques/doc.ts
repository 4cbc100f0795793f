/** Renders the technique catalog as Markdown (docs/techniques.md is generated from this). */
import type { TargetSpec, Technique } from './types.js';
import { TECHNIQUES } from './index.js';

function target(spec: TargetSpec): string {
  switch (spec.kind) {
    case 'self':
      return `itself (${spec.principalTypes.join(' or ')})`;
    case 'own-policy':
      return 'a customer managed policy attached to it';
    case 'own-group':
      return 'a group it belongs to';
    case 'group':
      return 'a group of its account';
    case 'user':
      return 'another user of its account';
    case 'role':
      return 'a role of its account';
    case 'assumable-role':
      return 'a role whose trust admits it';
    case 'passable-role':
      return `a role trusting \`${spec.service}\`${spec.federated ? ' (federated)' : ''}${spec.instanceProfile ? ' in an instance profile' : ''}`;
    case 'resource-role':
      return `the role of an existing ${spec.resourceTypes.map((t) => `\`${t}\``).join(' / ')}`;
  }
}

function row(t: Technique): string {
  const permissions = t.permissions.map((p) => `\`${p.action}\` (${p.on})`).join(', ');
  const prerequisites = [
    ...(t.prerequisites ?? []),
    ...(t.orPermissions ? [`or ${t.orPermissions.map((p) => `\`${p.action}\``).join(' + ')}`] : []),
  ].join('; ');
  const cells = [
    `\`${t.id}\``,
    t.category,
    target(t.target),
    permissions,
    prerequisites || '–',
    t.gain,
    t.source,
  ];
  return `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
}

export function renderTechniquesDoc(techniques: readonly Technique[] = TECHNIQUES): string {
  const sorted = [...techniques].sort((a, b) => (a.id < b.id ? -1 : 1));
  return [
    '# Escalation techniques',
    '',
    '<!-- Generated from src/graph/techniques by `npm run docs:techniques`; a test keeps it in sync. -->',
    '',
    `${sorted.length} techniques. Ids are pathfinding.cloud ids where one exists; the others are`,
    'project ids (`iam-set-default-policy-version`, `iam-022-role`, `ec2-associate-instance-profile`,',
    '`lambda-update-function-configuration`, and ids of paths newer than the pathfinding.cloud',
    'snapshot, named as Prowler and pathfinding-labs name them). Permission targets: `target` the',
    'object acted on, `role` the role gained or passed, `self` the actor, `target-policy` a customer',
    'policy attached to the target, `new` a resource the actor creates and names, `any` no resource.',
    'Gains: `target` the permissions of the principal reached; `target-ceiling` / `self-ceiling` any',
    'policy on it (admin unless a boundary or deny holds it back); the others name the change.',
    '',
    '| id | category | target | permissions (checked on) | prerequisites | gain | source |',
    '|---|---|---|---|---|---|---|',
    ...sorted.map(row),
    '',
  ].join('\n');
}

/**
 * ADM-07: an EC2 instance reachable from the internet whose role is an administrator (ADM-06's
 * condition). Reachable: a public IP address and a security group of the inventory that admits
 * 0.0.0.0/0 or ::/0. Route tables are not in the inventory: a public IP stands for a route to an
 * internet gateway. A security group missing from the inventory decides nothing.
 */
import type { Principal, Resource } from '../../../model/index.js';
import { isAdmin } from '../../shared/admin-evidence.js';
import type { Detection, DetectionResult } from '../../types.js';

export const detection: Detection = {
  id: 'ec2-public-instance-admin-role',
  anchor: 'ADM-07',
  version: 1,
  title: 'Internet-reachable EC2 instance with an administrative role',
  severity: 'critical',
  category: 'admin',
  description:
    'The instance has a public IP address and a security group open to the internet, and its instance profile role is an administrator (or can make itself one).',
  risk: 'One exposed service or SSRF on the instance is a direct path from the internet to administrator credentials.',
  remediation:
    'Remove the public exposure (no public IP, no 0.0.0.0/0 ingress) or give the instance a least-privilege role; require IMDSv2.',
  references: [
    'https://docs.datadoghq.com/security/default_rules/def-000-u5t/',
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html',
  ],
  requires: ['iam', 'resources'],
  identityFields: [],
  appliesTo: ['AWS::EC2::Instance'],
  evaluate(ctx) {
    const { context } = ctx.access;
    const groups = new Map<string, Resource>();
    for (const group of context.resourcesByType.get('AWS::EC2::SecurityGroup') ?? []) {
      const id = String(group.properties.groupId ?? group.arn.split('/').pop() ?? '');
      groups.set(`${group.accountId}/${group.region ?? ''}/${id}`, group);
    }
    const results: DetectionResult[] = [];
    for (const instance of context.resourcesByType.get('AWS::EC2::Instance') ?? []) {
      const publicIp = instance.exposure.publicIp;
      if (!publicIp) continue;
      const open = (instance.exposure.securityGroupIds ?? []).flatMap((id) => {
        const group = groups.get(`${instance.accountId}/${instance.region ?? ''}/${id}`);
        const rules = group?.exposure.openIngress ?? [];
        return rules.length > 0 ? [{ group: group!.arn, rules }] : [];
      });
      if (open.length === 0) continue;
      const admins = context
        .rolesOfResource(instance)
        .map((arn) => context.principalByArn.get(arn))
        .filter((r): r is Principal => r !== undefined && !ctx.isAwsOwned(r) && isAdmin(ctx, r));
      if (admins.length === 0) continue;
      const role = admins[0]!;
      const label = String(instance.tags.Name ?? '') || instance.name;
      results.push({
        resource: {
          arn: instance.arn,
          type: instance.type,
          name: instance.name,
          accountId: instance.accountId,
          region: instance.region,
        },
        message: `EC2 instance ${instance.name}${label !== instance.name ? ` (${label})` : ''} is reachable from the internet at ${publicIp} and runs with administrator role ${role.name}.`,
        evidence: {
          roles: admins.map((r) => r.arn),
          publicIp,
          openSecurityGroups: open,
          httpTokens: instance.properties.httpTokens ?? null,
        },
      });
    }
    return results;
  },
};

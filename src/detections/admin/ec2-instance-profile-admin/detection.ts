/**
 * ADM-06: a role that is an administrator (fully, or by one step on itself) and is the role of
 * an instance profile at least one EC2 instance runs with. Reported on the role, with the
 * instances.
 */
import { adminEvidence, isAdmin } from '../../shared/admin-evidence.js';
import type { Detection, DetectionResult } from '../../types.js';

export const detection: Detection = {
  id: 'ec2-instance-profile-admin',
  anchor: 'ADM-06',
  version: 1,
  title: 'EC2 instance profile has administrative privileges',
  severity: 'high',
  category: 'admin',
  description:
    'The role of an instance profile that running EC2 instances use is an administrator (or can make itself one).',
  risk: 'Anyone who reaches the instance metadata service (an SSRF, a compromised process on the host) gets administrator credentials.',
  remediation:
    'Give the instances a least-privilege role; require IMDSv2 (HttpTokens required) on them.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html',
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-existing-instances.html',
  ],
  requires: ['iam', 'resources'],
  identityFields: [],
  appliesTo: ['AWS::IAM::Role'],
  evaluate(ctx) {
    const { context } = ctx.access;
    const results: DetectionResult[] = [];
    for (const roles of context.rolesByAccount.values()) {
      for (const role of roles) {
        if (ctx.isAwsOwned(role) || !isAdmin(ctx, role)) continue;
        const instances = (context.resourcesByRole.get(role.arn) ?? []).filter(
          (r) => r.type === 'AWS::EC2::Instance',
        );
        if (instances.length === 0) continue;
        const shadow = ctx.access.status.get(role.arn)?.kind === 'self-grant';
        results.push({
          resource: ctx.refOf(role),
          message: `Role ${role.name} ${shadow ? 'can make itself an administrator' : 'is an administrator'} and ${instances.length === 1 ? `EC2 instance ${instances[0]!.name} runs` : `${instances.length} EC2 instances run`} with it through an instance profile.`,
          evidence: {
            admin: shadow ? 'self-grant' : 'full',
            ...(shadow ? {} : adminEvidence(ctx, role)),
            instances: instances.map((i) => ({
              arn: i.arn,
              instanceProfile: i.instanceProfileArn ?? null,
              state: i.properties.state ?? null,
              httpTokens: i.properties.httpTokens ?? null,
            })),
          },
        });
      }
    }
    return results;
  },
};

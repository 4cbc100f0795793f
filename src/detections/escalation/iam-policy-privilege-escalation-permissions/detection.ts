/**
 * PE-02: a customer-written policy that on its own holds a privilege-escalation permission set
 * (anchors.md §B.9): every permission of a technique, allowed by the engine on targets the policy
 * does not name (wildcards), or on an existing target the access analysis reached on the way to
 * an administrator (see ../../shared/escalation-permission-sets.ts). Sets split across policies
 * are PE-01's (it judges the principal); policies allowing everything are ADM-04's.
 */
import { allowsEverything, customerPolicies } from '../../shared/admin-policies.js';
import { permissionSetsOf } from '../../shared/escalation-permission-sets.js';
import type { Detection, DetectionResult } from '../../types.js';

export const detection: Detection = {
  id: 'iam-policy-privilege-escalation-permissions',
  anchor: 'PE-02',
  version: 1,
  title: 'Policy contains a privilege-escalation permission set',
  severity: 'high',
  category: 'escalation',
  description:
    'A customer managed or inline policy alone allows every permission of a privilege-escalation technique (for example iam:PassRole with lambda:CreateFunction and lambda:InvokeFunction, or iam:CreatePolicyVersion), on any target or on a privileged one that exists.',
  risk: 'Whoever holds the policy can escalate, now or as soon as it is attached to them.',
  remediation:
    'Remove the permission the technique needs, or restrict its Resource (role ARNs for iam:PassRole, with iam:PassedToService) and add conditions; deny the step with a permissions boundary or an SCP.',
  references: [
    'https://pathfinding.cloud/',
    'https://github.com/salesforce/cloudsplaining/blob/master/docs/glossary/privilege-escalation.md',
  ],
  requires: ['iam'],
  identityFields: ['policyName'],
  appliesTo: ['AWS::IAM::ManagedPolicy', 'AWS::IAM::User', 'AWS::IAM::Role', 'AWS::IAM::Group'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const entry of customerPolicies(ctx)) {
      if (allowsEverything(ctx, entry.policy)) continue;
      const hits = permissionSetsOf(ctx, entry);
      if (hits.length === 0) continue;
      const first = hits[0]!;
      const where =
        entry.kind === 'inline'
          ? `Inline policy ${entry.name} of ${entry.resource.name}`
          : `Managed policy ${entry.name}`;
      results.push({
        resource: entry.resource,
        identity: { policyName: entry.name },
        message: `${where} contains the privilege-escalation permission set ${first.name} (${first.technique})${first.scope === 'existing-target' && first.step ? ` usable on ${first.step.via ?? first.step.to}` : ''}${hits.length > 1 ? ` and ${hits.length - 1} more` : ''}.`,
        evidence: {
          policyKind: entry.kind,
          attached: entry.attached,
          holders: entry.holders.map((p) => p.arn),
          techniques: hits.slice(0, 12),
          ...(hits.length > 12 ? { moreTechniques: hits.length - 12 } : {}),
        },
      });
    }
    return results;
  },
};

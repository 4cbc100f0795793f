/**
 * ADM-09: an administrator user that can act without MFA. Its policies are asked, with the
 * engine, for administrator requests made without MFA (`aws:MultiFactorAuthPresent` false, as in
 * a session signed in without MFA), and the user must have a credential that works without MFA:
 * an active access key (or key data not collected), or a console password with no MFA device
 * (then also when it may enrol an MFA device of its own without MFA: a password thief enrols
 * theirs). An administrator whose policies deny everything without MFA, or that has only a
 * password and an MFA device, is not reported.
 * Not modelled: a Deny on `Bool` (not `BoolIfExists`) aws:MultiFactorAuthPresent false, which
 * access keys bypass because the key is absent from their requests.
 */
import type { UserPrincipal } from '../../../model/index.js';
import { contextOf } from '../../../policy/types.js';
import { isFullAdmin } from '../../shared/admin-evidence.js';
import { uniqueStatements } from '../../shared/escalation-evidence.js';
import type { Detection, DetectionContext, DetectionResult } from '../../types.js';

/** Administrator requests probed without MFA. */
const PROBES = [
  'iam:CreateUser',
  'iam:AttachUserPolicy',
  'iam:PutRolePolicy',
  's3:GetObject',
  'ec2:RunInstances',
  'secretsmanager:GetSecretValue',
];

const WITHOUT_MFA = contextOf({ 'aws:MultiFactorAuthPresent': 'false' });

function allowedWithoutMfa(
  ctx: DetectionContext,
  user: UserPrincipal,
  action: string,
  resource = '*',
) {
  const result = ctx.access.context.evaluator.evaluate(user, action, resource, {
    context: WITHOUT_MFA,
  });
  return result.decision === 'Allowed' ? result : null;
}

export const detection: Detection = {
  id: 'iam-admin-user-without-mfa',
  anchor: 'ADM-09',
  version: 1,
  title: 'Administrator user can act without MFA',
  severity: 'high',
  category: 'admin',
  description:
    'An administrator user has a credential usable without MFA (an active access key, or a console password with no MFA device) and its policies do not require aws:MultiFactorAuthPresent for administrator actions.',
  risk: 'A stolen password or access key is enough to take over the account.',
  remediation:
    'Require MFA: assign an MFA device and deny actions when aws:MultiFactorAuthPresent is false (BoolIfExists), or move the administrator to federation with MFA.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/tutorial_users-self-manage-mfa-and-creds.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent',
  ],
  requires: ['iam'],
  identityFields: [],
  appliesTo: ['AWS::IAM::User'],
  evaluate(ctx) {
    const results: DetectionResult[] = [];
    for (const users of ctx.access.context.usersByAccount.values()) {
      for (const user of users) {
        if (!isFullAdmin(ctx, user)) continue;
        const keys = user.accessKeys;
        const activeKeys = keys?.filter((k) => k.status === 'Active').length ?? null;
        const password = user.loginProfile?.exists === true;
        const noDevice = user.mfaDevices !== null && user.mfaDevices.length === 0;
        const consoleWithoutMfa = password && noDevice;
        // Unknown keys may exist (unknown is not empty).
        const keysWithoutMfa = activeKeys === null || activeKeys > 0;
        if (!keysWithoutMfa && !consoleWithoutMfa) continue;
        const allowed = PROBES.flatMap((action) => {
          const result = allowedWithoutMfa(ctx, user, action);
          return result ? [{ action, result }] : [];
        });
        const enrol =
          allowed.length === 0 && consoleWithoutMfa
            ? (allowedWithoutMfa(ctx, user, 'iam:EnableMFADevice', user.arn) ?? null)
            : null;
        if (allowed.length === 0 && !enrol) continue;
        const credentials = [
          ...(keysWithoutMfa
            ? [
                activeKeys === null
                  ? 'access keys (not collected)'
                  : `${activeKeys} active access key${activeKeys === 1 ? '' : 's'}`,
              ]
            : []),
          ...(consoleWithoutMfa ? ['a console password with no MFA device'] : []),
        ];
        results.push({
          resource: ctx.refOf(user),
          message:
            allowed.length > 0
              ? `Administrator user ${user.name} can act without MFA: it has ${credentials.join(' and ')}, and its policies allow administrator actions when MFA is absent.`
              : `Administrator user ${user.name} has a console password and no MFA device, and may enrol one without MFA: a stolen password is enough to become administrator.`,
          evidence: {
            credentials,
            allowedWithoutMfa: allowed.map((a) => a.action),
            statements: uniqueStatements(
              [...allowed.map((a) => a.result), ...(enrol ? [enrol] : [])].flatMap((r) =>
                r.reasons.filter((x) => x.effect === 'allow').flatMap((x) => x.statements),
              ),
            ),
            ...(enrol ? { canEnrolMfaWithoutMfa: true } : {}),
          },
        });
      }
    }
    return results;
  },
};

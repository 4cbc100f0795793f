/**
 * What every account of an AWS organization has: Identity Center roles and their SAML provider,
 * service-linked roles, the OrganizationAccountAccessRole and the security team's audit role.
 */
import { daysBefore } from './dates.js';
import { policy, allow, trustStatement, type AccountBuilder, type RoleEntity } from './estate.js';
import {
  SERVICE_LINKED_ROLES,
  awsManaged,
  type AwsManagedName,
  type ServiceLinkedRole,
} from './managed-policies.js';
import { managementAccount, securityAccount } from './org-plan.js';
import { PERSONA_ACTIONS } from './personas.js';
import { addEcsTaskDefinition, addSamlProvider } from './resources.js';

/** The role in the security account that assumes `security-audit` in every member account. */
export const SCANNER_ROLE = 'security-scanner';
/** The audit role in every member account. */
export const AUDIT_ROLE = 'security-audit';

/** Adds a service-linked role. */
export function addServiceLinkedRole(
  b: AccountBuilder,
  slr: ServiceLinkedRole,
  used = true,
): RoleEntity {
  return b.addRole({
    name: slr.name,
    path: `/aws-service-role/${slr.service}/`,
    trust: policy(trustStatement({ Service: slr.service })),
    attached: [awsManaged(slr.policy)],
    activity: used ? 'active' : 'never',
    session: { kind: 'service-linked', service: slr.service },
    usage: { actions: PERSONA_ACTIONS.serviceLinked, resources: [], deniedRate: 0 },
  });
}

/** Builds the baseline principals of the account. */
export function buildBaseline(b: AccountBuilder): void {
  const rng = b.rng.fork('baseline');
  const management = managementAccount(b.org);
  const security = securityAccount(b.org);
  const isManagement = b.id === management.id;
  const isSecurity = b.id === security.id;

  // Identity Center: the SAML provider it manages, and one role per assigned permission set.
  const provider = addSamlProvider(b, {
    name: `AWSSSO_${b.account.ssoSuffix}_DO_NOT_DELETE`,
    validUntil: daysBefore(b.now, -900),
    entityId: `https://portal.sso.us-east-1.amazonaws.com/saml/assertion/${rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 24)}`,
  });
  const ssoUsers = [
    'alice.chen',
    'bob.garcia',
    'carol.mueller',
    'dave.rossi',
    'erin.nguyen',
    'frank.silva',
  ].map((name) => `${name}@example.com`);
  const permissionSets: [string, AwsManagedName, readonly string[], number][] = [
    ['AdministratorAccess', 'AdministratorAccess', PERSONA_ACTIONS.admin, 0.85],
    ['ReadOnlyAccess', 'ReadOnlyAccess', PERSONA_ACTIONS.readonly, 0.7],
    [
      'PowerUserAccess',
      'PowerUserAccess',
      PERSONA_ACTIONS.developer,
      b.account.kind === 'dev' ? 0.95 : 0.5,
    ],
  ];
  for (const [setName, managed, actions, activeShare] of permissionSets) {
    b.addRole({
      name: `AWSReservedSSO_${setName}_${rng.chars('0123456789abcdef', 16)}`,
      path: '/aws-reserved/sso.amazonaws.com/',
      trust: policy(
        trustStatement({ Federated: provider }, ['sts:AssumeRoleWithSAML', 'sts:TagSession'], {
          StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' },
        }),
      ),
      attached: [awsManaged(managed)],
      activity: rng.chance(activeShare) ? 'active' : rng.pick(['recent', 'stale']),
      session: { kind: 'saml', provider, users: rng.sample(ssoUsers, 3) },
      usage: { actions, resources: [] },
    });
  }

  // Service-linked roles.
  addServiceLinkedRole(b, SERVICE_LINKED_ROLES.support, rng.chance(0.3));
  addServiceLinkedRole(b, SERVICE_LINKED_ROLES.trustedAdvisor, rng.chance(0.6));
  addServiceLinkedRole(b, SERVICE_LINKED_ROLES.sso);
  addServiceLinkedRole(b, SERVICE_LINKED_ROLES.config);
  addServiceLinkedRole(b, SERVICE_LINKED_ROLES.guardDuty);
  if (isManagement) addServiceLinkedRole(b, SERVICE_LINKED_ROLES.organizations);
  if (isSecurity) {
    addServiceLinkedRole(b, SERVICE_LINKED_ROLES.accessAnalyzer);
    addServiceLinkedRole(b, SERVICE_LINKED_ROLES.securityHub);
  }

  // The role AWS Organizations creates in every account it creates.
  if (!isManagement) {
    b.addRole({
      name: 'OrganizationAccountAccessRole',
      trust: policy(trustStatement({ AWS: `arn:aws:iam::${management.id}:root` })),
      attached: [awsManaged('AdministratorAccess')],
      created: daysBefore(b.account.joined, -0.01),
      activity: rng.pick(['active', 'recent', 'stale', 'stale']),
      session: { kind: 'account', accountId: management.id },
      usage: { actions: PERSONA_ACTIONS.admin, resources: [] },
    });
  }

  // The security team's scanner and the audit role it assumes everywhere.
  const scannerArn = `arn:aws:iam::${security.id}:role/${SCANNER_ROLE}`;
  if (isSecurity) {
    const scanner = b.addRole({
      name: SCANNER_ROLE,
      trust: policy(trustStatement({ Service: 'ecs-tasks.amazonaws.com' })),
      inline: [
        {
          name: 'assume-audit-roles',
          document: policy(
            allow('sts:AssumeRole', `arn:aws:iam::*:role/${AUDIT_ROLE}`, {
              Sid: 'AssumeAuditRoles',
            }),
            allow(['s3:PutObject'], `arn:aws:s3:::security-findings-${b.id}/*`, {
              Sid: 'WriteFindings',
            }),
          ),
        },
      ],
      session: { kind: 'service', service: 'ecs-tasks.amazonaws.com' },
      usage: { actions: PERSONA_ACTIONS.scanner, resources: [] },
    });
    addEcsTaskDefinition(b, { family: SCANNER_ROLE, taskRole: scanner, executionRole: null });
  } else {
    b.addRole({
      name: AUDIT_ROLE,
      trust: policy(trustStatement({ AWS: scannerArn })),
      attached: [awsManaged('SecurityAudit'), awsManaged('job-function/ViewOnlyAccess')],
      session: { kind: 'principal', arn: scannerArn },
      usage: { actions: PERSONA_ACTIONS.auditor, resources: [], deniedRate: 0.01 },
    });
  }
}

/**
 * The one place that lists detections. Add a detection by importing its folder's `detection` here.
 */
import { detection as iamRoleTrustAnyPrincipal } from './trust/iam-role-trust-any-principal/detection.js';
import { detection as iamRoleTrustsExternalAccount } from './trust/iam-role-trusts-external-account/detection.js';
import { detection as iamRolePrivilegedTrustsExternalAccount } from './trust/iam-role-privileged-trusts-external-account/detection.js';
import { detection as iamRoleExternalTrustWithoutExternalId } from './trust/iam-role-external-trust-without-external-id/detection.js';
import { detection as iamRoleGithubOidcAnyRepository } from './trust/iam-role-github-oidc-any-repository/detection.js';
import { detection as iamRoleGitlabOidcAnyProject } from './trust/iam-role-gitlab-oidc-any-project/detection.js';
import { detection as iamRoleWebIdentityTrustWithoutAudienceOrSubject } from './trust/iam-role-web-identity-trust-without-audience-or-subject/detection.js';
import { detection as iamRoleServiceTrustWithoutSourceCondition } from './trust/iam-role-service-trust-without-source-condition/detection.js';
import { detection as iamPolicyAllowsAssumeAnyRole } from './trust/iam-policy-allows-assume-any-role/detection.js';
import { detection as iamRoleReadonlyaccessExternalTrust } from './trust/iam-role-readonlyaccess-external-trust/detection.js';
import { detection as iamRoleTrustsOwnAccountRoot } from './trust/iam-role-trusts-own-account-root/detection.js';
import { detection as iamAccessKeyOlderThan90Days } from './credentials/iam-access-key-older-than-90-days/detection.js';
import { detection as iamUserTwoActiveAccessKeys } from './credentials/iam-user-two-active-access-keys/detection.js';
import { detection as iamUserConsoleWithoutMfa } from './credentials/iam-user-console-without-mfa/detection.js';
import { detection as iamRootAccessKey } from './credentials/iam-root-access-key/detection.js';
import { detection as iamRootWithoutMfa } from './credentials/iam-root-without-mfa/detection.js';
import { detection as iamUserPasswordAndAccessKey } from './credentials/iam-user-password-and-access-key/detection.js';
import { detection as iamUserWithDirectPolicies } from './credentials/iam-user-with-direct-policies/detection.js';
import { detection as iamPolicyPassroleAnyRole } from './policy-hygiene/iam-policy-passrole-any-role/detection.js';
import { detection as iamPolicyAllowNotActionOrNotResource } from './policy-hygiene/iam-policy-allow-not-action-or-not-resource/detection.js';
import { detection as policyAllowWithNotPrincipal } from './policy-hygiene/policy-allow-with-not-principal/detection.js';
import { detection as iamPolicyInvalidOrUnknownElements } from './policy-hygiene/iam-policy-invalid-or-unknown-elements/detection.js';
import { detection as iamCustomerPolicyUnattached } from './policy-hygiene/iam-customer-policy-unattached/detection.js';
import { detection as iamGroupWithoutMembers } from './policy-hygiene/iam-group-without-members/detection.js';
import { detection as resourcePolicyPublicAccess } from './exposure/resource-policy-public-access/detection.js';
import { detection as resourcePolicyExternalAccountAccess } from './exposure/resource-policy-external-account-access/detection.js';
import { detection as iamPolicyResourceExposureActions } from './exposure/iam-policy-resource-exposure-actions/detection.js';
import { detection as iamPrincipalSensitiveDataAccess } from './exposure/iam-principal-sensitive-data-access/detection.js';
import { detection as lambdaPublicInvokeAdminRole } from './exposure/lambda-public-invoke-admin-role/detection.js';
import { detection as iamUserAdmin } from './admin/iam-user-admin/detection.js';
import { detection as iamRoleAdmin } from './admin/iam-role-admin/detection.js';
import { detection as iamGroupAdmin } from './admin/iam-group-admin/detection.js';
import { detection as iamPolicyAllowsFullAdmin } from './admin/iam-policy-allows-full-admin/detection.js';
import { detection as lambdaFunctionAdminRole } from './admin/lambda-function-admin-role/detection.js';
import { detection as ec2InstanceProfileAdmin } from './admin/ec2-instance-profile-admin/detection.js';
import { detection as ec2PublicInstanceAdminRole } from './admin/ec2-public-instance-admin-role/detection.js';
import { detection as iamAdminUserWithoutMfa } from './admin/iam-admin-user-without-mfa/detection.js';
import { detection as iamPolicyCriticalServiceWildcard } from './admin/iam-policy-critical-service-wildcard/detection.js';
import { detection as iamPrincipalShadowAdmin } from './admin/iam-principal-shadow-admin/detection.js';
import { detection as ec2RoleSsmAccessToPrivilegedInstances } from './admin/ec2-role-ssm-access-to-privileged-instances/detection.js';
import { detection as iamPrincipalPrivilegeEscalation } from './escalation/iam-principal-privilege-escalation/detection.js';
import { detection as iamPolicyPrivilegeEscalationPermissions } from './escalation/iam-policy-privilege-escalation-permissions/detection.js';
import { detection as iamPrincipalLateralMovement } from './escalation/iam-principal-lateral-movement/detection.js';
import { detection as workloadRolePrivilegeEscalation } from './escalation/workload-role-privilege-escalation/detection.js';
import { detection as iamPrincipalCanRemoveOwnBoundary } from './escalation/iam-principal-can-remove-own-boundary/detection.js';
import { detection as iamRoleUnused } from './usage/iam-role-unused/detection.js';
import { detection as iamUserAccessKeyUnused } from './usage/iam-user-access-key-unused/detection.js';
import { detection as iamUserPasswordUnused } from './usage/iam-user-password-unused/detection.js';
import { detection as iamAdminUserInactive } from './usage/iam-admin-user-inactive/detection.js';
import { detection as iamUserAccessKeyNeverUsed } from './usage/iam-user-access-key-never-used/detection.js';
import { detection as iamAccessKeyOldAndIdle } from './usage/iam-access-key-old-and-idle/detection.js';
import { detection as iamRootUsedRecently } from './credentials/iam-root-used-recently/detection.js';
import { detection as iamAccessKeyLongLivedApiUse } from './credentials/iam-access-key-long-lived-api-use/detection.js';
import { detection as iamPrincipalPermissionGap } from './usage/iam-principal-permission-gap/detection.js';
import { detection as iamPrincipalStaleServiceAccess } from './usage/iam-principal-stale-service-access/detection.js';
import type { Detection } from './types.js';

export const DETECTIONS: readonly Detection[] = [
  iamRoleTrustAnyPrincipal,
  iamRoleTrustsExternalAccount,
  iamRolePrivilegedTrustsExternalAccount,
  iamRoleExternalTrustWithoutExternalId,
  iamRoleGithubOidcAnyRepository,
  iamRoleGitlabOidcAnyProject,
  iamRoleWebIdentityTrustWithoutAudienceOrSubject,
  iamRoleServiceTrustWithoutSourceCondition,
  iamPolicyAllowsAssumeAnyRole,
  iamRoleReadonlyaccessExternalTrust,
  iamRoleTrustsOwnAccountRoot,
  iamAccessKeyOlderThan90Days,
  iamUserTwoActiveAccessKeys,
  iamUserConsoleWithoutMfa,
  iamRootAccessKey,
  iamRootWithoutMfa,
  iamUserPasswordAndAccessKey,
  iamUserWithDirectPolicies,
  iamPolicyPassroleAnyRole,
  iamPolicyAllowNotActionOrNotResource,
  policyAllowWithNotPrincipal,
  iamPolicyInvalidOrUnknownElements,
  iamCustomerPolicyUnattached,
  iamGroupWithoutMembers,
  resourcePolicyPublicAccess,
  resourcePolicyExternalAccountAccess,
  iamPolicyResourceExposureActions,
  iamPrincipalSensitiveDataAccess,
  lambdaPublicInvokeAdminRole,
  iamUserAdmin,
  iamRoleAdmin,
  iamGroupAdmin,
  iamPolicyAllowsFullAdmin,
  lambdaFunctionAdminRole,
  ec2InstanceProfileAdmin,
  ec2PublicInstanceAdminRole,
  iamAdminUserWithoutMfa,
  iamPolicyCriticalServiceWildcard,
  iamPrincipalShadowAdmin,
  ec2RoleSsmAccessToPrivilegedInstances,
  iamPrincipalPrivilegeEscalation,
  iamPolicyPrivilegeEscalationPermissions,
  iamPrincipalLateralMovement,
  workloadRolePrivilegeEscalation,
  iamPrincipalCanRemoveOwnBoundary,
  iamRoleUnused,
  iamUserAccessKeyUnused,
  iamUserPasswordUnused,
  iamAdminUserInactive,
  iamUserAccessKeyNeverUsed,
  iamAccessKeyOldAndIdle,
  iamRootUsedRecently,
  iamAccessKeyLongLivedApiUse,
  iamPrincipalPermissionGap,
  iamPrincipalStaleServiceAccess,
];

export const DETECTIONS_BY_ID: ReadonlyMap<string, Detection> = new Map(
  DETECTIONS.map((d) => [d.id, d]),
);

/**
 * The AWS managed policies the generator attaches, by their real ARNs. The list is fixed so the
 * generator never reads the 77 MB policy bundle; a test checks every ARN against that bundle.
 */

const PREFIX = 'arn:aws:iam::aws:policy/';

const NAMES = [
  'AdministratorAccess',
  'PowerUserAccess',
  'ReadOnlyAccess',
  'IAMFullAccess',
  'IAMReadOnlyAccess',
  'SecurityAudit',
  'AmazonS3FullAccess',
  'AmazonS3ReadOnlyAccess',
  'AWSLambda_FullAccess',
  'AWSLambda_ReadOnlyAccess',
  'AmazonEC2FullAccess',
  'AmazonEC2ReadOnlyAccess',
  'AmazonDynamoDBFullAccess',
  'AmazonDynamoDBReadOnlyAccess',
  'AmazonSQSFullAccess',
  'AmazonSNSFullAccess',
  'SecretsManagerReadWrite',
  'AWSCloudFormationFullAccess',
  'AWSCloudFormationReadOnlyAccess',
  'AWSCodeBuildAdminAccess',
  'AWSCodeBuildDeveloperAccess',
  'AmazonEC2ContainerRegistryReadOnly',
  'AmazonEC2ContainerRegistryPowerUser',
  'AmazonSSMManagedInstanceCore',
  'CloudWatchAgentServerPolicy',
  'CloudWatchReadOnlyAccess',
  'CloudWatchLogsFullAccess',
  'AWSXRayDaemonWriteAccess',
  'AmazonSageMakerFullAccess',
  'AWSGlueConsoleFullAccess',
  'AmazonAthenaFullAccess',
  'AmazonECS_FullAccess',
  'AWSCloudShellFullAccess',
  'AWSMarketplaceManageSubscriptions',
  'AWSSupportAccess',
  'AWSCloudTrail_ReadOnlyAccess',
  'AWSOrganizationsFullAccess',
  'AWSSSOMasterAccountAdministrator',
  'AWSSSOReadOnly',
  'AWSKeyManagementServicePowerUser',
  'AWSBillingReadOnlyAccess',
  'AWSStepFunctionsFullAccess',
  'AmazonVPCFullAccess',
  'AmazonRDSFullAccess',
  'job-function/ViewOnlyAccess',
  'job-function/DatabaseAdministrator',
  'job-function/NetworkAdministrator',
  'job-function/SystemAdministrator',
  'job-function/DataScientist',
  'job-function/Billing',
  'job-function/SupportUser',
  'service-role/AWSLambdaBasicExecutionRole',
  'service-role/AWSLambdaVPCAccessExecutionRole',
  'service-role/AWSLambdaSQSQueueExecutionRole',
  'service-role/AWSLambdaDynamoDBExecutionRole',
  'service-role/AmazonECSTaskExecutionRolePolicy',
  'service-role/AWSGlueServiceRole',
  'service-role/AmazonRDSEnhancedMonitoringRole',
  'service-role/AWS_ConfigRole',
  'aws-service-role/AWSSupportServiceRolePolicy',
  'aws-service-role/AWSTrustedAdvisorServiceRolePolicy',
  'aws-service-role/AWSOrganizationsServiceTrustPolicy',
  'aws-service-role/AWSSSOServiceRolePolicy',
  'aws-service-role/AWSConfigServiceRolePolicy',
  'aws-service-role/AccessAnalyzerServiceRolePolicy',
  'aws-service-role/AmazonGuardDutyServiceRolePolicy',
  'aws-service-role/AWSSecurityHubServiceRolePolicy',
  'aws-service-role/AmazonECSServiceRolePolicy',
  'aws-service-role/AutoScalingServiceRolePolicy',
  'aws-service-role/AWSElasticLoadBalancingServiceRolePolicy',
] as const;

/** A name (with its path, e.g. `job-function/ViewOnlyAccess`) of an AWS managed policy we use. */
export type AwsManagedName = (typeof NAMES)[number];

/** The ARN of an AWS managed policy from the fixed list. */
export function awsManaged(name: AwsManagedName): string {
  return PREFIX + name;
}

/** Every AWS managed policy ARN the generator may attach. */
export const AWS_MANAGED_POLICY_ARNS: readonly string[] = NAMES.map((name) => PREFIX + name);

/** A service-linked role: its name, the service in its path, and its AWS managed policy. */
export interface ServiceLinkedRole {
  readonly name: string;
  readonly service: string;
  readonly policy: AwsManagedName;
}

/** The service-linked roles the generator creates, by purpose. */
export const SERVICE_LINKED_ROLES = {
  support: {
    name: 'AWSServiceRoleForSupport',
    service: 'support.amazonaws.com',
    policy: 'aws-service-role/AWSSupportServiceRolePolicy',
  },
  trustedAdvisor: {
    name: 'AWSServiceRoleForTrustedAdvisor',
    service: 'trustedadvisor.amazonaws.com',
    policy: 'aws-service-role/AWSTrustedAdvisorServiceRolePolicy',
  },
  organizations: {
    name: 'AWSServiceRoleForOrganizations',
    service: 'organizations.amazonaws.com',
    policy: 'aws-service-role/AWSOrganizationsServiceTrustPolicy',
  },
  sso: {
    name: 'AWSServiceRoleForSSO',
    service: 'sso.amazonaws.com',
    policy: 'aws-service-role/AWSSSOServiceRolePolicy',
  },
  config: {
    name: 'AWSServiceRoleForConfig',
    service: 'config.amazonaws.com',
    policy: 'aws-service-role/AWSConfigServiceRolePolicy',
  },
  accessAnalyzer: {
    name: 'AWSServiceRoleForAccessAnalyzer',
    service: 'access-analyzer.amazonaws.com',
    policy: 'aws-service-role/AccessAnalyzerServiceRolePolicy',
  },
  guardDuty: {
    name: 'AWSServiceRoleForAmazonGuardDuty',
    service: 'guardduty.amazonaws.com',
    policy: 'aws-service-role/AmazonGuardDutyServiceRolePolicy',
  },
  securityHub: {
    name: 'AWSServiceRoleForSecurityHub',
    service: 'securityhub.amazonaws.com',
    policy: 'aws-service-role/AWSSecurityHubServiceRolePolicy',
  },
  ecs: {
    name: 'AWSServiceRoleForECS',
    service: 'ecs.amazonaws.com',
    policy: 'aws-service-role/AmazonECSServiceRolePolicy',
  },
  autoScaling: {
    name: 'AWSServiceRoleForAutoScaling',
    service: 'autoscaling.amazonaws.com',
    policy: 'aws-service-role/AutoScalingServiceRolePolicy',
  },
  elb: {
    name: 'AWSServiceRoleForElasticLoadBalancing',
    service: 'elasticloadbalancing.amazonaws.com',
    policy: 'aws-service-role/AWSElasticLoadBalancingServiceRolePolicy',
  },
} as const satisfies Record<string, ServiceLinkedRole>;

/**
 * The Snapshot: everything iamsight knows about an AWS estate at one point in time.
 *
 * Conventions (read these before adding a field):
 * - camelCase inside; AWS casing stays at the ingest boundary.
 * - "Not collected" is not "empty": a field typed `T | null` is `null` when the source that would
 *   have told us was not given or could not be read, and a {@link Gap} says why. An empty array
 *   means "collected, and there are none".
 * - Policy documents are kept as the parsed JSON the source held ({@link PolicyDocument}); the
 *   policy layer (src/policy) parses and normalises them. Everything in here came from AWS and is
 *   attacker-controlled text.
 * - Dates are ISO-8601 strings in UTC (`2023-03-09T10:41:38.000Z`).
 */

/** A policy document as AWS stores it, parsed from JSON; validated by src/policy, not here. */
export type PolicyDocument = Readonly<Record<string, unknown>>;

/** Key/value tags, in the order AWS returned them. */
export type Tags = Readonly<Record<string, string>>;

export type PrincipalType = 'user' | 'group' | 'role' | 'root';

/** An inline (embedded) policy of a user, group or role. */
export interface InlinePolicy {
  readonly name: string;
  readonly document: PolicyDocument;
}

/** One version of a managed policy. */
export interface PolicyVersion {
  readonly versionId: string;
  readonly isDefault: boolean;
  readonly createDate: string | null;
  readonly document: PolicyDocument;
}

/** A customer managed or AWS managed policy. */
export interface ManagedPolicy {
  readonly arn: string;
  readonly name: string;
  /** `aws` for AWS managed policies, else the owning account id. */
  readonly accountId: string;
  readonly isAwsManaged: boolean;
  readonly path: string;
  readonly policyId: string | null;
  readonly defaultVersionId: string;
  /** Every version we know; exactly one has `isDefault`. */
  readonly versions: readonly PolicyVersion[];
  readonly attachmentCount: number | null;
  readonly permissionsBoundaryUsageCount: number | null;
  readonly createDate: string | null;
  readonly updateDate: string | null;
  /** Where the document came from: the account's own dump, or the bundled AWS managed set. */
  readonly source: 'snapshot' | 'bundled-aws-managed';
}

/** Reference from a principal to a managed policy. */
export interface PolicyAttachment {
  readonly policyArn: string;
  readonly policyName: string;
}

export interface AccessKey {
  /** AKIA… id; null when only the credential report (which omits ids) knew of the key. */
  readonly id: string | null;
  /** 1 or 2: the credential report's key slot. */
  readonly slot: 1 | 2 | null;
  readonly status: 'Active' | 'Inactive';
  readonly createDate: string | null;
  readonly lastRotated: string | null;
  readonly lastUsedDate: string | null;
  readonly lastUsedRegion: string | null;
  readonly lastUsedService: string | null;
}

export interface LoginProfile {
  readonly createDate: string | null;
  readonly passwordLastUsed: string | null;
  readonly passwordLastChanged: string | null;
  readonly passwordNextRotation: string | null;
}

export interface MfaDevice {
  readonly serialNumber: string | null;
  readonly kind: 'virtual' | 'hardware' | 'unknown';
  readonly enableDate: string | null;
}

export interface LastUsed {
  readonly date: string | null;
  readonly region: string | null;
}

/** One action's last access in IAM's service last accessed report (Access Advisor, ACTION_LEVEL). */
export interface ActionLastAccessed {
  /** The IAM action name without the service prefix, as IAM reports it (`GetObject`). */
  readonly action: string;
  readonly lastAccessed: string | null;
  readonly region: string | null;
  readonly entity: string | null;
}

/** One service in a principal's service last accessed report. */
export interface ServiceLastAccessed {
  /** The IAM service prefix (`s3`, `dynamodb`). */
  readonly namespace: string;
  /** When an entity last authenticated to the service through this principal; null: never in the tracking period. */
  readonly lastAuthenticated: string | null;
  readonly lastAuthenticatedEntity: string | null;
  readonly lastAuthenticatedRegion: string | null;
  readonly totalAuthenticatedEntities: number | null;
  /** The actions IAM tracks at action level for the service (a few services only); empty otherwise. */
  readonly actions: readonly ActionLastAccessed[];
}

/**
 * IAM's service last accessed details (Access Advisor) of a user, group or role: every service its
 * policies allow, with when it was last used (IAM keeps 400 days of this history).
 */
export interface ServiceAccessReport {
  /** When IAM finished the report: the time the data is current to. */
  readonly jobCompletionDate: string | null;
  readonly services: readonly ServiceLastAccessed[];
}

interface PrincipalBase {
  readonly arn: string;
  readonly accountId: string;
  readonly name: string;
  /** AIDA…/AROA…/AGPA… unique id; null for the account root. */
  readonly id: string | null;
  readonly path: string;
  readonly createDate: string | null;
  readonly tags: Tags;
  readonly attachedPolicies: readonly PolicyAttachment[];
  readonly inlinePolicies: readonly InlinePolicy[];
  /** ARN of the permissions boundary policy, or null when none is set. */
  readonly permissionsBoundaryArn: string | null;
  /**
   * IAM's service last accessed details; null or absent: not collected (a collection that failed
   * records an `iam:service-last-accessed` gap).
   */
  readonly serviceLastAccessed?: ServiceAccessReport | null;
}

export interface UserPrincipal extends PrincipalBase {
  readonly type: 'user';
  readonly groupNames: readonly string[];
  /** null: not collected (no credential report and no key listing). */
  readonly accessKeys: readonly AccessKey[] | null;
  /** null: not collected; `{exists:false}` when known to have no console password. */
  readonly loginProfile:
    ({ readonly exists: true } & LoginProfile) | { readonly exists: false } | null;
  readonly mfaDevices: readonly MfaDevice[] | null;
}

export interface RolePrincipal extends PrincipalBase {
  readonly type: 'role';
  readonly trustPolicy: PolicyDocument;
  readonly instanceProfileArns: readonly string[];
  readonly lastUsed: LastUsed | null;
  readonly maxSessionDuration: number | null;
  readonly description: string | null;
}

export interface GroupPrincipal extends PrincipalBase {
  readonly type: 'group';
}

/** The account root user (known from the credential report or the account itself). */
export interface RootPrincipal extends PrincipalBase {
  readonly type: 'root';
  /**
   * When the root password was last used (the credential report's `password_last_used`); null
   * when never, or not known. The report does not say whether root has a password
   * (`password_enabled` is `not_supported`), so `loginProfile` stays null.
   */
  readonly passwordLastUsed: string | null;
  readonly accessKeys: readonly AccessKey[] | null;
  readonly loginProfile:
    ({ readonly exists: true } & LoginProfile) | { readonly exists: false } | null;
  readonly mfaDevices: readonly MfaDevice[] | null;
}

export type Principal = UserPrincipal | RolePrincipal | GroupPrincipal | RootPrincipal;

export interface InstanceProfile {
  readonly arn: string;
  readonly name: string;
  readonly accountId: string;
  readonly roleArns: readonly string[];
}

/** A SAML or OIDC identity provider the account trusts. */
export interface IdentityProvider {
  readonly arn: string;
  readonly accountId: string;
  readonly kind: 'saml' | 'oidc';
  /** For OIDC: the issuer URL without scheme (e.g. `token.actions.githubusercontent.com`). */
  readonly url: string | null;
  readonly clientIds: readonly string[];
  /** For SAML: when the provider's metadata (its signing certificate) expires; null if unknown. */
  readonly validUntil: string | null;
}

/**
 * The four S3 Block Public Access settings, of a bucket or of an account. S3 applies the most
 * restrictive combination of the two levels: each setting is on when either level turns it on.
 */
export interface S3PublicAccessBlock {
  readonly blockPublicAcls: boolean;
  readonly ignorePublicAcls: boolean;
  readonly blockPublicPolicy: boolean;
  readonly restrictPublicBuckets: boolean;
}

/** Network and public-access facts about a resource (only what the source told us). */
export interface Exposure {
  readonly publicIp?: string | null;
  readonly securityGroupIds?: readonly string[];
  /** Ingress rules open to 0.0.0.0/0 or ::/0 (security groups only). */
  readonly openIngress?: readonly {
    readonly protocol: string;
    readonly fromPort: number | null;
    readonly toPort: number | null;
    readonly cidr: string;
  }[];
  /** Bucket-level S3 Block Public Access; null when the bucket has none configured. */
  readonly publicAccessBlock?: S3PublicAccessBlock | null;
  /** Lambda function URL auth type: `NONE` is unauthenticated. */
  readonly functionUrlAuthType?: 'NONE' | 'AWS_IAM' | null;
  readonly directInternetAccess?: boolean | null;
}

/** A non-IAM resource: its policy, the roles it runs as, and its exposure. */
export interface Resource {
  readonly arn: string;
  /** AWS CloudFormation / AWS Config type name, e.g. `AWS::Lambda::Function`. */
  readonly type: string;
  readonly accountId: string;
  readonly region: string | null;
  readonly name: string;
  /** Resource-based policy; null when the resource has none or it was not collected (see gaps). */
  readonly policy: PolicyDocument | null;
  /** Roles this resource runs as (execution role, task role, instance profile role, ...). */
  readonly roleArns: readonly string[];
  readonly instanceProfileArn?: string | null;
  readonly exposure: Exposure;
  readonly tags: Tags;
  /** A small, bounded excerpt of the configuration for display. */
  readonly properties: Readonly<Record<string, unknown>>;
}

export interface Account {
  readonly id: string;
  readonly name: string | null;
  /** Inputs this account's data came from (file names or `collect`). */
  readonly sources: readonly string[];
  /** Password policy, when known. */
  readonly passwordPolicy?: Readonly<Record<string, unknown>> | null;
  /**
   * Account-level S3 Block Public Access. Absent: not collected (unknown). When AWS answers that
   * the account has none configured, all four settings are false: known, and blocking nothing.
   */
  readonly s3PublicAccessBlock?: S3PublicAccessBlock;
}

export type OrgPolicyType = 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';

export interface OrgPolicy {
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  readonly type: OrgPolicyType;
  readonly awsManaged: boolean;
  readonly document: PolicyDocument;
  /** Ids of the root, OUs and accounts the policy is attached to. */
  readonly targetIds: readonly string[];
}

export interface OrgUnit {
  readonly id: string;
  readonly name: string;
  /** The root (`r-…`) or parent OU (`ou-…`). */
  readonly parentId: string;
}

export interface OrgAccount {
  readonly id: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly status: string | null;
  readonly parentId: string;
}

export interface Organization {
  readonly id: string;
  readonly arn: string | null;
  readonly managementAccountId: string;
  readonly rootId: string;
  readonly units: readonly OrgUnit[];
  readonly accounts: readonly OrgAccount[];
  readonly policies: readonly OrgPolicy[];
  readonly delegatedAdministrators: readonly {
    readonly accountId: string;
    readonly servicePrincipal: string | null;
  }[];
}

/**
 * Something iamsight could not see. A gap never resolves a finding that needed the missing data.
 * `source` is a stable key such as `iam:credential-report`, `config:AWS::S3::Bucket`, `org:scp`.
 */
export interface Gap {
  readonly source: string;
  readonly accountId: string | null;
  readonly region: string | null;
  readonly detail: string;
}

/** A note about the input that is not an error (e.g. an unknown resource type was skipped). */
export interface Notice {
  readonly file: string;
  readonly detail: string;
}

export interface Snapshot {
  readonly accounts: readonly Account[];
  readonly principals: readonly Principal[];
  readonly policies: readonly ManagedPolicy[];
  readonly instanceProfiles: readonly InstanceProfile[];
  readonly identityProviders: readonly IdentityProvider[];
  readonly resources: readonly Resource[];
  readonly organization: Organization | null;
  readonly gaps: readonly Gap[];
  readonly notices: readonly Notice[];
}

/**
 * The principal a CloudTrail record acts for, keyed as src/model/usage.ts says: the ARN of the IAM
 * identity (a role session counts for its role, a GetFederationToken session for the user or root
 * that issued it), or a prefixed key when the caller is not an IAM identity of a known ARN.
 *
 * userIdentity types (CloudTrail User Guide, "CloudTrail userIdentity element"): Root, IAMUser,
 * AssumedRole, Role, FederatedUser, AWSAccount, AWSService, SAMLUser, WebIdentityUser,
 * IdentityCenterUser, Directory, Unknown.
 */
import type { UsagePrincipalKind } from '../../model/index.js';

/** The userIdentity fields the mapping reads (strings as recorded, null when absent). */
export interface CallerIdentity {
  readonly type: string | null;
  readonly arn: string | null;
  readonly accountId: string | null;
  readonly invokedBy: string | null;
  readonly identityProvider: string | null;
  /** `sessionContext.sessionIssuer`. */
  readonly issuerType: string | null;
  readonly issuerArn: string | null;
  readonly issuerAccountId: string | null;
  /** `onBehalfOf.identityStoreArn` (IdentityCenterUser). */
  readonly identityStoreArn: string | null;
}

/** What the record says besides userIdentity that federation needs (AssumeRoleWith* calls). */
export interface FederationContext {
  /** `requestParameters.principalArn`: the SAML provider of AssumeRoleWithSAML. */
  readonly samlProviderArn: string | null;
  /** `responseElements.provider`: the OIDC provider of a successful AssumeRoleWithWebIdentity. */
  readonly webIdentityProvider: string | null;
  /** `requestParameters.roleArn`: its account holds the OIDC provider. */
  readonly roleArn: string | null;
  readonly recipientAccountId: string | null;
}

/** A principal key with its kind and account. */
export interface PrincipalRef {
  readonly key: string;
  readonly kind: UsagePrincipalKind;
  readonly accountId: string | null;
}

/** Web identity providers built into AWS: trust policies name them without an ARN. */
const BUILT_IN_WEB_IDENTITY_PROVIDERS = new Set([
  'cognito-identity.amazonaws.com',
  'www.amazon.com',
  'graph.facebook.com',
  'accounts.google.com',
]);

const ACCOUNT_ID = /^\d{12}$/;

function accountOfArn(arn: string): string | null {
  const account = arn.split(':')[4] ?? '';
  return ACCOUNT_ID.test(account) ? account : null;
}

function partitionOfArn(arn: string | null): string {
  const partition = arn?.startsWith('arn:') ? arn.split(':')[1] : undefined;
  return partition && /^aws(-[a-z]+)*$/.test(partition) ? partition : 'aws';
}

/** `arn:aws:sts::1:assumed-role/Name/session` → `arn:aws:iam::1:role/Name` (the role's path is not recorded). */
function roleOfSessionArn(arn: string): string | null {
  const match = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(arn);
  return match ? `arn:${match[1]}:iam::${match[2]}:role/${match[3]}` : null;
}

function kindOfIssuer(type: string | null, arn: string): UsagePrincipalKind {
  if (type === 'Role' || arn.includes(':role/')) return 'role';
  if (type === 'Root' || arn.endsWith(':root')) return 'root';
  if (type === 'IAMUser' || arn.includes(':user/')) return 'user';
  return 'unknown';
}

function byAccount(accountId: string | null): PrincipalRef {
  return accountId && ACCOUNT_ID.test(accountId)
    ? { key: `account:${accountId}`, kind: 'unknown', accountId }
    : { key: 'unknown', kind: 'unknown', accountId: null };
}

function federated(provider: string): PrincipalRef {
  return {
    key: `federated:${provider}`,
    kind: 'federated',
    accountId: provider.startsWith('arn:') ? accountOfArn(provider) : null,
  };
}

/** The OIDC provider of a web identity caller, as an ARN when AWS would name it by one. */
function webIdentityProviderOf(identity: CallerIdentity, context: FederationContext): string {
  if (context.webIdentityProvider) return context.webIdentityProvider;
  const issuer = identity.identityProvider ?? '';
  if (issuer === '' || issuer.startsWith('arn:') || BUILT_IN_WEB_IDENTITY_PROVIDERS.has(issuer))
    return issuer || 'unknown';
  const account =
    (context.roleArn && accountOfArn(context.roleArn)) ?? context.recipientAccountId ?? null;
  return account
    ? `arn:${partitionOfArn(context.roleArn)}:iam::${account}:oidc-provider/${issuer}`
    : issuer;
}

/** The principal a record acts for (see the file comment). */
export function principalOf(identity: CallerIdentity, context: FederationContext): PrincipalRef {
  const { type, arn } = identity;
  switch (type) {
    case 'IAMUser':
      return arn
        ? { key: arn, kind: 'user', accountId: accountOfArn(arn) }
        : byAccount(identity.accountId);
    case 'Root': {
      const account = identity.accountId ?? (arn ? accountOfArn(arn) : null);
      if (arn) return { key: arn, kind: 'root', accountId: account };
      return account
        ? { key: `arn:aws:iam::${account}:root`, kind: 'root', accountId: account }
        : byAccount(null);
    }
    case 'AssumedRole':
    case 'Role':
    case 'FederatedUser': {
      const issuer = identity.issuerArn;
      if (issuer) {
        return {
          key: issuer,
          kind: kindOfIssuer(identity.issuerType, issuer),
          accountId: identity.issuerAccountId ?? accountOfArn(issuer),
        };
      }
      const role = arn
        ? type === 'Role' && arn.includes(':role/')
          ? arn
          : roleOfSessionArn(arn)
        : null;
      return role
        ? { key: role, kind: 'role', accountId: accountOfArn(role) }
        : byAccount(identity.accountId);
    }
    case 'SAMLUser':
      return federated(context.samlProviderArn ?? identity.identityProvider ?? 'unknown');
    case 'WebIdentityUser':
      return federated(webIdentityProviderOf(identity, context));
    case 'IdentityCenterUser':
      return federated(identity.identityStoreArn ?? 'unknown');
    case 'AWSService':
      return identity.invokedBy
        ? { key: `service:${identity.invokedBy}`, kind: 'service', accountId: null }
        : byAccount(identity.accountId);
    case 'AWSAccount':
      return byAccount(identity.accountId);
    default:
      // Directory, Unknown, a type not documented yet, or no userIdentity at all.
      if (arn?.startsWith('arn:'))
        return { key: arn, kind: 'unknown', accountId: accountOfArn(arn) };
      if (identity.invokedBy)
        return { key: `service:${identity.invokedBy}`, kind: 'service', accountId: null };
      return byAccount(identity.accountId ?? context.recipientAccountId);
  }
}

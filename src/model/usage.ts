/**
 * Usage: what CloudTrail says was really used, kept only as aggregates (never the records).
 *
 * Produced by src/ingest/cloudtrail (local files), by the Athena query (organization trail), and by
 * the generator's ground truth in tests; read by src/usage. The same JSON shape comes from every
 * source (`iamsight usage --format json` prints it), so it is plain arrays and strings, not maps.
 *
 * Conventions: dates are ISO-8601 UTC strings; every name in here came from a log record and is
 * attacker-controlled text. A principal is keyed by the ARN of the IAM identity it acts for — a
 * role session counts for its role (`sessionContext.sessionIssuer.arn`), root for
 * `arn:aws:iam::<account>:root` — or, when it is not an IAM identity, by a prefixed key:
 * `federated:<provider>` (SAML / web identity without a role) and `service:<host>` (an AWS service
 * acting itself, e.g. `service:cloudtrail.amazonaws.com`).
 *
 * Also (kind `unknown`): `account:<accountId>` for a caller known only by its account (userIdentity
 * type `AWSAccount`, a principal of another account, or a record without userIdentity), and
 * `unknown` when a record names no account either. The `<provider>` of `federated:` is the SAML or
 * OIDC provider's ARN (`arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com`),
 * the name of a provider built into AWS (`accounts.google.com`), or the identity store ARN of an
 * IAM Identity Center user.
 */

export const USAGE_SCHEMA = 'iamsight.usage/v1';

export type UsagePrincipalKind = 'user' | 'role' | 'root' | 'federated' | 'service' | 'unknown';

/** One principal × one IAM action. */
export interface ActionUsage {
  /** IAM action as IAM spells it (`s3:GetObject`, `lambda:UpdateFunctionCode`), not the event name. */
  readonly action: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** Records counted, successful or not. */
  readonly count: number;
  /** Records with an `errorCode` of AccessDenied / UnauthorizedOperation / …Denied / Forbidden. */
  readonly denied: number;
  /**
   * Resource ARNs seen for this action on successful calls, at most {@link USAGE_RESOURCE_LIMIT}
   * (then `resourcesTruncated`); empty when the records named none.
   */
  readonly resources: readonly string[];
  readonly resourcesTruncated: boolean;
}

export const USAGE_RESOURCE_LIMIT = 20;

export interface PrincipalUsage {
  readonly principal: string;
  readonly kind: UsagePrincipalKind;
  readonly accountId: string | null;
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** Sorted by action. */
  readonly actions: readonly ActionUsage[];
  /** Last successful console sign-in (`signin:ConsoleLogin`) of a user or root: its password was used. */
  readonly lastConsoleLogin: string | null;
}

/** One access key id (AKIA… long-lived, ASIA… temporary). Only AKIA keys are kept by default. */
export interface AccessKeyUsage {
  readonly accessKeyId: string;
  /** Principal key (see the file comment) the key acted for. */
  readonly principal: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly count: number;
  /** Services called with the key (the action prefix, e.g. `s3`), sorted, at most 64. */
  readonly services: readonly string[];
}

/** Who assumed a role (AssumeRole, AssumeRoleWithSAML, AssumeRoleWithWebIdentity) and when. */
export interface RoleAssumption {
  readonly role: string;
  /** Principal key of the caller, `federated:<provider>` for SAML / web identity, `service:<host>` for a service. */
  readonly assumedBy: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly count: number;
}

/** What was read and what could not be. */
export interface UsageStats {
  readonly files: number;
  readonly bytes: number;
  readonly records: number;
  /** Records outside the time window (`--since`/`--until`), not counted. */
  readonly outsideWindow: number;
  /** Records that were not objects or lacked eventSource / eventName / eventTime. */
  readonly malformedRecords: number;
  /** Files that could not be read to the end (truncated .gz, invalid JSON): name and reason. */
  readonly unreadableFiles: readonly { readonly file: string; readonly reason: string }[];
}

export interface Usage {
  readonly schema: typeof USAGE_SCHEMA;
  /** Earliest and latest counted record (null when none was counted). */
  readonly window: { readonly start: string | null; readonly end: string | null };
  /** Sorted by principal. */
  readonly principals: readonly PrincipalUsage[];
  /** Sorted by accessKeyId. */
  readonly accessKeys: readonly AccessKeyUsage[];
  /** Sorted by role, then assumedBy. */
  readonly assumptions: readonly RoleAssumption[];
  readonly stats: UsageStats;
}

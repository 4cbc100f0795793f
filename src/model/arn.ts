/** A parsed ARN: `arn:partition:service:region:account:resource`. */
export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly accountId: string;
  /** Everything after the fifth colon, e.g. `role/path/name` or `function:fn:alias`. */
  readonly resource: string;
}

/** Parses an ARN, or returns null when `text` is not one. Resource part may contain colons. */
export function parseArn(text: string): Arn | null {
  if (!text.startsWith('arn:')) return null;
  const parts = text.split(':');
  if (parts.length < 6) return null;
  const [, partition, service, region, accountId] = parts as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (!partition || !service) return null;
  return { partition, service, region, accountId, resource: parts.slice(5).join(':') };
}

/** The account id in an ARN, or null (e.g. for S3 bucket ARNs, which carry none). */
export function accountIdOfArn(text: string): string | null {
  const arn = parseArn(text);
  return arn && /^\d{12}$/.test(arn.accountId) ? arn.accountId : null;
}

/** True for a 12-digit AWS account id. */
export function isAccountId(text: string): boolean {
  return /^\d{12}$/.test(text);
}

/** The last path segment of an IAM resource (`role/a/b/name` → `name`). */
export function nameOfIamArn(text: string): string {
  const arn = parseArn(text);
  const resource = arn ? arn.resource : text;
  const slash = resource.lastIndexOf('/');
  return slash >= 0 ? resource.slice(slash + 1) : resource;
}

/** Builds the ARN of an IAM entity: `iamArn('100000000001', 'role', '/ci/', 'deployer')`. */
export function iamArn(
  accountId: string,
  kind: 'user' | 'group' | 'role' | 'policy' | 'instance-profile',
  path: string,
  name: string,
  partition = 'aws',
): string {
  const normalisedPath = path.startsWith('/') ? path : `/${path}`;
  return `arn:${partition}:iam::${accountId}:${kind}${normalisedPath}${name}`;
}

/** The ARN of an account's root user. */
export function rootArn(accountId: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${accountId}:root`;
}

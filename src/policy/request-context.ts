/**
 * The request context keys AWS derives from the caller and the resource ("AWS global condition
 * context keys"): aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:username,
 * aws:PrincipalTag/*, aws:PrincipalIsAWSService, aws:PrincipalServiceName, aws:ResourceAccount.
 * Keys given explicitly win over derived ones.
 */
import { parseArn } from '../model/index.js';
import type { CallerIdentity } from './match-principal.js';
import type { ContextValues } from './types.js';

export interface ContextInput {
  readonly caller: CallerIdentity;
  readonly resourceAccount: string | null;
  readonly principalTags?: Readonly<Record<string, string>>;
  /** Keys the request states explicitly (lower-cased). */
  readonly explicit?: ContextValues;
}

const PRINCIPAL_TYPE: Partial<Record<CallerIdentity['type'], string>> = {
  user: 'User',
  role: 'AssumedRole',
  'assumed-role': 'AssumedRole',
  root: 'Account',
  'federated-user': 'FederatedUser',
  anonymous: 'Anonymous',
};

/** Builds the full request context: derived keys first, explicit keys over them. */
export function buildRequestContext(input: ContextInput): ContextValues {
  const context = new Map<string, readonly string[]>();
  const { caller } = input;
  const set = (key: string, value: string | null | undefined): void => {
    if (value !== null && value !== undefined) context.set(key.toLowerCase(), [value]);
  };
  if (caller.type === 'service') {
    set('aws:PrincipalIsAWSService', 'true');
    set('aws:PrincipalServiceName', caller.service ?? caller.arn);
  } else if (caller.type !== 'anonymous') {
    set('aws:PrincipalIsAWSService', 'false');
  }
  if (caller.type !== 'service' && caller.type !== 'anonymous') {
    set(
      'aws:PrincipalArn',
      caller.type === 'assumed-role' ? (caller.roleArn ?? caller.arn) : caller.arn,
    );
    set('aws:PrincipalAccount', caller.accountId);
  }
  set('aws:PrincipalType', PRINCIPAL_TYPE[caller.type]);
  if (caller.type === 'user') {
    const arn = parseArn(caller.arn);
    set('aws:username', arn ? arn.resource.slice(arn.resource.lastIndexOf('/') + 1) : null);
  }
  for (const [key, value] of Object.entries(input.principalTags ?? {}))
    set(`aws:PrincipalTag/${key}`, value);
  set('aws:ResourceAccount', input.resourceAccount);
  for (const [key, values] of input.explicit ?? []) context.set(key.toLowerCase(), values);
  return context;
}

/**
 * The account that owns a resource: the one given, else the account field of its ARN, else (S3
 * bucket ARNs and `*` carry none) the caller's account.
 */
export function resourceAccountOf(
  resource: string,
  given: string | null | undefined,
  callerAccount: string | null,
): string | null {
  if (given) return given;
  const arn = parseArn(resource);
  if (arn && /^\d{12}$/.test(arn.accountId)) return arn.accountId;
  return callerAccount;
}

/**
 * What every collector shares: how an SDK client is configured (the SDK's standard configuration:
 * credential chain, region, AWS_ENDPOINT_URL[_<SERVICE>], adaptive retries) and how an AWS error
 * becomes a recorded gap instead of a failure.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { Gap } from '../model/index.js';

/** Credentials as the SDK takes them: fixed, or a provider that refreshes itself. */
export type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

/** Attempts per call (the first and the retries) in the SDK's adaptive retry mode. */
export const DEFAULT_MAX_ATTEMPTS = 8;

/** The configuration every client is built with. */
export interface ClientSettings {
  readonly region: string;
  readonly credentials?: Credentials;
  /** A named profile of the shared config (`--profile`); the default chain otherwise. */
  readonly profile?: string;
  readonly maxAttempts?: number;
}

/**
 * The SDK client configuration for `settings`: the adaptive retry mode (client-side rate limiting
 * plus exponential backoff with jitter on throttling and transient errors). Endpoints are left to
 * the SDK, which honours AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> itself.
 */
export function clientConfig(settings: ClientSettings): {
  region: string;
  credentials?: Credentials;
  profile?: string;
  maxAttempts: number;
  retryMode: string;
} {
  return {
    region: settings.region,
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    ...(settings.profile ? { profile: settings.profile } : {}),
    maxAttempts: settings.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryMode: process.env.AWS_RETRY_MODE ?? 'adaptive',
  };
}

/**
 * One provider whose credentials are shared by every client until five minutes before they
 * expire (each SDK client would otherwise assume the role again for itself).
 */
export function shareCredentials(
  provider: AwsCredentialIdentityProvider,
  now: () => number = Date.now,
): AwsCredentialIdentityProvider {
  let pending: Promise<AwsCredentialIdentity> | null = null;
  let current: AwsCredentialIdentity | null = null;
  return async () => {
    const expires = current?.expiration?.getTime();
    if (current && (expires === undefined || expires - now() > 5 * 60 * 1000)) return current;
    pending ??= provider().finally(() => {
      pending = null;
    });
    current = await pending;
    return current;
  };
}

/** Why a call could not give its data. */
export type FailureKind = 'denied' | 'region-disabled' | 'throttled' | 'unreachable' | 'failed';

const DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedAccess',
  'AuthorizationError',
  'AuthorizationErrorException',
  'NotAuthorized',
  'Forbidden',
]);
const REGION_DISABLED = new Set([
  'OptInRequired',
  'AuthFailure',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidIdentityToken',
]);
const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
  'RequestThrottled',
  'RequestThrottledException',
]);
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'TimeoutError',
  'RequestTimeout',
]);

/** An error the SDK raised for a call (a service error, or the network), classified. */
export interface AwsFailure {
  readonly kind: FailureKind;
  /** The service's error code, or the network error code. */
  readonly code: string;
  readonly message: string;
}

/**
 * Classifies an error thrown by an SDK call; null when it is not an AWS or network error (a bug,
 * which the caller rethrows).
 */
export function classifyAwsError(error: unknown): AwsFailure | null {
  if (typeof error !== 'object' || error === null) return null;
  const e = error as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    $metadata?: unknown;
    $fault?: unknown;
  };
  const name = typeof e.name === 'string' ? e.name : '';
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  const isService = e.$metadata !== undefined || e.$fault !== undefined;
  if (NETWORK.has(code) || NETWORK.has(name))
    return { kind: 'unreachable', code: code || name, message };
  if (!isService) return null;
  const errorCode = name || code || 'UnknownError';
  const kind: FailureKind = DENIED.has(errorCode)
    ? 'denied'
    : REGION_DISABLED.has(errorCode)
      ? 'region-disabled'
      : THROTTLED.has(errorCode)
        ? 'throttled'
        : 'failed';
  return { kind, code: errorCode, message };
}

const WHY: Record<FailureKind, string> = {
  denied: 'access denied',
  'region-disabled':
    'the region is not enabled for the account (or the credentials are not valid there)',
  throttled: 'still throttled after retries',
  unreachable: 'AWS could not be reached',
  failed: 'AWS refused the call',
};

/** One line saying why a call failed: `access denied (AccessDenied: User ... is not authorized ...)`. */
export function describeFailure(failure: AwsFailure): string {
  const message = failure.message.replace(/\s+/g, ' ').trim().slice(0, 300);
  return `${WHY[failure.kind]} (${failure.code}${message ? `: ${message}` : ''})`;
}

/** Where a collector records what it could not see. */
export interface GapSink {
  readonly accountId: string;
  readonly region: string | null;
  add(gap: Gap): void;
}

/**
 * Runs one AWS call (or a group of calls for one kind of data); an AWS or network error becomes a
 * gap `{source, accountId, region, detail}` and `undefined` is returned. Other errors are bugs and
 * are rethrown.
 */
export async function attempt<T>(
  sink: GapSink,
  source: string,
  what: string,
  run: () => Promise<T>,
  region: string | null = sink.region,
): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    const failure = classifyAwsError(error);
    if (!failure) throw error;
    sink.add({
      source,
      accountId: sink.accountId,
      region,
      detail: `${what}: ${describeFailure(failure)}`,
    });
    return undefined;
  }
}

/** Reads every page of a paginated call, at most `maxPages` (then a gap says the rest is missing). */
export async function readPages<P, Item>(
  fetchPage: (token: string | undefined) => Promise<P>,
  itemsOf: (page: P) => readonly Item[] | undefined,
  tokenOf: (page: P) => string | undefined,
  maxPages = 1000,
): Promise<{ items: Item[]; truncated: boolean }> {
  const items: Item[] = [];
  let token: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const response = await fetchPage(token);
    items.push(...(itemsOf(response) ?? []));
    token = tokenOf(response);
    if (!token) return { items, truncated: false };
  }
  return { items, truncated: true };
}

/**
 * One CloudTrail record → the aggregate: checks the fields a record must have, applies the time
 * window, maps the event to its IAM action and the caller to its principal, and adds the call,
 * the resources it named, the long-lived access key it used, the role it assumed and a console
 * sign-in. Every string kept is bounded (an ARN at most 2,048 characters, as IAM allows).
 *
 * This is the hot path of `iamsight usage` (millions of records): the common callers (role
 * sessions, IAM users, AWS services) are recognised from the bytes and cached by the one field that
 * decides their principal; every other caller goes through {@link principalOf}.
 */
import { UsageAggregator } from './aggregate.js';
import { iamActionOfEvent, isDeniedErrorCode } from './event-action.js';
import {
  principalOf,
  type CallerIdentity,
  type FederationContext,
  type PrincipalRef,
} from './principal.js';
import { ascii, F, type RecordSpans } from './scan.js';

/** Longest ARN kept (IAM's limit for an ARN); a longer principal ARN makes the record malformed. */
export const MAX_ARN_CHARS = 2048;
/** Longest event source, event name or error code accepted (AWS's are under 100 characters). */
export const MAX_NAME_CHARS = 256;
/** Longest other identity field read (account ids, key ids, provider names, service hosts). */
const MAX_FIELD_CHARS = 2048;
/** Longest request / response element parsed to find an assumed role or a sign-in result. */
const MAX_ELEMENT_BYTES = 64 * 1024;

/** The time window: records before `since` or at/after `until` are not counted. */
export interface TimeWindow {
  /** Inclusive, `YYYY-MM-DDTHH:MM:SSZ`. */
  readonly since?: string | null;
  /** Exclusive, `YYYY-MM-DDTHH:MM:SSZ`. */
  readonly until?: string | null;
}

/** Options of {@link RecordReader}. */
export interface RecordOptions extends TimeWindow {
  /** Keep temporary (ASIA…) access keys too; by default only long-lived AKIA… keys are kept. */
  readonly temporaryKeys?: boolean;
}

/** What one record says, as {@link describeRecord} maps it (for tests and diagnostics). */
export interface TrailEvent {
  readonly time: string;
  readonly action: string;
  readonly principal: PrincipalRef;
  readonly errorCode: string | null;
  readonly denied: boolean;
  readonly resources: readonly string[];
  readonly accessKeyId: string | null;
  readonly sourceIp: string | null;
  readonly userAgent: string | null;
  /** The role a successful AssumeRole* call assumed. */
  readonly assumedRole: string | null;
  /** A successful console sign-in of a user or root. */
  readonly consoleLogin: boolean;
}

const ANY_ISO =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * A record time as `YYYY-MM-DDTHH:MM:SSZ` (CloudTrail's own form, which sorts as text), or null
 * when it is not a real ISO-8601 date-time. Fractions of a second are dropped.
 */
export function normaliseEventTime(text: string): string | null {
  const match = ANY_ISO.exec(text);
  if (!match) return null;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return null;
  // Reject dates that do not exist (2026-02-30) instead of letting Date roll them over.
  const [, year, month, day] = match;
  if (match[7] === 'Z' && `${year}-${month}-${day}` !== date.toISOString().slice(0, 10))
    return null;
  return `${date.toISOString().slice(0, 19)}Z`;
}

const SIGNIN_SOURCE = ascii('signin.amazonaws.com');
const STS_SOURCE = ascii('sts.amazonaws.com');
const CONSOLE_LOGIN = ascii('ConsoleLogin');
const AKIA = ascii('AKIA');
const ASIA = ascii('ASIA');
const T_ASSUMED_ROLE = ascii('AssumedRole');
const T_IAM_USER = ascii('IAMUser');
const T_AWS_SERVICE = ascii('AWSService');

const ASSUME_ROLE_EVENTS = new Set([
  'AssumeRole',
  'AssumeRoleWithSAML',
  'AssumeRoleWithWebIdentity',
]);

function parseElements(spans: RecordSpans, f: number): Record<string, unknown> | null {
  const start = spans.start[f] as number;
  if (start < 0 || (spans.end[f] as number) - start > MAX_ELEMENT_BYTES) return null;
  const raw = spans.raw(f);
  if (raw === null || raw[0] !== '{') return null;
  try {
    const value = JSON.parse(raw) as unknown;
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    // A request or response element that is not valid JSON names no role: nothing to keep.
    return null;
  }
}

function boundedString(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ARN_CHARS
    ? value
    : null;
}

/** A string field of at most `max` characters (UTF-8 takes at most 4 bytes a character), or null. */
function field(spans: RecordSpans, f: number, max = MAX_FIELD_CHARS): string | null {
  const length = spans.length(f);
  if (length <= 0 || length > max * 4) return null;
  const text = spans.text(f);
  return text !== null && text.length > 0 && text.length <= max ? text : null;
}

/** True when field `f` is longer than IAM allows an ARN to be. */
function tooLong(spans: RecordSpans, f: number): boolean {
  const length = spans.length(f);
  return (
    length > MAX_ARN_CHARS &&
    (length > MAX_ARN_CHARS * 4 || (spans.text(f) ?? '').length > MAX_ARN_CHARS)
  );
}

function startsWith(spans: RecordSpans, f: number, prefix: Uint8Array): boolean {
  const start = spans.start[f] as number;
  if (start < 0 || (spans.end[f] as number) - start < prefix.length) return false;
  const b = spans.buffer;
  for (let i = 0; i < prefix.length; i++) if (b[start + i] !== prefix[i]) return false;
  return true;
}

/** The userIdentity fields of a record. */
function identityOf(spans: RecordSpans): CallerIdentity {
  return {
    type: spans.hasIdentity ? field(spans, F.type, 64) : null,
    arn: field(spans, F.arn, MAX_ARN_CHARS),
    accountId: field(spans, F.accountId, 64),
    invokedBy: field(spans, F.invokedBy),
    identityProvider: field(spans, F.identityProvider),
    issuerType: field(spans, F.issuerType, 64),
    issuerArn: field(spans, F.issuerArn, MAX_ARN_CHARS),
    issuerAccountId: field(spans, F.issuerAccountId, 64),
    identityStoreArn: field(spans, F.identityStoreArn, MAX_ARN_CHARS),
  };
}

/** What SAML and web identity callers need from the request and response. */
function federationContextOf(spans: RecordSpans, type: string | null): FederationContext {
  const federated = type === 'SAMLUser' || type === 'WebIdentityUser';
  const request = federated ? parseElements(spans, F.requestParameters) : null;
  const response = type === 'WebIdentityUser' ? parseElements(spans, F.responseElements) : null;
  return {
    samlProviderArn: boundedString(request?.principalArn),
    webIdentityProvider: boundedString(response?.provider),
    roleArn: boundedString(request?.roleArn),
    recipientAccountId: field(spans, F.recipientAccountId, 64),
  };
}

/** The role an AssumeRole* record assumed: `requestParameters.roleArn`, else the role in `resources`. */
function assumedRoleOf(spans: RecordSpans): string | null {
  const request = parseElements(spans, F.requestParameters);
  const roleArn = boundedString(request?.roleArn);
  if (roleArn !== null && roleArn.startsWith('arn:') && roleArn.includes(':role/')) return roleArn;
  for (let i = 0; i < spans.resourceCount; i++) {
    const arn = spans.resource(i);
    if (arn.length <= MAX_ARN_CHARS && arn.startsWith('arn:') && arn.includes(':role/')) return arn;
  }
  return null;
}

/** A role-session principal cached by its issuer ARN, with the issuer fields it was built from. */
interface SessionPrincipal {
  readonly ref: PrincipalRef;
  readonly issuerType: string | null;
  readonly issuerAccountId: string | null;
}

/** Feeds records into an aggregator (one per thread); keeps small caches of repeated mappings. */
export class RecordReader {
  private readonly actions = new Map<string, Map<string, string>>();
  private readonly users = new Map<string, PrincipalRef>();
  private readonly services = new Map<string, PrincipalRef>();
  private readonly sessions = new Map<string, SessionPrincipal>();
  private readonly since: string | null;
  private readonly until: string | null;
  private readonly temporaryKeys: boolean;
  /** The last day (`YYYY-MM-DD`) whose dates were checked: most records of a file share it. */
  private checkedDay = '';

  constructor(
    readonly aggregate: UsageAggregator,
    options: RecordOptions = {},
  ) {
    this.since = options.since ?? null;
    this.until = options.until ?? null;
    this.temporaryKeys = options.temporaryKeys === true;
  }

  /** An element of the records array that is not an object: counted as malformed. */
  readonly malformed = (): void => {
    this.aggregate.stats.records++;
    this.aggregate.stats.malformedRecords++;
  };

  /** Adds one record (spans from the scanner). */
  readonly add = (spans: RecordSpans): void => {
    const stats = this.aggregate.stats;
    stats.records++;
    const time = this.timeOf(spans);
    const source = field(spans, F.eventSource, MAX_NAME_CHARS);
    const name = field(spans, F.eventName, MAX_NAME_CHARS);
    if (time === null || source === null || name === null) {
      stats.malformedRecords++;
      return;
    }
    if ((this.since !== null && time < this.since) || (this.until !== null && time >= this.until)) {
      stats.outsideWindow++;
      return;
    }
    const principal = this.principalOf(spans);
    if (principal === null) {
      stats.malformedRecords++;
      return;
    }
    const failed = spans.has(F.errorCode);
    const denied = failed && isDeniedErrorCode(field(spans, F.errorCode, MAX_NAME_CHARS) ?? '');
    const action = this.actionOf(source, name);
    const aggregate = this.aggregate;
    const entry = aggregate.addCalls(principal, action, time, time, 1, denied ? 1 : 0);
    if (!failed) {
      for (let i = 0; i < spans.resourceCount; i++) {
        const length = (spans.resourceEnd[i] as number) - (spans.resourceStart[i] as number);
        if (length <= 0 || length > MAX_ARN_CHARS * 4) continue;
        const arn = spans.resource(i);
        if (arn.length <= MAX_ARN_CHARS) aggregate.addResource(entry, arn);
      }
    }
    if (
      startsWith(spans, F.accessKeyId, AKIA) ||
      (this.temporaryKeys && startsWith(spans, F.accessKeyId, ASIA))
    ) {
      const key = field(spans, F.accessKeyId, 128);
      if (key !== null)
        aggregate.addKeyUse(
          key,
          principal.key,
          time,
          time,
          1,
          action.slice(0, action.indexOf(':')),
        );
    }
    if (failed) return;
    if (spans.equals(F.eventSource, STS_SOURCE)) {
      if (ASSUME_ROLE_EVENTS.has(name)) {
        const role = assumedRoleOf(spans);
        if (role !== null) aggregate.addAssumption(role, principal.key, time, time, 1);
      }
    } else if (
      (principal.kind === 'user' || principal.kind === 'root') &&
      spans.equals(F.eventName, CONSOLE_LOGIN) &&
      spans.equals(F.eventSource, SIGNIN_SOURCE) &&
      parseElements(spans, F.responseElements)?.ConsoleLogin === 'Success'
    ) {
      aggregate.addConsoleLogin(principal, time);
    }
  };

  /** The record's time as `YYYY-MM-DDTHH:MM:SSZ`, or null. */
  private timeOf(spans: RecordSpans): string | null {
    const text = field(spans, F.eventTime, 40);
    if (text === null) return null;
    // CloudTrail writes `2026-10-23T00:00:13Z`; once a day is known to exist, only the clock is checked.
    if (
      this.checkedDay !== '' &&
      text.length === 20 &&
      text.charCodeAt(19) === 0x5a &&
      text.startsWith(this.checkedDay)
    ) {
      if (CLOCK.test(text)) return text;
    }
    const time = normaliseEventTime(text);
    if (time !== null) this.checkedDay = time.slice(0, 11);
    return time;
  }

  private actionOf(source: string, name: string): string {
    let names = this.actions.get(source);
    if (names === undefined) {
      names = new Map();
      this.actions.set(source, names);
    }
    let action = names.get(name);
    if (action === undefined) {
      action = iamActionOfEvent(source, name);
      names.set(name, action);
    }
    return action;
  }

  /** The principal of a record; null when an ARN it names is longer than IAM allows. */
  private principalOf(spans: RecordSpans): PrincipalRef | null {
    if (tooLong(spans, F.arn) || tooLong(spans, F.issuerArn) || tooLong(spans, F.identityStoreArn))
      return null;
    if (spans.hasIdentity) {
      if (spans.equals(F.type, T_ASSUMED_ROLE) && spans.has(F.issuerArn)) {
        const issuer = field(spans, F.issuerArn, MAX_ARN_CHARS);
        const cached = issuer === null ? undefined : this.sessions.get(issuer);
        if (
          cached !== undefined &&
          sameText(spans, F.issuerType, cached.issuerType) &&
          sameText(spans, F.issuerAccountId, cached.issuerAccountId)
        )
          return cached.ref;
      } else if (spans.equals(F.type, T_IAM_USER) && spans.has(F.arn)) {
        const arn = field(spans, F.arn, MAX_ARN_CHARS);
        const cached = arn === null ? undefined : this.users.get(arn);
        if (cached !== undefined) return cached;
      } else if (spans.equals(F.type, T_AWS_SERVICE) && spans.has(F.invokedBy)) {
        const invokedBy = field(spans, F.invokedBy);
        const cached = invokedBy === null ? undefined : this.services.get(invokedBy);
        if (cached !== undefined) return cached;
      }
    }
    const identity = identityOf(spans);
    const ref = principalOf(identity, federationContextOf(spans, identity.type));
    if (identity.type === 'AssumedRole' && identity.issuerArn !== null)
      this.sessions.set(identity.issuerArn, {
        ref,
        issuerType: identity.issuerType,
        issuerAccountId: identity.issuerAccountId,
      });
    else if (identity.type === 'IAMUser' && identity.arn !== null)
      this.users.set(identity.arn, ref);
    else if (identity.type === 'AWSService' && identity.invokedBy !== null)
      this.services.set(identity.invokedBy, ref);
    return ref;
  }
}

const CLOCK = /T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$/;

/** True when field `f` holds exactly `text` (or is absent and `text` is null). */
function sameText(spans: RecordSpans, f: number, text: string | null): boolean {
  if (text === null) return !spans.has(f) || spans.length(f) === 0;
  return spans.equalsText(f, text) || spans.text(f) === text;
}

/** Maps one record without aggregating it (null when it would be counted as malformed or outside). */
export function describeRecord(spans: RecordSpans, options: RecordOptions = {}): TrailEvent | null {
  const aggregate = new UsageAggregator();
  new RecordReader(aggregate, { ...options, temporaryKeys: true }).add(spans);
  const usage = aggregate.finish();
  const principal = usage.principals[0];
  const action = principal?.actions[0];
  if (principal === undefined || action === undefined) return null;
  const resources: string[] = [];
  for (let i = 0; i < spans.resourceCount; i++) resources.push(spans.resource(i));
  return {
    time: action.firstSeen,
    action: action.action,
    principal: { key: principal.principal, kind: principal.kind, accountId: principal.accountId },
    errorCode: spans.text(F.errorCode),
    denied: action.denied > 0,
    resources,
    accessKeyId: field(spans, F.accessKeyId, 128),
    sourceIp: field(spans, F.sourceIPAddress),
    userAgent: field(spans, F.userAgent),
    assumedRole: usage.assumptions[0]?.role ?? null,
    consoleLogin: principal.lastConsoleLogin !== null,
  };
}

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
import { SpanCache, sameBytes } from './span-cache.js';

/** Longest ARN kept (IAM's limit for an ARN); a longer principal ARN makes the record malformed. */
export const MAX_ARN_CHARS = 2048;
/** Longest event source, event name or error code accepted (AWS's are under 100 characters). */
export const MAX_NAME_CHARS = 256;
/** Longest other identity field read (account ids, key ids, provider names, service hosts). */
const MAX_FIELD_CHARS = 2048;

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
const SUCCESS = ascii('Success');
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
function federationContextOf(spans: RecordSpans): FederationContext {
  return {
    samlProviderArn: field(spans, F.principalArn, MAX_ARN_CHARS),
    webIdentityProvider: field(spans, F.provider, MAX_ARN_CHARS),
    roleArn: field(spans, F.roleArn, MAX_ARN_CHARS),
    recipientAccountId: field(spans, F.recipientAccountId, 64),
  };
}

/** The role an AssumeRole* record assumed: `requestParameters.roleArn`, else the role in `resources`. */
function assumedRoleOf(spans: RecordSpans): string | null {
  const roleArn = field(spans, F.roleArn, MAX_ARN_CHARS);
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

/** Seconds since the epoch of an ISO time (`YYYY-MM-DDTHH:MM:SSZ`), or null. */
export function epochSecondsOf(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const millis = Date.parse(iso);
  return Number.isNaN(millis) ? null : Math.floor(millis / 1000);
}

const DIGIT_0 = 0x30;

/** Two ASCII digits at `at` as a number, or -1. */
function twoDigits(b: Buffer, at: number): number {
  const tens = (b[at] as number) - DIGIT_0;
  const ones = (b[at + 1] as number) - DIGIT_0;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : -1;
}

/** Feeds records into an aggregator (one per thread); keeps caches of repeated mappings. */
export class RecordReader {
  /** eventSource bytes → eventName bytes → IAM action. */
  private readonly actions = new SpanCache<SpanCache<string>>();
  private readonly users = new SpanCache<PrincipalRef>();
  private readonly services = new SpanCache<PrincipalRef>();
  private readonly sessions = new SpanCache<SessionPrincipal>();
  private readonly since: number | null;
  private readonly until: number | null;
  private readonly temporaryKeys: boolean;
  /** The last day checked (`YYYY-MM-DDT` as bytes) and its start: most records of a file share it. */
  private readonly day = new Uint8Array(11);
  private dayStart = -1;

  constructor(
    readonly aggregate: UsageAggregator,
    options: RecordOptions = {},
  ) {
    this.since = epochSecondsOf(options.since);
    this.until = epochSecondsOf(options.until);
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
    const action = time === null ? null : this.actionOf(spans);
    if (time === null || action === null) {
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
      if (ASSUME_ROLE_EVENTS.has(spans.text(F.eventName) ?? '')) {
        const role = assumedRoleOf(spans);
        if (role !== null) aggregate.addAssumption(role, principal.key, time, time, 1);
      }
    } else if (
      (principal.kind === 'user' || principal.kind === 'root') &&
      spans.equals(F.eventName, CONSOLE_LOGIN) &&
      spans.equals(F.eventSource, SIGNIN_SOURCE) &&
      spans.equals(F.consoleLogin, SUCCESS)
    ) {
      aggregate.addConsoleLogin(principal, time);
    }
  };

  /** The record's time in seconds since the epoch, or null when it is not an ISO date-time. */
  private timeOf(spans: RecordSpans): number | null {
    const start = spans.start[F.eventTime] as number;
    const b = spans.buffer;
    // CloudTrail writes `2026-10-23T00:00:13Z`; once a day is known to exist, only the clock is
    // read from the bytes (no string, no Date).
    if (
      this.dayStart >= 0 &&
      start >= 0 &&
      (spans.end[F.eventTime] as number) - start === 20 &&
      b[start + 19] === 0x5a &&
      b[start + 13] === 0x3a &&
      b[start + 16] === 0x3a &&
      sameBytes(b, start, this.day)
    ) {
      const hours = twoDigits(b, start + 11);
      const minutes = twoDigits(b, start + 14);
      const seconds = twoDigits(b, start + 17);
      if (
        hours >= 0 &&
        hours <= 23 &&
        minutes >= 0 &&
        minutes <= 59 &&
        seconds >= 0 &&
        seconds <= 59
      )
        return this.dayStart + hours * 3600 + minutes * 60 + seconds;
    }
    const text = field(spans, F.eventTime, 40);
    const time = text === null ? null : normaliseEventTime(text);
    if (time === null) return null;
    const epoch = epochSecondsOf(time) as number;
    if (text === time) {
      this.day.set(b.subarray(start, start + 11));
      this.dayStart = epoch - (epoch % 86_400);
    }
    return epoch;
  }

  /** The IAM action of the record's eventSource and eventName, or null when one is missing or too long. */
  private actionOf(spans: RecordSpans): string | null {
    const b = spans.buffer;
    const sourceStart = spans.start[F.eventSource] as number;
    const sourceEnd = spans.end[F.eventSource] as number;
    const nameStart = spans.start[F.eventName] as number;
    const nameEnd = spans.end[F.eventName] as number;
    if (
      sourceStart < 0 ||
      nameStart < 0 ||
      sourceEnd - sourceStart > MAX_NAME_CHARS ||
      nameEnd - nameStart > MAX_NAME_CHARS ||
      spans.escaped[F.eventSource] === 1 ||
      spans.escaped[F.eventName] === 1
    ) {
      // Absent, not strings, too long, or written with escapes: decoded and checked the slow way.
      const source = field(spans, F.eventSource, MAX_NAME_CHARS);
      const name = field(spans, F.eventName, MAX_NAME_CHARS);
      return source === null || name === null ? null : iamActionOfEvent(source, name);
    }
    if (sourceEnd === sourceStart || nameEnd === nameStart) return null;
    let names = this.actions.get(b, sourceStart, sourceEnd);
    if (names === undefined) {
      names = new SpanCache();
      this.actions.set(b, sourceStart, sourceEnd, names);
    }
    let action = names.get(b, nameStart, nameEnd);
    if (action === undefined) {
      const source = spans.text(F.eventSource) as string;
      const name = spans.text(F.eventName) as string;
      if (source.length > MAX_NAME_CHARS || name.length > MAX_NAME_CHARS) return null;
      action = iamActionOfEvent(source, name);
      names.set(b, nameStart, nameEnd, action);
    }
    return action;
  }

  /** The principal of a record; null when an ARN it names is longer than IAM allows. */
  private principalOf(spans: RecordSpans): PrincipalRef | null {
    if (tooLong(spans, F.arn) || tooLong(spans, F.issuerArn) || tooLong(spans, F.identityStoreArn))
      return null;
    const b = spans.buffer;
    if (spans.hasIdentity) {
      // The common callers, by the bytes of the one field that decides their principal.
      if (
        spans.equals(F.type, T_ASSUMED_ROLE) &&
        spans.has(F.issuerArn) &&
        !spans.escaped[F.issuerArn]
      ) {
        const cached = this.sessions.get(
          b,
          spans.start[F.issuerArn] as number,
          spans.end[F.issuerArn] as number,
        );
        if (
          cached !== undefined &&
          sameText(spans, F.issuerType, cached.issuerType) &&
          sameText(spans, F.issuerAccountId, cached.issuerAccountId)
        )
          return cached.ref;
      } else if (spans.equals(F.type, T_IAM_USER) && spans.has(F.arn) && !spans.escaped[F.arn]) {
        const cached = this.users.get(b, spans.start[F.arn] as number, spans.end[F.arn] as number);
        if (cached !== undefined) return cached;
      } else if (
        spans.equals(F.type, T_AWS_SERVICE) &&
        spans.has(F.invokedBy) &&
        !spans.escaped[F.invokedBy]
      ) {
        const cached = this.services.get(
          b,
          spans.start[F.invokedBy] as number,
          spans.end[F.invokedBy] as number,
        );
        if (cached !== undefined) return cached;
      }
    }
    const identity = identityOf(spans);
    const ref = principalOf(identity, federationContextOf(spans));
    if (
      identity.type === 'AssumedRole' &&
      identity.issuerArn !== null &&
      !spans.escaped[F.issuerArn]
    )
      this.sessions.set(b, spans.start[F.issuerArn] as number, spans.end[F.issuerArn] as number, {
        ref,
        issuerType: identity.issuerType,
        issuerAccountId: identity.issuerAccountId,
      });
    else if (identity.type === 'IAMUser' && identity.arn !== null && !spans.escaped[F.arn])
      this.users.set(b, spans.start[F.arn] as number, spans.end[F.arn] as number, ref);
    else if (
      identity.type === 'AWSService' &&
      identity.invokedBy !== null &&
      !spans.escaped[F.invokedBy]
    )
      this.services.set(
        b,
        spans.start[F.invokedBy] as number,
        spans.end[F.invokedBy] as number,
        ref,
      );
    return ref;
  }
}

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

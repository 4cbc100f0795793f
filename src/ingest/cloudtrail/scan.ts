/**
 * A lean scanner for CloudTrail log files: it walks the JSON bytes once, finds each record of
 * `{"Records": [...]}` (or of a bare array), and notes where the few fields iamsight keeps are
 * (byte offsets into the buffer), skipping everything else without building objects. Only what the
 * aggregate needs is ever turned into strings. Why not `JSON.parse`: it builds every request and
 * response element of every record, and that costs more than decompressing the file
 * (docs/decisions.md, "CloudTrail ingest").
 *
 * Structure is checked where the scanner walks (the top level, the Records array, each record and
 * its userIdentity); skipped values are only matched for brackets and strings. A file that ends
 * early or breaks that structure stops with a {@link ScanError}; the records before it were
 * already handed over.
 */

/** Where scanning stopped, and whether it was because the bytes ran out (a cut file). */
export class ScanError extends Error {
  override readonly name = 'ScanError';
  constructor(
    message: string,
    readonly offset: number,
    readonly endsEarly: boolean,
  ) {
    super(message);
  }
}

/** Field ids: where each kept field's span is stored in {@link RecordSpans}. */
export const F = {
  eventTime: 0,
  eventSource: 1,
  eventName: 2,
  errorCode: 3,
  sourceIPAddress: 4,
  userAgent: 5,
  recipientAccountId: 6,
  type: 7,
  arn: 8,
  accountId: 9,
  accessKeyId: 10,
  invokedBy: 11,
  identityProvider: 12,
  principalId: 13,
  issuerType: 14,
  issuerArn: 15,
  issuerAccountId: 16,
  identityStoreArn: 17,
  requestParameters: 18,
  responseElements: 19,
  /** `requestParameters.roleArn` (AssumeRole*). */
  roleArn: 20,
  /** `requestParameters.principalArn` (AssumeRoleWithSAML: the SAML provider). */
  principalArn: 21,
  /** `responseElements.provider` (AssumeRoleWithWebIdentity: the OIDC provider). */
  provider: 22,
  /** `responseElements.ConsoleLogin` (`Success` or `Failure`). */
  consoleLogin: 23,
} as const;
const FIELD_COUNT = 24;

/** At most this many entries of a record's `resources` are looked at. */
export const MAX_RESOURCES_PER_RECORD = 64;

/**
 * The spans of one record's fields: `start[f]` is -1 when the field is absent or not a string.
 * String spans exclude the quotes; `requestParameters`/`responseElements` span the raw value.
 */
export class RecordSpans {
  readonly start = new Int32Array(FIELD_COUNT);
  readonly end = new Int32Array(FIELD_COUNT);
  readonly escaped = new Uint8Array(FIELD_COUNT);
  /** `resources[].ARN` spans (strings only), at most {@link MAX_RESOURCES_PER_RECORD}. */
  readonly resourceStart = new Int32Array(MAX_RESOURCES_PER_RECORD);
  readonly resourceEnd = new Int32Array(MAX_RESOURCES_PER_RECORD);
  readonly resourceEscaped = new Uint8Array(MAX_RESOURCES_PER_RECORD);
  resourceCount = 0;
  /** True when `userIdentity` was present and an object. */
  hasIdentity = false;

  constructor(public buffer: Buffer) {}

  reset(): void {
    this.start.fill(-1);
    this.resourceCount = 0;
    this.hasIdentity = false;
  }

  /** True when field `f` holds a string. */
  has(f: number): boolean {
    return (this.start[f] as number) >= 0;
  }

  /** Length in bytes of string field `f` (-1 when absent). */
  length(f: number): number {
    const start = this.start[f] as number;
    return start < 0 ? -1 : (this.end[f] as number) - start;
  }

  /** The string value of field `f`, or null. */
  text(f: number): string | null {
    const start = this.start[f] as number;
    if (start < 0) return null;
    return decodeString(this.buffer, start, this.end[f] as number, this.escaped[f] === 1);
  }

  /** True when string field `f` equals the ASCII text `value`. */
  equals(f: number, value: Uint8Array): boolean {
    const start = this.start[f] as number;
    return (
      start >= 0 && !this.escaped[f] && bytesEqual(this.buffer, start, this.end[f] as number, value)
    );
  }

  /** True when string field `f` equals the ASCII string `value` (false when absent). */
  equalsText(f: number, value: string): boolean {
    const start = this.start[f] as number;
    if (start < 0 || this.escaped[f] || (this.end[f] as number) - start !== value.length)
      return false;
    const b = this.buffer;
    for (let i = 0; i < value.length; i++) if (b[start + i] !== value.charCodeAt(i)) return false;
    return true;
  }

  /** The raw JSON text of a value field (requestParameters, responseElements), or null. */
  raw(f: number): string | null {
    const start = this.start[f] as number;
    return start < 0 ? null : this.buffer.toString('utf8', start, this.end[f] as number);
  }

  /** Resource ARN `i` (0 ≤ i < resourceCount). */
  resource(i: number): string {
    return decodeString(
      this.buffer,
      this.resourceStart[i] as number,
      this.resourceEnd[i] as number,
      this.resourceEscaped[i] === 1,
    );
  }
}

/** Called for each record; `spans` is reused, so read it before returning. */
export type RecordSink = (spans: RecordSpans) => void;
/** Called for each element of the records array that is not an object. */
export type MalformedSink = () => void;

/** Buffer's own UTF-8 decoder without `toString`'s argument checks (undocumented, in every Node). */
const utf8Slice: (buffer: Buffer, start: number, end: number) => string =
  typeof (Buffer.prototype as unknown as { utf8Slice?: unknown }).utf8Slice === 'function'
    ? (buffer, start, end) =>
        (buffer as unknown as { utf8Slice(start: number, end: number): string }).utf8Slice(
          start,
          end,
        )
    : (buffer, start, end) => buffer.toString('utf8', start, end);

function decodeString(buffer: Buffer, start: number, end: number, escaped: boolean): string {
  if (!escaped) return utf8Slice(buffer, start, end);
  // Escapes are rare in these fields; JSON.parse of the quoted text decodes them exactly.
  return JSON.parse(buffer.toString('utf8', start - 1, end + 1)) as string;
}

function bytesEqual(buffer: Buffer, start: number, end: number, value: Uint8Array): boolean {
  if (end - start !== value.length) return false;
  for (let i = 0; i < value.length; i++) if (buffer[start + i] !== value[i]) return false;
  return true;
}

/** ASCII bytes of `text`, for comparisons against the buffer. */
export function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

const K_RECORDS = ascii('Records');
// Record keys.
const K_EVENT_TIME = ascii('eventTime');
const K_EVENT_SOURCE = ascii('eventSource');
const K_EVENT_NAME = ascii('eventName');
const K_ERROR_CODE = ascii('errorCode');
const K_USER_AGENT = ascii('userAgent');
const K_RESOURCES = ascii('resources');
const K_SOURCE_IP = ascii('sourceIPAddress');
const K_RECIPIENT = ascii('recipientAccountId');
const K_USER_IDENTITY = ascii('userIdentity');
const K_REQUEST_PARAMETERS = ascii('requestParameters');
const K_RESPONSE_ELEMENTS = ascii('responseElements');
// userIdentity keys.
const K_TYPE = ascii('type');
const K_ARN = ascii('arn');
const K_ARN_UPPER = ascii('ARN');
const K_ACCOUNT_ID = ascii('accountId');
const K_INVOKED_BY = ascii('invokedBy');
const K_ACCESS_KEY_ID = ascii('accessKeyId');
const K_PRINCIPAL_ID = ascii('principalId');
const K_IDENTITY_PROVIDER = ascii('identityProvider');
const K_SESSION_CONTEXT = ascii('sessionContext');
const K_SESSION_ISSUER = ascii('sessionIssuer');
const K_ON_BEHALF_OF = ascii('onBehalfOf');
const K_IDENTITY_STORE_ARN = ascii('identityStoreArn');
// Request parameter and response element keys.
const K_ROLE_ARN = ascii('roleArn');
const K_PRINCIPAL_ARN = ascii('principalArn');
const K_PROVIDER = ascii('provider');
const K_CONSOLE_LOGIN = ascii('ConsoleLogin');

/** Walks one buffer of CloudTrail JSON. */
class Scanner {
  private pos = 0;
  private keyStart = 0;
  private keyEnd = 0;
  private keyEscaped = false;
  /** Offset of the next backslash at or after the last string start (-1: none left; -2: unknown). */
  private nextBackslash = -2;
  private readonly end: number;

  constructor(
    private readonly b: Buffer,
    private readonly spans: RecordSpans,
  ) {
    this.end = b.length;
  }

  private fail(expected: string): never {
    const atEnd = this.pos >= this.end;
    throw new ScanError(
      atEnd
        ? 'the JSON ends early (is the file truncated?)'
        : `invalid JSON: expected ${expected} at byte offset ${this.pos}`,
      this.pos,
      atEnd,
    );
  }

  /** Skips whitespace; returns the next byte (not consumed) or -1 at the end. */
  private peek(): number {
    const b = this.b;
    let i = this.pos;
    while (i < this.end) {
      const c = b[i] as number;
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
        this.pos = i;
        return c;
      }
      i++;
    }
    this.pos = i;
    return -1;
  }

  /** Consumes a string whose opening quote is at pos; returns whether it held a backslash. */
  private skipString(): boolean {
    const b = this.b;
    const start = this.pos + 1;
    // Fast path: find the closing quote natively; valid only if no backslash comes before it.
    const quote = b.indexOf(QUOTE, start);
    if (quote >= 0) {
      if (this.nextBackslash !== -1 && this.nextBackslash < start)
        this.nextBackslash = b.indexOf(BACKSLASH, start);
      if (this.nextBackslash === -1 || this.nextBackslash > quote) {
        this.pos = quote + 1;
        return false;
      }
    }
    let escaped = false;
    for (let i = start; i < this.end; i++) {
      const c = b[i] as number;
      if (c === QUOTE) {
        this.pos = i + 1;
        return escaped;
      }
      if (c === BACKSLASH) {
        escaped = true;
        i++;
      }
    }
    this.pos = this.end;
    return this.fail('the end of a string');
  }

  /** Reads an object key (at pos, a quote) and the colon after it. */
  private readKey(): void {
    if (this.peek() !== QUOTE) this.fail('a quoted key');
    // Keys are short: a plain loop beats a native search here.
    const b = this.b;
    const start = this.pos + 1;
    let i = start;
    let escaped = false;
    for (;;) {
      if (i >= this.end) {
        this.pos = this.end;
        this.fail('the end of a key');
      }
      const c = b[i] as number;
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escaped = true;
        i++;
      }
      i++;
    }
    this.keyStart = start;
    this.keyEnd = i;
    this.keyEscaped = escaped;
    this.pos = i + 1;
    if (this.peek() !== COLON) this.fail('":"');
    this.pos++;
  }

  private keyIs(name: Uint8Array): boolean {
    if (this.keyEscaped) return this.decodedKey() === String.fromCharCode(...name);
    if (this.keyEnd - this.keyStart !== name.length) return false;
    const b = this.b;
    const start = this.keyStart;
    for (let i = 0; i < name.length; i++) if (b[start + i] !== name[i]) return false;
    return true;
  }

  private decodedKey(): string {
    return decodeString(this.b, this.keyStart, this.keyEnd, true);
  }

  /** After a member: true when another follows (comma), false at the closing bracket. */
  private next(close: number): boolean {
    const c = this.peek();
    if (c === COMMA) {
      this.pos++;
      return true;
    }
    if (c === close) {
      this.pos++;
      return false;
    }
    return this.fail(close === CLOSE_OBJECT ? '"," or "}"' : '"," or "]"');
  }

  /** Skips any value starting at pos (after whitespace). */
  private skipValue(): void {
    const c = this.peek();
    if (c === QUOTE) {
      this.skipString();
      return;
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      const b = this.b;
      let depth = 0;
      let i = this.pos;
      while (i < this.end) {
        const d = b[i++] as number;
        if (d === QUOTE) {
          this.pos = i - 1;
          this.skipString();
          i = this.pos;
        } else if (d === OPEN_OBJECT || d === OPEN_ARRAY) {
          depth++;
        } else if (d === CLOSE_OBJECT || d === CLOSE_ARRAY) {
          if (--depth === 0) {
            this.pos = i;
            return;
          }
        }
      }
      this.pos = this.end;
      this.fail('the end of a value');
    }
    // A number, true, false or null: up to the next delimiter.
    const b = this.b;
    let i = this.pos;
    while (i < this.end) {
      const d = b[i] as number;
      if (d === COMMA || d === CLOSE_OBJECT || d === CLOSE_ARRAY || d <= 0x20) break;
      i++;
    }
    if (i === this.pos) this.fail('a value');
    this.pos = i;
  }

  /** Stores a string value's span in field `f`, or skips a value of another type. */
  private stringField(f: number): void {
    if (this.peek() !== QUOTE) {
      this.skipValue();
      return;
    }
    const spans = this.spans;
    spans.start[f] = this.pos + 1;
    spans.escaped[f] = this.skipString() ? 1 : 0;
    spans.end[f] = this.pos - 1;
  }

  /**
   * Stores the raw span of a value in field `f`; when it is an object, `member` reads its members
   * (the few top-level strings kept from request parameters and response elements).
   */
  private elementField(f: number, member: () => void): void {
    this.peek();
    const start = this.pos;
    if (this.b[start] === OPEN_OBJECT) this.eachMember(member);
    else this.skipValue();
    this.spans.start[f] = start;
    this.spans.end[f] = this.pos;
  }

  private readonly requestMember = (): void => {
    if (this.keyIs(K_ROLE_ARN)) return this.stringField(F.roleArn);
    if (this.keyIs(K_PRINCIPAL_ARN)) return this.stringField(F.principalArn);
    this.skipValue();
  };

  private readonly responseMember = (): void => {
    if (this.keyIs(K_PROVIDER)) return this.stringField(F.provider);
    if (this.keyIs(K_CONSOLE_LOGIN)) return this.stringField(F.consoleLogin);
    this.skipValue();
  };

  /** Iterates an object's members (pos at `{`), calling `member` after each key; false if not an object. */
  private eachMember(member: () => void): boolean {
    if (this.peek() !== OPEN_OBJECT) {
      this.skipValue();
      return false;
    }
    this.pos++;
    if (this.peek() === CLOSE_OBJECT) {
      this.pos++;
      return true;
    }
    do {
      this.readKey();
      member();
    } while (this.next(CLOSE_OBJECT));
    return true;
  }

  /** Scans the whole buffer, calling `onRecord` per record object and `onMalformed` per other element. */
  run(onRecord: RecordSink, onMalformed: MalformedSink): void {
    const c = this.peek();
    if (c === OPEN_ARRAY) {
      this.records(onRecord, onMalformed);
    } else if (c === OPEN_OBJECT) {
      let found = false;
      this.eachMember(() => {
        if (!found && this.keyIs(K_RECORDS) && this.peek() === OPEN_ARRAY) {
          found = true;
          this.records(onRecord, onMalformed);
        } else this.skipValue();
      });
      if (!found)
        throw new ScanError(
          'expected {"Records": [...]} or an array of CloudTrail records',
          0,
          false,
        );
    } else if (c === -1) {
      throw new ScanError('the file is empty', 0, true);
    } else {
      throw new ScanError(
        'expected {"Records": [...]} or an array of CloudTrail records',
        this.pos,
        false,
      );
    }
    if (this.peek() !== -1) this.fail('the end of the file');
  }

  private records(onRecord: RecordSink, onMalformed: MalformedSink): void {
    this.pos++; // [
    if (this.peek() === CLOSE_ARRAY) {
      this.pos++;
      return;
    }
    do {
      if (this.peek() === OPEN_OBJECT) {
        this.spans.reset();
        this.eachMember(this.recordMember);
        onRecord(this.spans);
      } else {
        this.skipValue();
        onMalformed();
      }
    } while (this.next(CLOSE_ARRAY));
  }

  private readonly recordMember = (): void => {
    const length = this.keyEnd - this.keyStart;
    // Dispatch on the key's length first: one or two byte comparisons per member.
    switch (this.keyEscaped ? -1 : length) {
      case 9:
        if (this.keyIs(K_EVENT_TIME)) return this.stringField(F.eventTime);
        if (this.keyIs(K_EVENT_NAME)) return this.stringField(F.eventName);
        if (this.keyIs(K_ERROR_CODE)) return this.stringField(F.errorCode);
        if (this.keyIs(K_USER_AGENT)) return this.stringField(F.userAgent);
        if (this.keyIs(K_RESOURCES)) return this.resources();
        break;
      case 11:
        if (this.keyIs(K_EVENT_SOURCE)) return this.stringField(F.eventSource);
        break;
      case 12:
        if (this.keyIs(K_USER_IDENTITY)) return this.userIdentity();
        break;
      case 15:
        if (this.keyIs(K_SOURCE_IP)) return this.stringField(F.sourceIPAddress);
        break;
      case 16:
        if (this.keyIs(K_RESPONSE_ELEMENTS))
          return this.elementField(F.responseElements, this.responseMember);
        break;
      case 17:
        if (this.keyIs(K_REQUEST_PARAMETERS))
          return this.elementField(F.requestParameters, this.requestMember);
        break;
      case 18:
        if (this.keyIs(K_RECIPIENT)) return this.stringField(F.recipientAccountId);
        break;
      case -1:
        return this.escapedRecordMember();
    }
    this.skipValue();
  };

  /** A key written with escapes (never by CloudTrail, but valid JSON): compared decoded. */
  private escapedRecordMember(): void {
    const fields: Record<string, number> = {
      eventTime: F.eventTime,
      eventSource: F.eventSource,
      eventName: F.eventName,
      errorCode: F.errorCode,
      userAgent: F.userAgent,
      sourceIPAddress: F.sourceIPAddress,
      recipientAccountId: F.recipientAccountId,
    };
    const key = this.decodedKey();
    if (Object.hasOwn(fields, key)) return this.stringField(fields[key] as number);
    if (key === 'userIdentity') return this.userIdentity();
    if (key === 'resources') return this.resources();
    if (key === 'requestParameters')
      return this.elementField(F.requestParameters, this.requestMember);
    if (key === 'responseElements')
      return this.elementField(F.responseElements, this.responseMember);
    this.skipValue();
  }

  private userIdentity(): void {
    this.spans.hasIdentity = this.eachMember(this.identityMember);
  }

  private readonly identityMember = (): void => {
    if (this.keyIs(K_TYPE)) return this.stringField(F.type);
    if (this.keyIs(K_ARN)) return this.stringField(F.arn);
    if (this.keyIs(K_ACCOUNT_ID)) return this.stringField(F.accountId);
    if (this.keyIs(K_ACCESS_KEY_ID)) return this.stringField(F.accessKeyId);
    if (this.keyIs(K_INVOKED_BY)) return this.stringField(F.invokedBy);
    if (this.keyIs(K_PRINCIPAL_ID)) return this.stringField(F.principalId);
    if (this.keyIs(K_IDENTITY_PROVIDER)) return this.stringField(F.identityProvider);
    if (this.keyIs(K_SESSION_CONTEXT)) {
      this.eachMember(this.sessionContextMember);
      return;
    }
    if (this.keyIs(K_ON_BEHALF_OF)) {
      this.eachMember(this.onBehalfOfMember);
      return;
    }
    this.skipValue();
  };

  private readonly sessionContextMember = (): void => {
    if (this.keyIs(K_SESSION_ISSUER)) this.eachMember(this.issuerMember);
    else this.skipValue();
  };

  private readonly onBehalfOfMember = (): void => {
    if (this.keyIs(K_IDENTITY_STORE_ARN)) this.stringField(F.identityStoreArn);
    else this.skipValue();
  };

  private readonly issuerMember = (): void => {
    if (this.keyIs(K_TYPE)) return this.stringField(F.issuerType);
    if (this.keyIs(K_ARN)) return this.stringField(F.issuerArn);
    if (this.keyIs(K_ACCOUNT_ID)) return this.stringField(F.issuerAccountId);
    this.skipValue();
  };

  private resources(): void {
    if (this.peek() !== OPEN_ARRAY) {
      this.skipValue();
      return;
    }
    this.pos++;
    if (this.peek() === CLOSE_ARRAY) {
      this.pos++;
      return;
    }
    const spans = this.spans;
    do {
      if (spans.resourceCount >= MAX_RESOURCES_PER_RECORD) {
        this.skipValue();
        continue;
      }
      this.eachMember(this.resourceMember);
    } while (this.next(CLOSE_ARRAY));
  }

  private readonly resourceMember = (): void => {
    const spans = this.spans;
    const i = spans.resourceCount;
    if (
      i < MAX_RESOURCES_PER_RECORD &&
      (this.keyIs(K_ARN_UPPER) || this.keyIs(K_ARN)) &&
      this.peek() === QUOTE
    ) {
      spans.resourceStart[i] = this.pos + 1;
      spans.resourceEscaped[i] = this.skipString() ? 1 : 0;
      spans.resourceEnd[i] = this.pos - 1;
      spans.resourceCount = i + 1;
    } else this.skipValue();
  };
}

/**
 * Scans a buffer of CloudTrail JSON (`{"Records": [...]}` or a bare array), calling `onRecord` for
 * every record object and `onMalformed` for every element that is not an object. Throws a
 * {@link ScanError} where the structure breaks; records before that point have been delivered.
 */
export function scanCloudTrail(
  buffer: Buffer,
  onRecord: RecordSink,
  onMalformed: MalformedSink,
): void {
  const spans = new RecordSpans(buffer);
  new Scanner(buffer, spans).run(onRecord, onMalformed);
}

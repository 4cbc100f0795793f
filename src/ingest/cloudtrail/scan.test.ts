import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aRecord } from '../../test-support/cloudtrail.js';
import {
  F,
  MAX_RESOURCES_PER_RECORD,
  ScanError,
  scanCloudTrail,
  type RecordSpans,
} from './scan.js';

/** What the scanner extracted from each record, as plain values. */
function extract(text: string): { records: Record<string, unknown>[]; malformed: number } {
  const records: Record<string, unknown>[] = [];
  let malformed = 0;
  scanCloudTrail(
    Buffer.from(text),
    (spans: RecordSpans) => {
      const out: Record<string, unknown> = {};
      for (const [name, f] of Object.entries(F)) {
        if (f === F.requestParameters || f === F.responseElements) {
          const raw = spans.raw(f);
          if (raw !== null) out[name] = JSON.parse(raw) as unknown;
        } else if (spans.has(f)) out[name] = spans.text(f);
      }
      out.resources = Array.from({ length: spans.resourceCount }, (_, i) => spans.resource(i));
      out.hasIdentity = spans.hasIdentity;
      records.push(out);
    },
    () => malformed++,
  );
  return { records, malformed };
}

/** The same fields read with JSON.parse: the oracle. */
function expected(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const str = (value: unknown, name: string) => {
    if (typeof value === 'string') out[name] = value;
  };
  for (const name of [
    'eventTime',
    'eventSource',
    'eventName',
    'errorCode',
    'sourceIPAddress',
    'userAgent',
    'recipientAccountId',
  ])
    str(record[name], name);
  const identity = record.userIdentity;
  const isObject = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObject(identity)) {
    for (const name of [
      'type',
      'arn',
      'accountId',
      'accessKeyId',
      'invokedBy',
      'identityProvider',
      'principalId',
    ])
      str(identity[name], name);
    const issuer = isObject(identity.sessionContext) ? identity.sessionContext.sessionIssuer : null;
    if (isObject(issuer)) {
      str(issuer.type, 'issuerType');
      str(issuer.arn, 'issuerArn');
      str(issuer.accountId, 'issuerAccountId');
    }
    if (isObject(identity.onBehalfOf))
      str(identity.onBehalfOf.identityStoreArn, 'identityStoreArn');
  }
  if ('requestParameters' in record) out.requestParameters = record.requestParameters;
  if ('responseElements' in record) out.responseElements = record.responseElements;
  if (isObject(record.requestParameters)) {
    str(record.requestParameters.roleArn, 'roleArn');
    str(record.requestParameters.principalArn, 'principalArn');
  }
  if (isObject(record.responseElements)) {
    str(record.responseElements.provider, 'provider');
    str(record.responseElements.ConsoleLogin, 'consoleLogin');
  }
  const resources = Array.isArray(record.resources) ? record.resources : [];
  out.resources = resources
    .filter(isObject)
    .slice(0, MAX_RESOURCES_PER_RECORD)
    .map((r) => (typeof r.ARN === 'string' ? r.ARN : typeof r.arn === 'string' ? r.arn : null))
    .filter((arn): arn is string => arn !== null);
  out.hasIdentity = isObject(identity);
  return out;
}

// Text with what trips hand-written scanners: quotes, backslashes, braces, unicode, controls.
const tricky = fc.oneof(
  fc.string(),
  fc.constantFrom('{"eventName":"Fake"}', '\\', '"', '}]', '\\"}', 'caf\u00e9 \u2028 😀', ''),
  fc.string({ unit: 'binary' }),
);
const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    tricky,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(tricky, tie('value'), { maxKeys: 3 }),
  ),
})).value;
const field = fc.oneof(tricky, json);
const record = fc.record(
  {
    eventTime: field,
    eventSource: field,
    eventName: field,
    errorCode: field,
    userAgent: field,
    sourceIPAddress: field,
    recipientAccountId: field,
    requestParameters: fc.oneof(
      json,
      fc.record(
        { roleArn: field, principalArn: field, roleSessionName: field, nested: json },
        { requiredKeys: [] },
      ),
    ),
    responseElements: fc.oneof(
      json,
      fc.record({ provider: field, ConsoleLogin: field, credentials: json }, { requiredKeys: [] }),
    ),
    extra: json,
    resources: fc.oneof(
      json,
      fc.array(fc.oneof(fc.record({ ARN: field, type: field }), fc.record({ arn: field }), json), {
        maxLength: 4,
      }),
    ),
    userIdentity: fc.oneof(
      json,
      fc.record(
        {
          type: field,
          arn: field,
          accountId: field,
          accessKeyId: field,
          invokedBy: field,
          identityProvider: field,
          principalId: field,
          sessionContext: fc.oneof(
            json,
            fc.record({
              sessionIssuer: fc.oneof(
                json,
                fc.record({ type: field, arn: field, accountId: field }),
              ),
            }),
          ),
          onBehalfOf: fc.oneof(json, fc.record({ identityStoreArn: field, userId: field })),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);

describe('scanCloudTrail', () => {
  it('extracts the same fields as JSON.parse, whatever the records hold', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ weight: 5, arbitrary: record }, { weight: 1, arbitrary: json }), {
          maxLength: 5,
        }),
        fc.constantFrom(undefined, 2, '\t'),
        fc.boolean(),
        (records, indent, bare) => {
          const text = JSON.stringify(bare ? records : { Records: records }, null, indent);
          const isRecord = (r: unknown) => r !== null && typeof r === 'object' && !Array.isArray(r);
          // JSON.stringify drops undefined members; compare with what the text really holds.
          const parsed = (bare ? JSON.parse(text) : JSON.parse(text).Records) as unknown[];
          const got = extract(text);
          expect(got.records).toEqual(
            parsed.filter(isRecord).map((r) => expected(r as Record<string, unknown>)),
          );
          expect(got.malformed).toBe(parsed.filter((r) => !isRecord(r)).length);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('finds Records after other members of the top-level object', () => {
    const text = JSON.stringify({
      digest: { Records: 'not these' },
      Records: [aRecord()],
      after: 1,
    });
    expect(extract(text).records).toHaveLength(1);
  });

  it.each([
    ['an empty file', '', true],
    ['whitespace only', '  \n', true],
    ['a cut record', JSON.stringify({ Records: [aRecord(), aRecord()] }).slice(0, -200), true],
    ['a cut string', '{"Records":[{"eventName":"ListRo', true],
    ['a missing comma', '{"Records":[{"eventName":"A" "eventSource":"b"}]}', false],
    ['no Records member', '{"digestStartTime":"2026-10-01T00:00:00Z"}', false],
    ['not an object or array', '"Records"', false],
    ['trailing garbage', '{"Records":[]} x', false],
  ])('stops at %s with a ScanError', (_, text, endsEarly) => {
    let error: unknown;
    try {
      extract(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ScanError);
    expect((error as ScanError).endsEarly).toBe(endsEarly);
  });

  it('hands over the records before the point where a file is cut', () => {
    const whole = JSON.stringify({ Records: [aRecord(), aRecord(), aRecord()] });
    const cut = whole.slice(0, whole.lastIndexOf('{"eventVersion"') + 40);
    let seen = 0;
    expect(() =>
      scanCloudTrail(
        Buffer.from(cut),
        () => seen++,
        () => {},
      ),
    ).toThrow(ScanError);
    expect(seen).toBe(2);
  });
});

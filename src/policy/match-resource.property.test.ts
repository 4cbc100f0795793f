import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchResource } from './match-resource.js';
import { contextOf } from './types.js';

const NONE = contextOf({});

const chars = (alphabet: string, min: number, max: number): fc.Arbitrary<string> =>
  fc
    .array(fc.constantFrom(...alphabet.split('')), { minLength: min, maxLength: max })
    .map((items) => items.join(''));

/** The fields of a realistic ARN; no field holds a wildcard, and only the resource part colons. */
const arnFields = fc.record({
  partition: fc.constantFrom('aws', 'aws-cn', 'aws-us-gov'),
  service: chars('abcdefghijklmnopqrstuvwxyz0123456789', 2, 12),
  region: fc.constantFrom('', 'us-east-1', 'eu-west-3', 'ap-southeast-2'),
  account: fc.constantFrom('', '100000000001', '100000000002', 'aws'),
  resource: chars('abcdefghijklmnopqrstuvwxyz0123456789-_./:', 1, 40),
});

type Fields = [string, string, string, string, string];

function fieldsOf(arn: {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}): Fields {
  return [arn.partition, arn.service, arn.region, arn.account, arn.resource];
}

const arnOf = (fields: readonly string[]): string => `arn:${fields.join(':')}`;

/** Replaces the characters of `text` from `start` (inclusive) to `end` (exclusive) with `*`. */
function starOut(text: string, start: number, end: number): string {
  const from = Math.min(start, end, text.length);
  const to = Math.min(Math.max(start, end), text.length);
  return `${text.slice(0, from)}*${text.slice(to)}`;
}

describe('matchResource properties', () => {
  it('a pattern made from an ARN by replacing a run of one field with "*" matches it', () => {
    fc.assert(
      fc.property(
        arnFields,
        fc.integer({ min: 0, max: 4 }),
        fc.nat(),
        fc.nat(),
        (arn, field, a, b) => {
          const fields = fieldsOf(arn);
          const text = fields[field]!;
          const pattern = [...fields];
          pattern[field] = starOut(text, a % (text.length + 1), b % (text.length + 1));
          expect(matchResource(arnOf(pattern), arnOf(fields), NONE, 'complete')).toBe('true');
        },
      ),
    );
  });

  it('a pattern made by replacing characters with "?" matches the ARN, and no longer one', () => {
    fc.assert(
      fc.property(arnFields, fc.integer({ min: 0, max: 4 }), fc.nat(), (arn, field, at) => {
        const fields = fieldsOf(arn);
        const text = fields[field]!;
        fc.pre(text.length > 0);
        const i = at % text.length;
        const pattern = [...fields];
        pattern[field] = `${text.slice(0, i)}?${text.slice(i + 1)}`;
        expect(matchResource(arnOf(pattern), arnOf(fields), NONE, 'complete')).toBe('true');
        const longer = [...fields];
        longer[field] = `${text}x`;
        expect(matchResource(arnOf(pattern), arnOf(longer), NONE, 'complete')).toBe('false');
      }),
    );
  });

  it('a wildcard in partition, service, region or account never reaches across an extra colon', () => {
    fc.assert(
      fc.property(
        arnFields,
        fc.integer({ min: 0, max: 3 }),
        chars('ZY0123456789', 1, 6),
        fc.constantFrom('*', '?*', '*?', '**'),
        (arn, field, extra, wildcard) => {
          const fields = fieldsOf(arn);
          // The resource part is literal here, so only the wildcard field could absorb the colon.
          fields[4] = arn.resource.replace(/^[^a-z]*/, 'r');
          const pattern = [...fields];
          pattern[field] = wildcard;
          const resource = [...fields];
          // An extra colon-separated chunk that no literal field can equal (it starts with Z).
          resource[field] = `${fields[field]!}x:Z${extra}`;
          expect(matchResource(arnOf(pattern), arnOf(resource), NONE, 'complete')).toBe('false');
        },
      ),
    );
  });

  it('a substituted variable value is literal: it matches only itself', () => {
    const value = chars('ab*?/:', 0, 8);
    fc.assert(
      fc.property(value, value, (name, candidate) => {
        const context = contextOf({ 'aws:username': name });
        const pattern = 'arn:aws:s3:::home/${aws:username}/notes';
        const result = matchResource(
          pattern,
          `arn:aws:s3:::home/${candidate}/notes`,
          context,
          'complete',
        );
        expect(result).toBe(candidate === name ? 'true' : 'false');
      }),
    );
  });

  it('the wildcard matcher agrees with a regular-expression reference', () => {
    const toRegex = (pattern: string): RegExp =>
      new RegExp(
        `^${pattern
          .split('')
          .map((c) =>
            c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}/]/g, '\\$&'),
          )
          .join('')}$`,
        's',
      );
    fc.assert(
      fc.property(chars('ab*?:/', 0, 10), chars('ab:/', 0, 12), (body, subject) => {
        // A prefix keeps the pattern from being an ARN, so it is matched as plain text.
        const pattern = `x${body}`;
        const expected = toRegex(pattern).test(`x${subject}`) ? 'true' : 'false';
        expect(matchResource(pattern, `x${subject}`, NONE, 'complete')).toBe(expected);
      }),
    );
  });

  it('the resource part matches like one glob over the text after the fifth colon', () => {
    const toRegex = (pattern: string): RegExp =>
      new RegExp(
        `^${pattern
          .split('')
          .map((c) =>
            c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}/]/g, '\\$&'),
          )
          .join('')}$`,
        's',
      );
    fc.assert(
      fc.property(chars('ab*?:/', 0, 10), chars('ab:/', 0, 12), (resourcePattern, resource) => {
        const expected = toRegex(resourcePattern).test(resource) ? 'true' : 'false';
        expect(
          matchResource(
            `arn:aws:s3:::${resourcePattern}`,
            `arn:aws:s3:::${resource}`,
            NONE,
            'complete',
          ),
        ).toBe(expected);
      }),
    );
  });
});

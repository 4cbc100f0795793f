import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateClause, evaluateConditions, parseConditionOperator } from './conditions.js';
import { contextOf, type ConditionClause, type ContextValues } from './types.js';

function aClause(operator: string, key: string, values: readonly string[]): ConditionClause {
  return { operator, ...parseConditionOperator(operator), key, values: [...values] };
}

const KEY = 'x:key';

function withKey(values: string | readonly string[]): ContextValues {
  return contextOf({ [KEY]: values });
}

function evaluate(operator: string, values: readonly string[], context: ContextValues): string {
  return evaluateClause(aClause(operator, KEY, values), context, 'complete');
}

/** Plain text: no wildcards and no policy variables. */
const plain = fc.string({ maxLength: 12 }).filter((s) => !/[*?$]/.test(s));
const plainValues = fc.array(plain, { minLength: 1, maxLength: 5 });

describe('string operators', () => {
  it('StringNotEquals is the negation of StringEquals when the key is present', () => {
    fc.assert(
      fc.property(plain, plainValues, (request, values) => {
        const context = withKey(request);
        const positive = evaluate('StringEquals', values, context);
        const negative = evaluate('StringNotEquals', values, context);
        expect(negative).toBe(positive === 'true' ? 'false' : 'true');
      }),
    );
  });

  it('a negated operator with several values is true exactly when no value matches (NOR)', () => {
    fc.assert(
      fc.property(plain, plainValues, (request, values) => {
        const expected = values.includes(request) ? 'false' : 'true';
        expect(evaluate('StringNotEquals', values, withKey(request))).toBe(expected);
      }),
    );
  });

  it('StringLike without wildcards is StringEquals', () => {
    fc.assert(
      fc.property(plain, plainValues, (request, values) => {
        const context = withKey(request);
        expect(evaluate('StringLike', values, context)).toBe(
          evaluate('StringEquals', values, context),
        );
      }),
    );
  });

  it('StringLike with a value made of the request text and stars matches it', () => {
    fc.assert(
      fc.property(fc.array(plain, { minLength: 1, maxLength: 4 }), (pieces) => {
        const request = pieces.join('');
        const pattern = `*${pieces.join('*')}*`;
        expect(evaluate('StringLike', [pattern], withKey(request))).toBe('true');
      }),
    );
  });

  it('StringLike "?" repeated n times matches exactly the strings of n characters', () => {
    fc.assert(
      fc.property(plain, fc.nat(8), (request, n) => {
        const expected = Array.from(request).length === n ? 'true' : 'false';
        expect(evaluate('StringLike', ['?'.repeat(n)], withKey(request))).toBe(expected);
      }),
    );
  });

  it('StringEqualsIgnoreCase agrees with StringEquals on lower-cased text', () => {
    fc.assert(
      fc.property(plain, plainValues, (request, values) => {
        const lower = evaluate(
          'StringEquals',
          values.map((v) => v.toLowerCase()),
          withKey(request.toLowerCase()),
        );
        expect(evaluate('StringEqualsIgnoreCase', values, withKey(request))).toBe(lower);
      }),
    );
  });
});

function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

function formatIpv6(value: bigint): string {
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n)
    groups.push(((value >> shift) & 0xffffn).toString(16));
  return groups.join(':');
}

const ipv4 = fc.bigInt({ min: 0n, max: (1n << 32n) - 1n });
const ipv6 = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });

describe('IP address operators', () => {
  it('an IPv4 address inside a generated CIDR is in it, and not NotIpAddress', () => {
    fc.assert(
      fc.property(ipv4, fc.integer({ min: 0, max: 32 }), ipv4, (network, prefix, host) => {
        const hostBits = 32n - BigInt(prefix);
        const mask = (1n << hostBits) - 1n;
        const address = (network & ~mask) | (host & mask);
        const range = `${formatIpv4(network)}/${prefix}`;
        const context = withKey(formatIpv4(address));
        expect(evaluate('IpAddress', [range], context)).toBe('true');
        expect(evaluate('NotIpAddress', [range], context)).toBe('false');
      }),
    );
  });

  it('an IPv6 address inside a generated CIDR is in it, and not NotIpAddress', () => {
    fc.assert(
      fc.property(ipv6, fc.integer({ min: 0, max: 128 }), ipv6, (network, prefix, host) => {
        const hostBits = 128n - BigInt(prefix);
        const mask = (1n << hostBits) - 1n;
        const address = (network & ~mask) | (host & mask);
        const range = `${formatIpv6(network)}/${prefix}`;
        const context = withKey(formatIpv6(address));
        expect(evaluate('IpAddress', [range], context)).toBe('true');
        expect(evaluate('NotIpAddress', [range], context)).toBe('false');
      }),
    );
  });

  it('an IPv4 address outside a CIDR is not in it', () => {
    fc.assert(
      fc.property(ipv4, fc.integer({ min: 1, max: 32 }), ipv4, (network, prefix, other) => {
        const shift = 32n - BigInt(prefix);
        fc.pre(other >> shift !== network >> shift);
        const range = `${formatIpv4(network)}/${prefix}`;
        const context = withKey(formatIpv4(other));
        expect(evaluate('IpAddress', [range], context)).toBe('false');
        expect(evaluate('NotIpAddress', [range], context)).toBe('true');
      }),
    );
  });
});

describe('numeric and date operators', () => {
  const number = fc.oneof(
    fc.integer({ min: -1_000_000, max: 1_000_000 }),
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }),
  );

  it('orders numbers as JavaScript does (request OP policy)', () => {
    fc.assert(
      fc.property(number, number, (request, policy) => {
        const context = withKey(String(request));
        const values = [String(policy)];
        const want = (holds: boolean): string => (holds ? 'true' : 'false');
        expect(evaluate('NumericEquals', values, context)).toBe(want(request === policy));
        expect(evaluate('NumericNotEquals', values, context)).toBe(want(request !== policy));
        expect(evaluate('NumericLessThan', values, context)).toBe(want(request < policy));
        expect(evaluate('NumericLessThanEquals', values, context)).toBe(want(request <= policy));
        expect(evaluate('NumericGreaterThan', values, context)).toBe(want(request > policy));
        expect(evaluate('NumericGreaterThanEquals', values, context)).toBe(want(request >= policy));
      }),
    );
  });

  const seconds = fc.integer({ min: 0, max: 4_102_444_800 });

  it('dates compare the same in ISO 8601 and in epoch seconds, on either side', () => {
    fc.assert(
      fc.property(seconds, seconds, (request, policy) => {
        const iso = (s: number): string => new Date(s * 1000).toISOString().replace('.000Z', 'Z');
        const want = (holds: boolean): string => (holds ? 'true' : 'false');
        for (const [r, p] of [
          [iso(request), String(policy)],
          [String(request), iso(policy)],
          [iso(request), iso(policy)],
        ] as const) {
          const context = withKey(r);
          expect(evaluate('DateEquals', [p], context)).toBe(want(request === policy));
          expect(evaluate('DateLessThan', [p], context)).toBe(want(request < policy));
          expect(evaluate('DateGreaterThanEquals', [p], context)).toBe(want(request >= policy));
        }
      }),
    );
  });
});

describe('set operators', () => {
  const distinctPlain = fc.uniqueArray(
    plain.filter((s) => s !== ''),
    { minLength: 1, maxLength: 6 },
  );

  it('ForAllValues over a subset of the policy values is true', () => {
    fc.assert(
      fc.property(distinctPlain, fc.infiniteStream(fc.boolean()), (values, picks) => {
        const iterator = picks[Symbol.iterator]();
        const subset = values.filter(() => iterator.next().value === true);
        expect(evaluate('ForAllValues:StringEquals', values, withKey(subset))).toBe('true');
      }),
    );
  });

  it('ForAllValues with a request value outside the policy values is false', () => {
    fc.assert(
      fc.property(distinctPlain, plain, (values, outsider) => {
        fc.pre(!values.includes(outsider));
        expect(evaluate('ForAllValues:StringEquals', values, withKey([...values, outsider]))).toBe(
          'false',
        );
      }),
    );
  });

  it('ForAnyValue over disjoint sets is false, and true once they share a value', () => {
    fc.assert(
      fc.property(distinctPlain, distinctPlain, (policy, request) => {
        const disjoint = request.filter((value) => !policy.includes(value));
        fc.pre(disjoint.length > 0);
        expect(evaluate('ForAnyValue:StringEquals', policy, withKey(disjoint))).toBe('false');
        expect(
          evaluate('ForAnyValue:StringEquals', policy, withKey([...disjoint, policy[0] ?? ''])),
        ).toBe('true');
      }),
    );
  });

  it('ForAnyValue is the negation of ForAllValues of the negated operator', () => {
    fc.assert(
      fc.property(distinctPlain, fc.array(plain, { maxLength: 5 }), (policy, request) => {
        const context = withKey(request);
        const any = evaluate('ForAnyValue:StringEquals', policy, context);
        const allNot = evaluate('ForAllValues:StringNotEquals', policy, context);
        expect(any).toBe(allNot === 'true' ? 'false' : 'true');
      }),
    );
  });
});

const OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringLike',
  'StringNotLike',
  'StringEqualsIgnoreCase',
  'NumericLessThan',
  'NumericNotEquals',
  'DateGreaterThan',
  'Bool',
  'IpAddress',
  'NotIpAddress',
  'ArnLike',
  'ArnNotEquals',
] as const;
const operator = fc.constantFrom(...OPERATORS);
const anyValue = fc.oneof(
  plain,
  fc.constantFrom(
    '10',
    '3.5',
    'true',
    'FALSE',
    '203.0.113.0/24',
    '203.0.113.9',
    '2026-01-01T00:00:00Z',
    '1767225600',
    'arn:aws:s3:::b',
    'arn:aws:*:*:*:*',
    'a*',
    '?',
  ),
);

describe('IfExists and modes', () => {
  it('IfExists with the key present is the base operator', () => {
    fc.assert(
      fc.property(
        operator,
        fc.array(anyValue, { minLength: 1, maxLength: 3 }),
        anyValue,
        (op, values, request) => {
          const context = withKey(request);
          expect(evaluate(`${op}IfExists`, values, context)).toBe(evaluate(op, values, context));
        },
      ),
    );
  });

  it('IfExists with the key absent is true', () => {
    fc.assert(
      fc.property(operator, fc.array(anyValue, { minLength: 1, maxLength: 3 }), (op, values) => {
        expect(evaluate(`${op}IfExists`, values, contextOf({}))).toBe('true');
      }),
    );
  });

  it('discovery mode decides a present key exactly as complete mode does', () => {
    fc.assert(
      fc.property(
        operator,
        fc.array(anyValue, { minLength: 1, maxLength: 3 }),
        anyValue,
        (op, values, request) => {
          const clause = aClause(op, KEY, values);
          const context = withKey(request);
          expect(evaluateClause(clause, context, 'discovery')).toBe(
            evaluateClause(clause, context, 'complete'),
          );
        },
      ),
    );
  });

  it('complete mode never answers unknown', () => {
    fc.assert(
      fc.property(
        operator,
        fc.array(anyValue, { maxLength: 3 }),
        fc.option(anyValue),
        (op, values, request) => {
          const context = request === null ? contextOf({}) : withKey(request);
          expect(evaluate(op, values, context)).not.toBe('unknown');
        },
      ),
    );
  });

  it('evaluateConditions is the AND of its clauses', () => {
    const clause = fc.tuple(
      operator,
      fc.array(anyValue, { minLength: 1, maxLength: 2 }),
      fc.constantFrom('x:a', 'x:b', 'x:c'),
    );
    fc.assert(
      fc.property(
        fc.array(clause, { maxLength: 4 }),
        fc.dictionary(fc.constantFrom('x:a', 'x:b'), anyValue),
        (specs, values) => {
          const clauses = specs.map(([op, vals, key]) => aClause(op, key, vals));
          const context = contextOf(values);
          const results = clauses.map((c) => evaluateClause(c, context, 'discovery'));
          const { result, pending } = evaluateConditions(clauses, context, 'discovery');
          const expected = results.includes('false')
            ? 'false'
            : results.includes('unknown')
              ? 'unknown'
              : 'true';
          expect(result).toBe(expected);
          expect(pending).toEqual(
            expected === 'unknown' ? clauses.filter((_, i) => results[i] === 'unknown') : [],
          );
        },
      ),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { evaluateRequest } from './evaluate.js';
import { callerIdentityFromArn } from './match-principal.js';
import { parsePolicy } from './parse.js';
import { buildRequestContext } from './request-context.js';

const caller = callerIdentityFromArn('arn:aws:iam::111122223333:user/alice');
const denyAll = parsePolicy(
  {
    Version: '2012-10-17',
    Statement: [{ Sid: 'NoDelete', Effect: 'Deny', Action: 's3:Delete*', Resource: '*' }],
  },
  { id: 'deny', kind: 'identity' },
);

function request(action: string) {
  return evaluateRequest({
    caller,
    action,
    resource: 'arn:aws:s3:::reports/a.csv',
    resourceAccount: '111122223333',
    context: buildRequestContext({ caller, resourceAccount: '111122223333' }),
    mode: 'complete',
    identityPolicies: [denyAll],
  });
}

describe('evaluation results', () => {
  it('serialise with their reasons, which are written lazily', () => {
    const serialised = JSON.parse(JSON.stringify(request('s3:DeleteObject')));
    expect(serialised.decision).toBe('ExplicitDeny');
    expect(serialised.reasons).toHaveLength(1);
    expect(serialised.reasons[0].statements[0]).toMatchObject({
      policyId: 'deny',
      sid: 'NoDelete',
    });
  });

  it('explain an implicit deny by the missing identity allow', () => {
    const result = request('s3:GetObject');
    expect(result.decision).toBe('ImplicitDeny');
    expect(result.reasons.map((r) => r.effect)).toEqual(['missing']);
  });
});

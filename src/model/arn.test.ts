import { describe, expect, it } from 'vitest';
import { accountIdOfArn, iamArn, nameOfIamArn, parseArn, rootArn } from './arn.js';

describe('parseArn', () => {
  it('keeps colons inside the resource part', () => {
    expect(parseArn('arn:aws:lambda:us-east-1:100000000001:function:deploy:prod')).toEqual({
      partition: 'aws',
      service: 'lambda',
      region: 'us-east-1',
      accountId: '100000000001',
      resource: 'function:deploy:prod',
    });
  });

  it('rejects text that is not an ARN', () => {
    expect(parseArn('role/ci-deployer')).toBeNull();
    expect(parseArn('arn:aws:iam')).toBeNull();
  });

  it('knows S3 bucket ARNs carry no account', () => {
    expect(accountIdOfArn('arn:aws:s3:::audit-logs')).toBeNull();
    expect(accountIdOfArn('arn:aws-cn:iam::100000000002:role/x')).toBe('100000000002');
  });
});

describe('IAM ARNs', () => {
  it('builds paths and names like AWS does', () => {
    expect(iamArn('100000000001', 'role', '/service-role/', 'ci-deployer')).toBe(
      'arn:aws:iam::100000000001:role/service-role/ci-deployer',
    );
    expect(nameOfIamArn('arn:aws:iam::100000000001:role/service-role/ci-deployer')).toBe(
      'ci-deployer',
    );
    expect(rootArn('100000000001')).toBe('arn:aws:iam::100000000001:root');
  });
});

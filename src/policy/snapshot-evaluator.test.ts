import { describe, expect, it } from 'vitest';
import { TestEstate, allow, doc } from '../test-support/estate.js';
import { SnapshotEvaluator } from './snapshot-evaluator.js';

describe('SnapshotEvaluator', () => {
  it('judges an S3 object by its bucket account: cross-account reads need the bucket policy', async () => {
    const data = new TestEstate('100000000004');
    data.resource('AWS::S3::Bucket', 'arn:aws:s3:::payments-exports', {
      policy: doc({
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::222233334444:root' },
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::payments-exports/*',
      }),
    });
    const apps = new TestEstate('100000000003');
    const reader = apps.role('reader', {
      trust: doc({
        Effect: 'Allow',
        Principal: { Service: 'ec2.amazonaws.com' },
        Action: 'sts:AssumeRole',
      }),
      inline: [doc(allow('s3:GetObject'))],
    });
    const snapshot = await data.snapshot(apps);
    const evaluator = new SnapshotEvaluator(snapshot);
    const role = snapshot.principals.find((p) => p.arn === reader)!;
    const input = evaluator.requestInput(
      role,
      's3:GetObject',
      'arn:aws:s3:::payments-exports/x.csv',
    );
    expect(input.resourceAccount).toBe('100000000004');
    expect(
      evaluator.evaluate(role, 's3:GetObject', 'arn:aws:s3:::payments-exports/x.csv').decision,
    ).toBe('ImplicitDeny');
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  describeDetection,
  runFixture,
  type DetectionFixture,
} from '../../../test-support/detection-case.js';
import { detection } from './detection.js';

describeDetection(detection, import.meta.dirname);

function fixture(name: string): DetectionFixture {
  return JSON.parse(
    readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8'),
  ) as DetectionFixture;
}

describe('RES-01 evidence of S3 Block Public Access at both levels', () => {
  const off = {
    blockPublicAcls: false,
    ignorePublicAcls: false,
    blockPublicPolicy: false,
    restrictPublicBuckets: false,
  };

  it('shows the bucket and account levels, with no note when the account answered', async () => {
    const name = 'fires-account-block-public-access-off.json';
    const results = await runFixture(detection, fixture(name), name);
    const evidenceOf = (arn: string) => results.find((r) => r.resource.arn === arn)?.evidence;
    expect(evidenceOf('arn:aws:s3:::downloads-100000000001')).toMatchObject({
      publicAccessBlock: {
        bucket: null,
        account: off,
        effective: off,
        restrictPublicBucketsSetBy: null,
      },
    });
    expect(evidenceOf('arn:aws:s3:::reports-100000000002')).toMatchObject({
      publicAccessBlock: {
        account: { ...off, blockPublicPolicy: true },
        effective: { ...off, blockPublicPolicy: true },
      },
    });
    // RestrictPublicBuckets is on, from the account, but a source-IP grant is not public to S3.
    expect(evidenceOf('arn:aws:s3:::office-share-100000000003')).toMatchObject({
      publicAccessBlock: { restrictPublicBucketsSetBy: 'account' },
    });
    for (const result of results) expect(result.evidence).not.toHaveProperty('note');
  });

  it('says the account level is not in the snapshot when no item recorded it', async () => {
    const withoutAccountLevel = fixture('fires-account-block-public-access-off.json');
    const items = (withoutAccountLevel.configItems ?? []).filter(
      (item) => (item as { resourceType: string }).resourceType === 'AWS::S3::Bucket',
    );
    const results = await runFixture(
      detection,
      { ...withoutAccountLevel, configItems: items },
      'without-account-level.json',
    );
    // Unknown is not "off": still reported, with the note; the IP-limited bucket is medium as before.
    expect(results.map((r) => r.resource.name).sort()).toEqual([
      'downloads-100000000001',
      'office-share-100000000003',
      'reports-100000000002',
    ]);
    const downloads = results.find((r) => r.resource.name === 'downloads-100000000001');
    expect(downloads?.evidence).toMatchObject({
      publicAccessBlock: { bucket: null, account: null },
      note: 'no bucket-level Block Public Access; account-level settings are not in the snapshot',
    });
  });
});

describe('RES-01 probes from an address outside the ranges the policy names', () => {
  // Ranges around the documentation address 198.51.100.7, which an earlier probe always used.
  it.each([
    ['a grant pinned to the range', 'IpAddress', 'Allow'],
    ['a deny of everything outside the range', 'NotIpAddress', 'Deny'],
  ])('%s is network-limited (medium), not open', async (_, operator, effect) => {
    const base = fixture('fires-public-resources.json');
    const statements =
      effect === 'Allow'
        ? [
            {
              Effect: 'Allow',
              Principal: '*',
              Action: 's3:GetObject',
              Resource: 'arn:aws:s3:::office-share-100000000001/*',
              Condition: { [operator]: { 'aws:SourceIp': '198.51.100.0/24' } },
            },
          ]
        : [
            {
              Effect: 'Allow',
              Principal: '*',
              Action: 's3:GetObject',
              Resource: 'arn:aws:s3:::office-share-100000000001/*',
            },
            {
              Effect: 'Deny',
              Principal: '*',
              Action: 's3:*',
              Resource: 'arn:aws:s3:::office-share-100000000001/*',
              Condition: { [operator]: { 'aws:SourceIp': ['198.51.100.0/24', '203.0.113.0/24'] } },
            },
          ];
    const items = (base.configItems ?? []).map((item) => {
      const it = item as { ARN?: string; supplementaryConfiguration?: Record<string, unknown> };
      if (it.ARN !== 'arn:aws:s3:::office-share-100000000001') return item;
      return {
        ...it,
        supplementaryConfiguration: {
          ...it.supplementaryConfiguration,
          BucketPolicy: {
            policyText: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
          },
        },
      };
    });
    const results = await runFixture(detection, { ...base, configItems: items }, 'ranges.json');
    const office = results.find((r) => r.resource.arn === 'arn:aws:s3:::office-share-100000000001');
    expect(office?.severity).toBe('medium');
    expect(office?.evidence).toMatchObject({ access: 'network', network: 'source-ip' });
  });
});

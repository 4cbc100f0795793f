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

describe('RES-02 and the account-level Block Public Access', () => {
  const name = 'silent-account-restricts-public-bucket.json';
  const silent = JSON.parse(
    readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8'),
  ) as DetectionFixture;
  const withoutAccountLevel: DetectionFixture = {
    ...silent,
    configItems: (silent.configItems ?? []).filter(
      (item) => (item as { resourceType: string }).resourceType === 'AWS::S3::Bucket',
    ),
  };

  it('reports the partner grant when the account level is unknown, saying so', async () => {
    const results = await runFixture(detection, withoutAccountLevel, 'without-account-level.json');
    expect(results.map((r) => [r.resource.name, r.identity, r.severity])).toEqual([
      ['shared-drop-100000000001', { account: '999999990004' }, 'high'],
    ]);
    expect(results[0]?.evidence).toMatchObject({
      publicAccessBlock: { bucket: null, account: null, restrictPublicBucketsSetBy: null },
      note: 'no bucket-level Block Public Access; account-level settings are not in the snapshot',
    });
  });
});

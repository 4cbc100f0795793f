import { expect, it } from 'vitest';
import type { Usage } from '../../../model/index.js';
import {
  describeDetection,
  readFixture,
  runFixture,
} from '../../../test-support/detection-case.js';
import { aPrincipal, anAction } from '../../../test-support/usage.js';
import { detection } from './detection.js';

describeDetection(detection, import.meta.dirname);

const FILE = 'silent-unknown-boundary-deny-only-threshold.json';

it('counts data events once the logs hold some: the payments role then has a gap (PassRole stays unknown)', async () => {
  const fixture = readFixture(import.meta.dirname, FILE);
  const usage = fixture.usage as Usage;
  const withDataEvents: Usage = {
    ...usage,
    principals: [
      ...usage.principals,
      aPrincipal('arn:aws:iam::100000000001:role/queue-writer', [
        anAction('sqs:SendMessage', '2026-11-23T10:00:00.000Z'),
        anAction('dynamodb:GetItem', '2026-11-23T10:00:00.000Z'),
      ]),
    ],
  };
  const results = await runFixture(detection, { ...fixture, usage: withDataEvents }, FILE);
  expect(results.map((r) => r.resource.name)).toEqual(['payments-api']);
  // Six granted, iam:PassRole unknown, kms:Decrypt and ec2:DescribeInstances used: 3 of 5 unused.
  expect(results[0]?.evidence).toMatchObject({
    granted: 6,
    used: 2,
    unused: 3,
    unknown: 1,
    unusedPercent: 60,
  });
});

it('fires at the configured threshold: 40% unused is a gap when the threshold is 30%', async () => {
  const fixture = readFixture(import.meta.dirname, FILE);
  const results = await runFixture(
    detection,
    { ...fixture, config: { usage: { permissionGapPercent: 30 } } },
    FILE,
  );
  expect(results.map((r) => r.resource.name)).toEqual(['inventory-sync']);
});

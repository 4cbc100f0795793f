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

it('judges SNS once the logs hold SNS data events: it is then stale too', async () => {
  const file = 'fires-unused-named-services.json';
  const fixture = readFixture(import.meta.dirname, file);
  const usage = fixture.usage as Usage;
  const results = await runFixture(
    detection,
    {
      ...fixture,
      usage: {
        ...usage,
        principals: [
          ...usage.principals,
          aPrincipal('arn:aws:iam::100000000001:role/alerts', [
            anAction('sns:Publish', '2026-11-20T10:00:00.000Z'),
          ]),
        ],
      },
    },
    file,
  );
  const stale = (results[0]?.evidence.staleServices ?? []) as { service: string }[];
  expect(stale.map((s) => s.service)).toEqual(['dynamodb', 'sns', 'sqs']);
});

it('lists the stale services, and what the other named services did', async () => {
  const file = 'fires-unused-named-services.json';
  const results = await runFixture(detection, readFixture(import.meta.dirname, file), file);
  expect(results[0]?.message).toBe(
    'Role orders-worker did not use 2 of the 5 services its policies name in the last 90 days, according to CloudTrail: dynamodb, sqs.',
  );
  expect(results[0]?.evidence.usedServices).toEqual(['kms', 'ssm']);
});

it('decides from Access Advisor when it was collected, and says so', async () => {
  const file = 'fires-access-advisor-stale-services.json';
  const results = await runFixture(detection, readFixture(import.meta.dirname, file), file);
  expect(results[0]?.message).toBe(
    "Role orders-worker did not use 2 of the 3 services its policies name in the last 90 days, according to IAM's service last accessed data: dynamodb, kms.",
  );
  expect(results[0]?.evidence).toMatchObject({
    source: 'service-last-accessed',
    staleServices: [
      { service: 'dynamodb', lastAuthenticated: '2025-06-01T08:00:00.000Z' },
      { service: 'kms', lastAuthenticated: null },
    ],
    usedServices: ['sqs'],
  });
});

it('the Access Advisor near-misses fire once their reason is taken away', async () => {
  const file = 'silent-access-advisor-used-young-unnamed-or-absent.json';
  const fixture = readFixture(import.meta.dirname, file);
  const text = JSON.stringify(fixture)
    // DynamoDB last used before the period; the new importer created long ago.
    .replace('2026-09-01T00:00:00Z', '2026-01-01T00:00:00Z')
    .replace('2026-10-25T10:00:00Z', '2024-10-25T10:00:00Z');
  const results = await runFixture(detection, JSON.parse(text) as typeof fixture, file);
  expect(results.map((r) => r.resource.name).sort()).toEqual(['new-importer', 'orders-worker']);
});

it('lets Access Advisor overrule CloudTrail for the principal it covers', async () => {
  const file = 'fires-unused-named-services.json';
  const fixture = readFixture(import.meta.dirname, file);
  const worker = 'arn:aws:iam::100000000001:role/orders-worker';
  const used = (namespace: string) => ({
    ServiceNamespace: namespace,
    LastAuthenticated: '2026-11-01T00:00:00Z',
  });
  const results = await runFixture(
    detection,
    {
      ...fixture,
      serviceLastAccessed: {
        Principals: [
          { Arn: worker, ServicesLastAccessed: ['sqs', 'dynamodb', 'kms', 'ssm'].map(used) },
        ],
      },
    },
    file,
  );
  expect(results).toEqual([]);
});

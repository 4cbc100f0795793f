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
    'Role orders-worker did not use 2 of the 5 services its policies name in the last 90 days: dynamodb, sqs.',
  );
  expect(results[0]?.evidence.usedServices).toEqual(['kms', 'ssm']);
});

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { corpusPath, describeWithCorpus } from '../../test-support/corpus.js';
import { readCloudTrail } from './index.js';

const PARTS = ['stratus-red-team', 'docs', 'detonation-logs'];

interface CorpusRecord {
  eventSource: string;
  eventName: string;
  userIdentity: {
    type: string;
    arn?: string;
    sessionContext?: { sessionIssuer?: { arn?: string } };
  };
}

describeWithCorpus('the stratus-red-team detonation logs', PARTS, () => {
  const dir = corpusPath(...PARTS);
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort();

  it('are the 35 files of the corpus', () => {
    expect(files).toHaveLength(35);
  });

  it.each(files)(
    '%s: every record read, with the principals and actions it names',
    async (name) => {
      const records = JSON.parse(readFileSync(join(dir, name), 'utf8')) as CorpusRecord[];
      const usage = await readCloudTrail([join(dir, name)], { workers: 0 });
      expect(usage.stats).toEqual({
        files: 1,
        bytes: expect.any(Number),
        records: records.length,
        outsideWindow: 0,
        malformedRecords: 0,
        unreadableFiles: [],
      });
      // Read independently: the corpus holds IAMUser, AssumedRole and FederatedUser callers, whose
      // principal is the session issuer when there is one; its only renamed events are Lambda's.
      const expected: Record<string, Record<string, number>> = {};
      for (const record of records) {
        const identity = record.userIdentity;
        const principal = identity.sessionContext?.sessionIssuer?.arn ?? identity.arn ?? '?';
        const service = record.eventSource.replace('.amazonaws.com', '');
        const operation =
          service === 'lambda' ? record.eventName.replace(/20\d{6}(v\d+)?$/, '') : record.eventName;
        const actions = (expected[principal] ??= {});
        actions[`${service}:${operation}`] = (actions[`${service}:${operation}`] ?? 0) + 1;
      }
      const read = Object.fromEntries(
        usage.principals.map((p) => [
          p.principal,
          Object.fromEntries(p.actions.map((a) => [a.action, a.count])),
        ]),
      );
      expect(read).toEqual(expected);
    },
  );

  it('says what hand-checked records say', async () => {
    const usage = await readCloudTrail([dir]);
    expect(usage.stats).toMatchObject({ files: 35, records: 310, malformedRecords: 0 });
    const principal = (arn: string) => usage.principals.find((p) => p.principal === arn);
    const action = (arn: string, name: string) =>
      principal(arn)?.actions.find((a) => a.action === name);

    // aws.credential-access.ec2-steal-instance-credentials: SendCommand with a long-lived key.
    const christophe = 'arn:aws:iam::017622104382:user/christophe';
    expect(action(christophe, 'ssm:SendCommand')).toMatchObject({
      count: 1,
      lastSeen: '2024-08-02T08:23:24Z',
    });
    expect(usage.accessKeys.find((k) => k.accessKeyId === 'AKIAAM80VXLJF8NPK4VC')).toMatchObject({
      principal: christophe,
      services: ['ssm'],
    });
    // ... and the stolen instance role used from outside.
    const stolen = 'arn:aws:iam::017622104382:role/stratus-red-team-ec2-steal-credentials-role';
    expect(principal(stolen)?.actions.map((a) => a.action)).toEqual([
      'ec2:DescribeInstances',
      'sts:GetCallerIdentity',
    ]);
    // aws.persistence.lambda-overwrite-code: UpdateFunctionCode20150331v2.
    expect(
      action('arn:aws:iam::266106314375:user/christophe', 'lambda:UpdateFunctionCode'),
    ).toMatchObject({ count: 1, lastSeen: '2024-08-01T13:52:02Z' });
    // aws.persistence.sts-federation-token: the federated session acts for the user that made it.
    const broker = 'arn:aws:iam::742491224508:user/stratus-red-team-user-federation-user';
    expect(action(broker, 'sts:GetFederationToken')?.count).toBe(1);
    expect(action(broker, 'sts:GetCallerIdentity')).toBeDefined();
    // aws.initial-access.console-login-without-mfa: a successful sign-in.
    expect(
      principal('arn:aws:iam::562283505220:user/stratus-red-team-nmfalu-jfzdtsvchl')
        ?.lastConsoleLogin,
    ).toBe('2024-08-02T08:53:24Z');
    // aws.lateral-movement.ec2-instance-connect.
    expect(
      action('arn:aws:iam::572910899909:user/christophe', 'ec2-instance-connect:SendSSHPublicKey')
        ?.count,
    ).toBe(3);
  });
});

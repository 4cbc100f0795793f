/**
 * Builders for CloudTrail records in tests: the fields AWS writes, with fake ids
 * (accounts 100000000001…, docs/STYLE.md), so each test states only what it is about.
 */
import {
  describeRecord,
  type RecordOptions,
  type TrailEvent,
} from '../ingest/cloudtrail/record.js';
import { scanCloudTrail } from '../ingest/cloudtrail/scan.js';

export const ACCOUNT = '100000000001';
export const OTHER_ACCOUNT = '100000000002';

/** A userIdentity of an IAM user signing with a long-lived key. */
export function iamUser(name: string, keyId = 'AKIAEXAMPLEKEY000001'): Record<string, unknown> {
  return {
    type: 'IAMUser',
    principalId: 'AIDAEXAMPLEPRINCIPAL1',
    arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    accountId: ACCOUNT,
    accessKeyId: keyId,
    userName: name,
  };
}

/** A userIdentity of a role session (the issuer carries the role's path). */
export function roleSession(
  roleName: string,
  session = 'botocore-session-1700000000',
  path = '/',
): Record<string, unknown> {
  return {
    type: 'AssumedRole',
    principalId: `AROAEXAMPLEROLEID0001:${session}`,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${roleName}/${session}`,
    accountId: ACCOUNT,
    accessKeyId: 'ASIAEXAMPLETEMPKEY01',
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: 'AROAEXAMPLEROLEID0001',
        arn: `arn:aws:iam::${ACCOUNT}:role${path}${roleName}`,
        accountId: ACCOUNT,
        userName: roleName,
      },
      webIdFederationData: {},
      attributes: { creationDate: '2026-10-01T09:00:00Z', mfaAuthenticated: 'false' },
    },
  };
}

/** A CloudTrail record with the fields every record has; `fields` override or add. */
export function aRecord(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: iamUser('dev-alice'),
    eventTime: '2026-10-01T10:00:00Z',
    eventSource: 'iam.amazonaws.com',
    eventName: 'ListRoles',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.10',
    userAgent: 'aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux',
    requestParameters: null,
    responseElements: null,
    requestID: '5f2c3c4e-0000-4000-8000-000000000001',
    eventID: '9a1b2c3d-0000-4000-8000-000000000001',
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
    ...fields,
  };
}

/** Maps one record through the scanner and the record reader; null when it is not counted. */
export function mapRecord(
  record: unknown,
  options: RecordOptions = {},
  indent?: number,
): TrailEvent | null {
  let event: TrailEvent | null = null;
  let seen = 0;
  scanCloudTrail(
    Buffer.from(JSON.stringify({ Records: [record] }, null, indent)),
    (spans) => {
      seen++;
      event = describeRecord(spans, options);
    },
    () => {
      seen++;
    },
  );
  if (seen !== 1) throw new Error(`expected one record, the scanner saw ${seen}`);
  return event;
}

import { describe, expect, it } from 'vitest';
import { OCSF_VERSION, toOcsf } from './ocsf.js';
import {
  aFinding,
  aHostileScanDocument,
  aMixedScanDocument,
  aScanDocument,
  describeErrors,
  validateOcsfDetectionFinding,
} from './test-support/scan-documents.js';

function expectValid(event: unknown): void {
  const valid = validateOcsfDetectionFinding(event);
  expect(describeErrors(validateOcsfDetectionFinding.errors)).toEqual([]);
  expect(valid).toBe(true);
}

describe('toOcsf', () => {
  it('writes one Detection Finding per finding, each valid against the OCSF 1.3.0 schema', () => {
    const document = aMixedScanDocument();
    const events = toOcsf(document, { productVersion: '0.1.0' });
    expect(events).toHaveLength(document.findings.length);
    events.forEach(expectValid);
  });

  it('classifies the event as a Detection Finding created by the scan', () => {
    const [event] = toOcsf(aScanDocument([aFinding()]));
    expect(event).toMatchObject({
      class_uid: 2004,
      class_name: 'Detection Finding',
      category_uid: 2,
      category_name: 'Findings',
      activity_id: 1,
      activity_name: 'Create',
      type_uid: 200401,
      type_name: 'Detection Finding: Create',
      time: Date.parse('2025-06-01T12:00:00.000Z'),
      metadata: {
        version: OCSF_VERSION,
        product: { name: 'iamsight', vendor_name: 'iamsight' },
        profiles: ['cloud'],
      },
    });
  });

  it.each([
    ['critical', 5, 'Critical'],
    ['high', 4, 'High'],
    ['medium', 3, 'Medium'],
    ['low', 2, 'Low'],
    ['info', 1, 'Informational'],
  ] as const)('maps severity %s to severity_id %i', (severity, id, caption) => {
    const [event] = toOcsf(aScanDocument([aFinding({ severity })]));
    expect(event).toMatchObject({ severity_id: id, severity: caption });
    expectValid(event);
  });

  it('maps open to New, muted to Suppressed (with the reason as comment), resolved to Resolved', () => {
    const events = toOcsf(aMixedScanDocument());
    expect(events.map((e) => [e.status_id, e.status])).toEqual([
      [1, 'New'],
      [3, 'Suppressed'],
      [4, 'Resolved'],
      [3, 'Suppressed'],
      [1, 'New'],
    ]);
    expect(events[1]).toMatchObject({
      comment: 'break-glass user, MFA in the safe',
      unmapped: {
        mute: { reason: 'break-glass user, MFA in the safe', until: '2025-12-31T00:00:00.000Z' },
      },
    });
    expect(events[0]).not.toHaveProperty('comment');
  });

  it('identifies the finding by its fingerprint and the analytic by the rule', () => {
    const [event] = toOcsf(aScanDocument([aFinding({ ruleVersion: 3 })]));
    expect(event?.finding_info).toEqual({
      uid: '0123456789abcdef0123456789abcdef',
      title: 'IAM role is an administrator',
      desc: 'role/ci-deployer is effectively allowed every action on every resource.',
      types: ['admin'],
      analytic: {
        uid: 'iam-role-admin',
        name: 'IAM role is an administrator',
        type_id: 1,
        type: 'Rule',
        category: 'admin',
        version: '3',
      },
    });
  });

  it('describes the resource, its partition and region from the ARN, and the account', () => {
    const events = toOcsf(aMixedScanDocument());
    expect(events[0]).toMatchObject({
      resources: [
        {
          uid: 'arn:aws:iam::100000000001:role/ci-deployer',
          name: 'ci-deployer',
          type: 'AWS::IAM::Role',
          cloud_partition: 'aws',
        },
      ],
      cloud: { provider: 'AWS', account: { uid: '100000000001', type_id: 10 } },
    });
    // IAM is global: no region is invented.
    expect((events[0]?.resources as object[])[0]).not.toHaveProperty('region');
    expect(events[3]).toMatchObject({
      resources: [{ cloud_partition: 'aws-us-gov', region: 'us-gov-west-1' }],
      cloud: { account: { uid: '100000000001' } },
    });
    expect(events[1]).toMatchObject({ cloud: { account: { uid: '100000000002' } } });
  });

  it('carries remediation with the console link as reference, and the evidence unmapped', () => {
    const events = toOcsf(aMixedScanDocument());
    expect(events[0]).toMatchObject({
      remediation: {
        desc: 'Replace AdministratorAccess with a policy scoped to what the role uses.',
        references: ['https://console.aws.amazon.com/iam/home#/roles/details/ci-deployer'],
      },
      unmapped: {
        evidence: { allowedBy: ['arn:aws:iam::aws:policy/AdministratorAccess'] },
        rule_version: 1,
        anchor: 'IAM-ADM-03',
      },
    });
    // No console page: no references rather than an empty or null one.
    expect(events[2]?.remediation).toEqual({ desc: 'Rotate the access key.' });
  });

  it('states the product version only when given', () => {
    const document = aScanDocument([aFinding()]);
    expect(toOcsf(document)[0]?.metadata).toEqual({
      version: '1.3.0',
      product: { name: 'iamsight', vendor_name: 'iamsight' },
      profiles: ['cloud'],
    });
    expect(toOcsf(document, { productVersion: '0.1.0' })[0]).toMatchObject({
      metadata: { product: { version: '0.1.0' } },
    });
  });

  it('keeps hostile names intact as JSON strings and stays valid', () => {
    const document = aHostileScanDocument();
    const events = toOcsf(document);
    events.forEach(expectValid);
    const roundTripped = JSON.parse(JSON.stringify(events)) as typeof events;
    expect(roundTripped.map((e) => (e.resources as { name: string }[])[0]?.name)).toEqual(
      document.findings.map((f) => f.resource.name),
    );
  });

  it('is pure: the same document gives equal events, and no findings give no events', () => {
    const document = aMixedScanDocument();
    expect(toOcsf(document)).toEqual(toOcsf(document));
    expect(toOcsf(aScanDocument([]))).toEqual([]);
  });

  it('uses a schema that rejects what OCSF rejects', () => {
    const [event] = toOcsf(aScanDocument([aFinding()]));
    const { finding_info: _omitted, ...withoutFindingInfo } = event ?? {};
    expect(validateOcsfDetectionFinding(withoutFindingInfo)).toBe(false);
    expect(validateOcsfDetectionFinding({ ...event, severity_id: 7 })).toBe(false);
    expect(validateOcsfDetectionFinding({ ...event, class_uid: 2001 })).toBe(false);
    expect(validateOcsfDetectionFinding({ ...event, not_an_ocsf_attribute: 1 })).toBe(false);
    expect(
      validateOcsfDetectionFinding({ ...event, resources: [{ type: 'AWS::IAM::Role' }] }),
    ).toBe(false); // resource_details needs a name or a uid
  });
});

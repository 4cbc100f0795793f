/**
 * Detection fixtures: `fixtures/fires-*.json` and `fixtures/silent-*.json` beside each detection,
 * read through the real importers, analysed, and checked against the detection:
 *
 * ```json
 * {
 *   "description": "what the case shows (a near-miss says why it must stay silent)",
 *   "authz": { ...get-account-authorization-details... } | [ {...}, {...} ],
 *   "credentialReport": "user,arn,user_creation_time,...\n...",        (optional)
 *   "configItems": [ ...AWS Config configuration items... ],          (optional)
 *   "organization": { ...docs/formats.md organization format... },    (optional)
 *   "usage": { "schema": "iamsight.usage/v1", ... },                    (optional: CloudTrail usage)
 *   "serviceLastAccessed": { "Principals": [...] },    (optional: docs/formats.md Access Advisor)
 *   "iamCredentials": { "AccountId": "...", "Users": [...], "VirtualMFADevices": [...] },
 *                                          (optional: docs/formats.md listed keys and MFA devices)
 *   "config": { "trustedAccounts": ["123456789012"],                    (optional)
 *               "usage": { "trackingPeriodDays": 90, "permissionGapPercent": 40 } },
 *   "asOf": "2026-11-24T00:00:00Z",                                      (optional)
 *   "expect": [ { "arn": "arn:aws:iam::...", "severity": "critical", "identity": {...} } ]
 * }
 * ```
 * A fires fixture lists exactly the findings expected (severity and identity when given); a silent
 * fixture's `expect` is empty.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDetectionContext, skipReasonOf } from '../detections/run.js';
import type { Detection } from '../detections/types.js';
import { analyzeAccess } from '../graph/index.js';
import { mapAuthorizationDetails } from '../ingest/authz-details.js';
import { mapConfigItems } from '../ingest/aws-config.js';
import { resolveAwsManagedPolicies } from '../ingest/aws-managed-policies.js';
import { buildSnapshot } from '../ingest/build-snapshot.js';
import { mapCredentialReport } from '../ingest/credential-report.js';
import { mapOrganization } from '../ingest/organization.js';
import { mapIamCredentials } from '../ingest/iam-credentials.js';
import { mapServiceLastAccessed } from '../ingest/service-last-accessed.js';
import type { SnapshotPart } from '../ingest/snapshot-part.js';
import { mapUsageDocument } from '../ingest/usage-document.js';
import { buildUsageIndex } from '../usage/index.js';

export interface DetectionFixture {
  readonly description: string;
  readonly authz: unknown;
  readonly credentialReport?: string;
  readonly configItems?: readonly unknown[];
  readonly organization?: unknown;
  readonly usage?: unknown;
  readonly serviceLastAccessed?: unknown;
  readonly iamCredentials?: unknown;
  readonly config?: {
    readonly trustedAccounts?: readonly string[];
    readonly usage?: {
      readonly trackingPeriodDays?: number;
      readonly permissionGapPercent?: number;
    };
  };
  readonly asOf?: string;
  readonly expect: readonly {
    readonly arn: string;
    readonly severity?: string;
    readonly identity?: Record<string, string>;
  }[];
}

/** Runs one detection on a fixture; returns its results. */
export async function runFixture(detection: Detection, fixture: DetectionFixture, file: string) {
  const parts: SnapshotPart[] = [];
  const authz = Array.isArray(fixture.authz) ? fixture.authz : [fixture.authz];
  authz.forEach((json, i) => parts.push(mapAuthorizationDetails(json, `${file}#authz[${i}]`)));
  if (fixture.credentialReport)
    parts.push(mapCredentialReport(fixture.credentialReport, `${file}#credentialReport`));
  if (fixture.configItems) parts.push(mapConfigItems(fixture.configItems, `${file}#configItems`));
  if (fixture.organization)
    parts.push(mapOrganization(fixture.organization, `${file}#organization`));
  if (fixture.serviceLastAccessed)
    parts.push(mapServiceLastAccessed(fixture.serviceLastAccessed, `${file}#serviceLastAccessed`));
  if (fixture.iamCredentials)
    parts.push(mapIamCredentials(fixture.iamCredentials, `${file}#iamCredentials`));
  const snapshot = await buildSnapshot(parts, { resolveAwsManagedPolicies });
  const asOf = fixture.asOf ?? '2026-11-24T00:00:00Z';
  const access = analyzeAccess(snapshot, { asOf });
  const usage =
    fixture.usage === undefined
      ? null
      : buildUsageIndex(mapUsageDocument(fixture.usage, `${file}#usage`));
  const tracking = fixture.config?.usage;
  const ctx = buildDetectionContext(snapshot, access, {
    asOf,
    usage,
    config: {
      trustedAccounts: new Set(fixture.config?.trustedAccounts ?? []),
      tracking: {
        periodDays: tracking?.trackingPeriodDays ?? 90,
        permissionGapRatio: (tracking?.permissionGapPercent ?? 40) / 100,
      },
    },
  });
  // As runDetections does: a rule whose required data was not given is not run.
  if (skipReasonOf(detection, ctx) !== null) return [];
  return detection.evaluate(ctx);
}

/** Declares the fixture tests of a detection folder. */
export function describeDetection(detection: Detection, folder: string): void {
  const dir = join(folder, 'fixtures');
  const files = readdirSync(dir)
    .filter((f) => /^(fires|silent)-.+\.json$/.test(f))
    .sort();
  describe(`${detection.anchor} ${detection.id}`, () => {
    it('has fires and silent fixtures', () => {
      expect(files.some((f) => f.startsWith('fires-'))).toBe(true);
      expect(files.some((f) => f.startsWith('silent-'))).toBe(true);
    });
    for (const file of files) {
      const fixture = JSON.parse(readFileSync(join(dir, file), 'utf8')) as DetectionFixture;
      it(`${file}: ${fixture.description}`, async () => {
        const results = await runFixture(detection, fixture, file);
        if (file.startsWith('silent-')) expect(fixture.expect).toEqual([]);
        const got = results
          .map((r) => ({
            arn: r.resource.arn,
            severity: r.severity ?? detection.severity,
            identity: r.identity ?? {},
          }))
          .sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
        const wanted = [...fixture.expect]
          .map((e) => ({
            arn: e.arn,
            severity: e.severity ?? detection.severity,
            identity: e.identity ?? {},
          }))
          .sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
        expect(got).toEqual(wanted);
        for (const r of results) {
          expect(r.message.length, r.message).toBeGreaterThan(30);
          expect(r.message).toContain(r.resource.name);
        }
      });
    }
  });
}

/**
 * Checks that a near-miss is silent because of its CloudTrail usage alone (latest evidence wins):
 * without its `usage` the same fixture must give exactly `expected` findings (their ARNs).
 */
export function describeUsageNearMiss(
  detection: Detection,
  folder: string,
  file: string,
  expected: readonly string[],
): void {
  it(`${file} fires without its CloudTrail usage`, async () => {
    const fixture = JSON.parse(
      readFileSync(join(folder, 'fixtures', file), 'utf8'),
    ) as DetectionFixture;
    expect(fixture.usage).toBeDefined();
    const { usage: _usage, ...withoutUsage } = fixture;
    const results = await runFixture(detection, withoutUsage, file);
    expect(results.map((r) => r.resource.arn).sort()).toEqual([...expected].sort());
  });
}

/** Reads a fixture of a detection folder (to vary it in a test). */
export function readFixture(folder: string, file: string): DetectionFixture {
  return JSON.parse(readFileSync(join(folder, 'fixtures', file), 'utf8')) as DetectionFixture;
}

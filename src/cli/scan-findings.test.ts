import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { scanDocumentSchema } from '../findings/scan-document.js';
import {
  describeErrors,
  validateOcsfDetectionFinding,
  validateSarif,
} from '../findings/exports/test-support/scan-documents.js';
import { TestEstate, trust } from '../test-support/estate.js';
import { runCapturing } from '../test-support/cli.js';

const run = runCapturing;

afterEach(() => vi.restoreAllMocks());

let dir = '';
let authz = '';
const AS_OF = ['--as-of', '2026-11-24'];

beforeAll(async () => {
  const estate = new TestEstate('100000000001');
  estate.role('public-reader', { trust: trust('*') });
  estate.role('ci', { trust: trust({ AWS: estate.root }) });
  dir = await mkdtemp(join(tmpdir(), 'iamsight-scan-findings-'));
  authz = join(dir, 'authz.json');
  await writeFile(authz, JSON.stringify(estate.authorizationDetails()));
});

describe('iamsight scan findings', () => {
  it('reports findings grouped by risk, with the score and the Fix-in-AWS link', async () => {
    const { code, stdout } = await run(['scan', '--authz', authz, ...AS_OF]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Identity health score: \d+\.\d/);
    expect(stdout).toContain('CRITICAL  Role assumable by any AWS principal');
    expect(stdout).toContain('Role public-reader can be assumed by any AWS principal');
    expect(stdout).toContain(
      'fix: https://console.aws.amazon.com/iam/home#/roles/details/public-reader',
    );
  });

  it('groups by resource on request', async () => {
    const { stdout } = await run(['scan', '--authz', authz, ...AS_OF, '--group-by', 'resource']);
    expect(stdout).toMatch(/public-reader \(AWS::IAM::Role, 100000000001\)/);
  });

  it('exits 1 with --fail-on when an open finding is at or above it, after writing the report', async () => {
    const failed = await run(['scan', '--authz', authz, ...AS_OF, '--fail-on', 'high']);
    expect(failed.code).toBe(1);
    // TRU-01 (critical) and TRU-12 (low: ci trusts its own account root).
    expect(failed.stdout).toMatch(
      /Open findings: 2 \(1 critical, 0 high, 0 medium, 1 low, 0 info\)/,
    );
    expect(failed.stderr).toContain('open findings at or above high');
  });

  it('mutes from the configuration file: muted findings leave the score and the exit code', async () => {
    const config = join(dir, 'iamsight.config.yaml');
    await writeFile(
      config,
      'mutes:\n  - rule: TRU-01\n    arn: "*:role/public-*"\n    reason: public demo role, reviewed\n',
    );
    const { code, stdout } = await run([
      'scan',
      '--authz',
      authz,
      ...AS_OF,
      '--config',
      config,
      '--fail-on',
      'high',
      '--format',
      'json',
    ]);
    expect(code).toBe(0);
    const document = scanDocumentSchema.parse(JSON.parse(stdout));
    expect(document.findings.map((f) => [f.ruleId, f.status])).toEqual([
      ['iam-role-trust-any-principal', 'muted'],
      ['iam-role-trusts-own-account-root', 'open'],
    ]);
    // The muted pair leaves both sums; the low finding still costs its weight.
    expect(document.score.value).toBeLessThan(100);
    expect(document.score.possible - document.score.earned).toBe(1);
  });

  it('rejects a bad configuration with exit code 2 and the JSON path', async () => {
    const config = join(dir, 'bad.yaml');
    await writeFile(config, 'mutes:\n  - rule: TRU-01\n');
    const { code, stderr } = await run(['scan', '--authz', authz, '--config', config]);
    expect(code).toBe(2);
    expect(stderr).toContain('bad.yaml: at $.mutes[0].reason');
  });

  it('names the file and the problem for an unknown field, a missing file and an oversized file', async () => {
    const unknown = join(dir, 'unknown.yaml');
    await writeFile(unknown, 'mutes: []\nignore: [TRU-01]\n');
    const a = await run(['scan', '--authz', authz, '--config', unknown]);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/unknown\.yaml: at \$: .*ignore/);
    const b = await run(['scan', '--authz', authz, '--config', join(dir, 'absent.yaml')]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('absent.yaml');
    const huge = join(dir, 'huge.yaml');
    await writeFile(huge, `# ${'x'.repeat(5 * 1024 * 1024)}\n`);
    const c = await run(['scan', '--authz', authz, '--config', huge]);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/huge\.yaml: .*over the 4(\.0)? MiB limit/);
  });

  it('writes OCSF Detection Findings, SARIF and CSV that their schemas accept', async () => {
    const ocsf = JSON.parse(
      (await run(['scan', '--authz', authz, ...AS_OF, '--format', 'ocsf'])).stdout,
    );
    expect(ocsf.length).toBeGreaterThan(0);
    for (const event of ocsf) {
      expect(
        validateOcsfDetectionFinding(event),
        describeErrors(validateOcsfDetectionFinding.errors).join('; '),
      ).toBe(true);
      expect(event.class_uid).toBe(2004);
    }
    const sarif = JSON.parse(
      (await run(['scan', '--authz', authz, ...AS_OF, '--format', 'sarif'])).stdout,
    );
    expect(validateSarif(sarif), describeErrors(validateSarif.errors).join('; ')).toBe(true);
    expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toContain(
      'iam-role-trust-any-principal',
    );
    const csv = (await run(['scan', '--authz', authz, ...AS_OF, '--format', 'csv'])).stdout;
    expect(csv.split('\r\n')[0]).toMatch(/^fingerprint,severity,ruleId,/);
    expect(csv).toContain('arn:aws:iam::100000000001:role/public-reader');
  });
});

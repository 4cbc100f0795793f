import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../model/index.js';
import type { RootPrincipal, UserPrincipal } from '../model/index.js';
import { importAuthorizationDetails } from './authz-details.js';
import { resolveAwsManagedPolicies } from './aws-managed-policies.js';
import { buildSnapshot } from './build-snapshot.js';
import { importCredentialReport } from './credential-report.js';
import type { CredentialReport } from './snapshot-part.js';

const fixture = (name: string): string =>
  new URL(`./fixtures/iam/${name}`, import.meta.url).pathname;

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'iamsight-credential-report-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function inputErrorOf(action: () => Promise<unknown>): Promise<InputError> {
  try {
    await action();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError, but the input was accepted');
}

async function reportOf(file: string): Promise<CredentialReport> {
  const part = await importCredentialReport(file);
  expect(part.credentialReports).toHaveLength(1);
  return part.credentialReports![0]!;
}

/** The fixture report with one cell replaced (line 1 is the header). */
async function withCell(line: number, column: string, value: string): Promise<string> {
  const lines = (await readFile(fixture('credential-report.csv'), 'utf8')).trimEnd().split('\n');
  const header = lines[0]!.split(',');
  const cells = lines[line - 1]!.split(',');
  cells[header.indexOf(column)] = value;
  lines[line - 1] = cells.join(',');
  const file = join(tmp, `${column}-${line}.csv`);
  await writeFile(file, lines.join('\n') + '\n');
  return file;
}

describe('importCredentialReport', () => {
  it('reads every row, with the root and N/A-style values as null', async () => {
    const report = await reportOf(fixture('credential-report.csv'));
    expect(report.accountId).toBe('100000000001');
    expect(report.file).toBe(fixture('credential-report.csv'));
    expect(report.rows.map((row) => [row.line, row.user, row.isRoot])).toEqual([
      [2, '<root_account>', true],
      [3, 'dev-alice', false],
      [4, 'ops-bob', false],
      [5, 'former-contractor', false],
    ]);
    const [root, alice, bob, contractor] = report.rows;
    expect(root).toMatchObject({
      arn: 'arn:aws:iam::100000000001:root',
      passwordEnabled: null,
      passwordLastUsed: '2024-01-05T07:45:12.000Z',
      passwordLastChanged: null,
      mfaActive: true,
    });
    expect(alice).toMatchObject({
      arn: 'arn:aws:iam::100000000001:user/dev-alice',
      userCreationTime: '2023-03-09T10:41:38.000Z',
      passwordEnabled: true,
      passwordNextRotation: null,
      mfaActive: true,
    });
    expect(alice?.accessKeys).toEqual([
      {
        slot: 1,
        active: true,
        lastRotated: '2023-03-10T08:00:00.000Z',
        lastUsedDate: '2024-02-29T12:00:00.000Z',
        lastUsedRegion: 'eu-west-1',
        lastUsedService: 's3',
      },
      {
        slot: 2,
        active: false,
        lastRotated: null,
        lastUsedDate: null,
        lastUsedRegion: null,
        lastUsedService: null,
      },
    ]);
    // no_information (key never used) is null, like N/A.
    expect(bob?.accessKeys[1]).toMatchObject({ active: true, lastUsedDate: null });
    expect(bob?.passwordEnabled).toBe(false);
    expect(contractor?.passwordLastUsed).toBeNull();
    expect(contractor?.certs).toEqual([
      { slot: 1, active: true, lastRotated: '2021-02-01T08:02:00.000Z' },
      { slot: 2, active: false, lastRotated: null },
    ]);
  });

  it('reads the JSON and the base64 text that aws iam get-credential-report prints', async () => {
    const csv = await readFile(fixture('credential-report.csv'));
    const expected = (await reportOf(fixture('credential-report.csv'))).rows;
    const asJson = join(tmp, 'report.json');
    await writeFile(
      asJson,
      JSON.stringify({
        Content: csv.toString('base64'),
        ReportFormat: 'text/csv',
        GeneratedTime: '2024-03-01T00:00:00+00:00',
      }),
    );
    const asBase64 = join(tmp, 'report.b64');
    await writeFile(asBase64, csv.toString('base64').replace(/(.{76})/g, '$1\n'));
    expect((await reportOf(asJson)).rows).toEqual(expected);
    expect((await reportOf(asBase64)).rows).toEqual(expected);
  });

  it('refuses a header without the standard columns, listing the missing ones', async () => {
    const error = await inputErrorOf(() =>
      importCredentialReport(fixture('credential-report-missing-columns.csv')),
    );
    expect(error.location).toBe('line 1');
    expect(error.expected).toBe(
      'expected the header of an IAM credential report; missing columns: ' +
        'cert_1_active, cert_1_last_rotated, cert_2_active, cert_2_last_rotated',
    );
  });

  it('refuses a bad value, naming the line and the column', async () => {
    const error = await inputErrorOf(() =>
      importCredentialReport(fixture('credential-report-bad-value.csv')),
    );
    expect(error.location).toBe('line 3, column access_key_1_active');
    expect(error.expected).toBe('expected true or false (found "maybe")');
  });

  it('refuses unparsable dates, wrong ARNs, mixed accounts and ragged rows', async () => {
    const cases: [string, string, RegExp][] = [
      [
        await withCell(3, 'password_last_used', '28/02/2024 16:20'),
        'line 3, column password_last_used',
        /expected a date such as 2023-03-09T10:41:38\+00:00, or N\/A \(found "28\/02\/2024 16:20"\)/,
      ],
      [
        await withCell(2, 'arn', 'arn:aws:iam::100000000001:user/root'),
        'line 2, column arn',
        /expected the root ARN/,
      ],
      [
        await withCell(3, 'arn', 'arn:aws:s3:::dev-alice'),
        'line 3, column arn',
        /expected an IAM user ARN/,
      ],
      [
        await withCell(4, 'arn', 'arn:aws:iam::100000000002:user/ops/ops-bob'),
        'line 4, column arn',
        /expected every row to be of one account, 100000000001 \(line 2\)/,
      ],
      [
        await withCell(3, 'mfa_active', 'N/A'),
        'line 3, column mfa_active',
        /expected true or false/,
      ],
      [await withCell(3, 'cert_2_last_rotated', 'N/A,extra'), 'line 3', /expected a valid CSV/],
    ];
    for (const [file, location, expected] of cases) {
      const error = await inputErrorOf(() => importCredentialReport(file));
      expect(error.location, file).toBe(location);
      expect(error.expected, file).toMatch(expected);
    }
  });

  it('refuses a report with no rows, and a file over the size limit unread', async () => {
    const header = join(tmp, 'header-only.csv');
    const text = await readFile(fixture('credential-report.csv'), 'utf8');
    await writeFile(header, text.split('\n')[0] + '\n');
    expect((await inputErrorOf(() => importCredentialReport(header))).expected).toMatch(
      /at least one row/,
    );
    const huge = join(tmp, 'huge.csv');
    await writeFile(huge, '');
    await truncate(huge, 600 * 1024 * 1024);
    const error = await inputErrorOf(() => importCredentialReport(huge));
    expect(error.expected).toMatch(/^is 600 MiB, over the 256 MiB limit/);
  });
});

describe('buildSnapshot with authorization details and a credential report', () => {
  it('applies the report to users and the root, and resolves bundled AWS managed policies', async () => {
    const snapshot = await buildSnapshot(
      [
        await importAuthorizationDetails(fixture('authz-cli.json')),
        await importCredentialReport(fixture('credential-report.csv')),
      ],
      { resolveAwsManagedPolicies },
    );
    const principal = (arn: string) => snapshot.principals.find((p) => p.arn === arn);

    const alice = principal('arn:aws:iam::100000000001:user/dev-alice') as UserPrincipal;
    expect(alice.accessKeys).toEqual([
      {
        id: null,
        slot: 1,
        status: 'Active',
        createDate: null,
        lastRotated: '2023-03-10T08:00:00.000Z',
        lastUsedDate: '2024-02-29T12:00:00.000Z',
        lastUsedRegion: 'eu-west-1',
        lastUsedService: 's3',
      },
    ]);
    expect(alice.loginProfile).toMatchObject({
      exists: true,
      passwordLastUsed: '2024-02-28T16:20:00.000Z',
    });
    expect(alice.mfaDevices).toHaveLength(1);

    const bob = principal('arn:aws:iam::100000000001:user/ops/ops-bob') as UserPrincipal;
    expect(bob.loginProfile).toEqual({ exists: false });
    expect(bob.mfaDevices).toEqual([]);
    expect(bob.accessKeys?.map((key) => [key.slot, key.status])).toEqual([
      [1, 'Inactive'],
      [2, 'Active'],
    ]);

    const root = principal('arn:aws:iam::100000000001:root') as RootPrincipal;
    expect(root).toMatchObject({
      type: 'root',
      loginProfile: null,
      accessKeys: [],
      // The report does not say whether root has a password, but it says when it was last used.
      passwordLastUsed: '2024-01-05T07:45:12.000Z',
    });
    expect(root.mfaDevices).toHaveLength(1);

    expect(snapshot.notices.map((n) => n.detail)).toEqual([
      'line 5: arn:aws:iam::100000000001:user/former-contractor is not among the users of the authorization details; its row is ignored',
    ]);
    expect(snapshot.accounts).toEqual([
      {
        id: '100000000001',
        name: null,
        sources: [fixture('authz-cli.json'), fixture('credential-report.csv')],
      },
    ]);

    // ReadOnlyAccess is attached but not in the file: it comes from the bundled set.
    const readOnly = snapshot.policies.find((p) => p.name === 'ReadOnlyAccess');
    expect(readOnly).toMatchObject({
      arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      source: 'bundled-aws-managed',
      isAwsManaged: true,
      accountId: 'aws',
    });
    expect(readOnly?.versions).toHaveLength(1);
    expect(readOnly?.versions[0]?.isDefault).toBe(true);
    // AdministratorAccess was in the file: the account's own copy wins.
    expect(snapshot.policies.find((p) => p.name === 'AdministratorAccess')?.source).toBe(
      'snapshot',
    );
    expect(snapshot.gaps).toEqual([]);
  });

  it('without a report, records that the account credentials are unknown', async () => {
    const snapshot = await buildSnapshot([
      await importAuthorizationDetails(fixture('authz-api-encoded.json')),
    ]);
    expect(snapshot.gaps.map((gap) => [gap.source, gap.accountId])).toEqual([
      ['iam:credential-report', '100000000002'],
      ['iam:managed-policy', null],
    ]);
    expect(snapshot.gaps[1]?.detail).toMatch(/arn:aws:iam::aws:policy\/SecurityAudit is attached/);
  });
});

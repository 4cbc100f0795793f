/** Writes a generated organization as a snapshot folder (docs/formats.md), one account at a time. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { GeneratedOrg } from './generate.js';

/** How many files are written at once. */
const WRITE_BATCH = 32;

/** What {@link writeSnapshotFolder} wrote. */
export interface WriteSummary {
  readonly accounts: number;
  readonly principals: number;
  readonly users: number;
  readonly groups: number;
  readonly roles: number;
  readonly policies: number;
  readonly configItems: number;
  readonly cloudTrailFiles: number;
  readonly cloudTrailRecords: number;
  readonly planted: number;
  readonly files: number;
  readonly bytes: number;
}

/** Options of {@link writeSnapshotFolder}. */
export interface WriteOptions {
  /** Called after each account is written, with how many are done and how many there are. */
  readonly onAccount?: (done: number, total: number) => void;
}

/** Writes the snapshot folder of `org` into `dir` (created if missing); returns what it wrote. */
export async function writeSnapshotFolder(
  org: GeneratedOrg,
  dir: string,
  options: WriteOptions = {},
): Promise<WriteSummary> {
  let files = 0;
  let bytes = 0;
  const write = async (path: string, content: string | Buffer): Promise<void> => {
    const full = join(dir, path);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, content);
    files++;
    bytes += typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  };
  const totals = {
    users: 0,
    groups: 0,
    roles: 0,
    policies: 0,
    configItems: 0,
    cloudTrailFiles: 0,
    cloudTrailRecords: 0,
    planted: 0,
  };

  await write('manifest.json', JSON.stringify(org.manifest, null, 2) + '\n');
  await write('organization.json', JSON.stringify(org.organization, null, 2) + '\n');
  for (const account of org.accounts) {
    const documents = account.documents();
    const base = join('accounts', account.id);
    await write(join(base, 'authz.json'), JSON.stringify(documents.authz, null, 4) + '\n');
    await write(join(base, 'credential-report.csv'), documents.credentialReport);
    await write(join(base, 'config-items.json'), JSON.stringify(documents.configItems) + '\n');
    // CloudTrail files are many and small: write them a batch at a time, not one by one.
    const folders = [...new Set(documents.cloudTrail.map((file) => dirname(join(dir, file.path))))];
    await Promise.all(folders.map((folder) => mkdir(folder, { recursive: true })));
    for (let start = 0; start < documents.cloudTrail.length; start += WRITE_BATCH) {
      await Promise.all(
        documents.cloudTrail.slice(start, start + WRITE_BATCH).map(async (file) => {
          const content = gzipSync(JSON.stringify({ Records: file.records }), { level: 4 });
          await writeFile(join(dir, file.path), content);
          files++;
          bytes += content.length;
        }),
      );
    }
    totals.users += documents.counts.users;
    totals.groups += documents.counts.groups;
    totals.roles += documents.counts.roles;
    totals.policies += documents.counts.policies;
    totals.configItems += documents.counts.configItems;
    totals.cloudTrailFiles += documents.counts.cloudTrailFiles;
    totals.cloudTrailRecords += documents.counts.cloudTrailRecords;
    totals.planted += documents.planted.length;
    options.onAccount?.(org.accounts.indexOf(account) + 1, org.accounts.length);
  }
  return {
    accounts: org.accounts.length,
    principals: totals.users + totals.groups + totals.roles,
    ...totals,
    files,
    bytes,
  };
}

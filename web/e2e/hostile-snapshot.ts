/**
 * A generated organization (the project's generator) in which one user carries HTML and script in
 * its name, a tag value and its inline policy document: what an attacker who can create IAM
 * entities could plant for the UI to render.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateOrganization, writeSnapshotFolder } from '../../src/generate/index.js';

/** The payloads; each would set window.__pwned if it ever ran. */
export const HOSTILE = {
  /** An IAM name has no slash, so the name is an <img> payload. */
  name: '<img src=x onerror=window.__pwned=1>',
  tag: '<script>window.__pwned=2</script><img src=x onerror=window.__pwned=3>',
  sid: '<script>window.__pwned=4</script>',
} as const;

export const HOSTILE_ACCOUNT = '100000000001';

/** The hostile user's ARN. */
export const HOSTILE_ARN = `arn:aws:iam::${HOSTILE_ACCOUNT}:user/${HOSTILE.name}`;

/** Writes the snapshot folder into `dir`. */
export async function writeHostileSnapshot(dir: string): Promise<void> {
  const org = generateOrganization({ principals: 240, accounts: 3, seed: 8, cloudTrailEvents: 0 });
  await writeSnapshotFolder(org, dir);
  const file = join(dir, 'accounts', HOSTILE_ACCOUNT, 'authz.json');
  const authz = JSON.parse(await readFile(file, 'utf8')) as { UserDetailList: unknown[] };
  authz.UserDetailList.push({
    Path: '/',
    UserName: HOSTILE.name,
    UserId: 'AIDAHOSTILE000000001',
    Arn: HOSTILE_ARN,
    CreateDate: '2026-01-05T10:00:00+00:00',
    GroupList: [],
    AttachedManagedPolicies: [],
    UserPolicyList: [
      {
        PolicyName: 'inline-admin',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Sid: HOSTILE.sid, Effect: 'Allow', Action: '*', Resource: '*' }],
        },
      },
    ],
    Tags: [{ Key: 'owner', Value: HOSTILE.tag }],
  });
  await writeFile(file, JSON.stringify(authz));
}

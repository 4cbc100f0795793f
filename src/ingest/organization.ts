import { z } from 'zod';
import type {
  Account,
  Notice,
  OrgAccount,
  OrgPolicy,
  OrgPolicyType,
  OrgUnit,
  Organization,
  PolicyDocument,
} from '../model/index.js';
import { InputError, formatJsonPath, quoteForMessage } from '../model/index.js';
import { parseWithSchema, readJsonFile, type ReadOptions } from './read-input.js';
import type { SnapshotPart } from './snapshot-part.js';

/** Largest SCP or RCP document accepted (AWS allows 5,120 characters; this only bounds memory). */
const MAX_ORG_POLICY_BYTES = 128 * 1024;

const EVALUATED_POLICY_TYPES: readonly OrgPolicyType[] = [
  'SERVICE_CONTROL_POLICY',
  'RESOURCE_CONTROL_POLICY',
];

const accountId = z
  .string({ error: 'expected a 12-digit AWS account id' })
  .regex(/^\d{12}$/, { error: 'expected a 12-digit AWS account id' });
const rootId = z
  .string({ error: 'expected a root id such as "r-ab12"' })
  .regex(/^r-[0-9a-z]+$/, { error: 'expected a root id such as "r-ab12"' });
const unitId = z
  .string({ error: 'expected an OU id such as "ou-ab12-11111111"' })
  .regex(/^ou-[0-9a-z]+-[0-9a-z]+$/, { error: 'expected an OU id such as "ou-ab12-11111111"' });
const parentId = z.string({
  error: 'expected ParentId: the id of the root or OU this belongs to (from ListParents)',
});
const text = (what: string) => z.string({ error: `expected ${what} as a string` });

/** The organization format of docs/formats.md: AWS Organizations responses plus parents. */
const organizationFileSchema = z.looseObject({
  Organization: z.looseObject(
    {
      Id: z
        .string({ error: 'expected the organization id such as "o-11111111"' })
        .regex(/^o-[0-9a-z]+$/, { error: 'expected the organization id such as "o-11111111"' }),
      Arn: text('the organization ARN').nullish(),
      MasterAccountId: accountId,
    },
    { error: 'expected "Organization": the DescribeOrganization response\'s Organization' },
  ),
  Roots: z.array(
    z.looseObject({
      Id: rootId,
      Arn: text('the root ARN').nullish(),
      Name: text('the name').nullish(),
    }),
    { error: 'expected "Roots": the ListRoots response\'s Roots (one root)' },
  ),
  OrganizationalUnits: z
    .array(
      z.looseObject({
        Id: unitId,
        Arn: text('the OU ARN').nullish(),
        Name: text('the OU name'),
        ParentId: parentId,
      }),
      { error: 'expected "OrganizationalUnits": an array of OUs, each with ParentId' },
    )
    .default([]),
  Accounts: z
    .array(
      z.looseObject({
        Id: accountId,
        Arn: text('the account ARN').nullish(),
        Name: text('the account name').nullish(),
        Email: text('the account email').nullish(),
        Status: text('the account status').nullish(),
        State: text('the account state').nullish(),
        ParentId: parentId,
      }),
      { error: 'expected "Accounts": the ListAccounts response\'s Accounts, each with ParentId' },
    )
    .default([]),
  Policies: z
    .array(
      z.looseObject({
        PolicySummary: z.looseObject(
          {
            Id: text('the policy id'),
            Arn: text('the policy ARN'),
            Name: text('the policy name'),
            Type: text('the policy type'),
            AwsManaged: z.boolean({ error: 'expected true or false' }).default(false),
          },
          { error: 'expected "PolicySummary" from DescribePolicy' },
        ),
        Content: z.union([z.string(), z.record(z.string(), z.unknown())], {
          error: 'expected "Content": the policy document as JSON text or an object',
        }),
        Targets: z
          .array(z.looseObject({ TargetId: text('the target id') }), {
            error: 'expected "Targets": the ListTargetsForPolicy response\'s Targets',
          })
          .default([]),
      }),
      { error: 'expected "Policies": an array of DescribePolicy results with Targets' },
    )
    .default([]),
  DelegatedAdministrators: z
    .array(
      z.looseObject({
        Id: accountId,
        ServicePrincipals: z
          .array(text('a service principal'), { error: 'expected an array of service principals' })
          .nullish(),
      }),
      { error: 'expected "DelegatedAdministrators": an array of accounts' },
    )
    .default([]),
});

type OrganizationFile = z.infer<typeof organizationFileSchema>;

function fail(file: string, path: readonly (string | number)[], expected: string): never {
  throw new InputError(file, formatJsonPath(path), expected);
}

function checkUnique(file: string, ids: readonly string[], member: string, what: string): void {
  const seen = new Set<string>();
  ids.forEach((id, index) => {
    if (seen.has(id))
      fail(file, [member, index, 'Id'], `expected each ${what} once, but ${id} appears again`);
    seen.add(id);
  });
}

/** Rejects a ParentId that names nothing, and OUs that are their own ancestors. */
function checkTree(file: string, org: OrganizationFile, root: string): void {
  const parents = new Map(org.OrganizationalUnits.map((unit) => [unit.Id, unit.ParentId]));
  const isKnownParent = (id: string): boolean => id === root || parents.has(id);
  org.OrganizationalUnits.forEach((unit, index) => {
    if (!isKnownParent(unit.ParentId)) {
      fail(
        file,
        ['OrganizationalUnits', index, 'ParentId'],
        `expected the id of the root (${root}) or of an OU in OrganizationalUnits (found ${quoteForMessage(unit.ParentId)})`,
      );
    }
  });
  const indexOf = new Map(org.OrganizationalUnits.map((unit, index) => [unit.Id, index]));
  for (const unit of org.OrganizationalUnits) {
    const chain = [unit.Id];
    let current = unit.ParentId;
    while (current !== root) {
      if (chain.includes(current)) {
        // Report at the OU whose ParentId closes the loop, listing the loop from child to parent.
        const last = chain.at(-1) ?? unit.Id;
        const loop = [...chain.slice(chain.indexOf(current)), current];
        fail(
          file,
          ['OrganizationalUnits', indexOf.get(last) ?? 0, 'ParentId'],
          `expected OUs to form a tree under the root ${root}, but their parents form a cycle: ${loop.join(' → ')}`,
        );
      }
      chain.push(current);
      current = parents.get(current) ?? root;
    }
  }
  org.Accounts.forEach((account, index) => {
    if (!isKnownParent(account.ParentId)) {
      fail(
        file,
        ['Accounts', index, 'ParentId'],
        `expected the id of the root (${root}) or of an OU in OrganizationalUnits (found ${quoteForMessage(account.ParentId)})`,
      );
    }
  });
}

function parseContent(file: string, index: number, content: unknown): PolicyDocument {
  const path = ['Policies', index, 'Content'];
  let document = content;
  if (typeof content === 'string') {
    if (Buffer.byteLength(content) > MAX_ORG_POLICY_BYTES) {
      fail(file, path, `expected a policy document of at most ${MAX_ORG_POLICY_BYTES / 1024} KiB`);
    }
    try {
      document = JSON.parse(content);
    } catch (error) {
      throw new InputError(
        file,
        formatJsonPath(path),
        `expected the policy document as JSON text (found ${quoteForMessage(content)})`,
        { cause: error },
      );
    }
  } else if (Buffer.byteLength(JSON.stringify(content)) > MAX_ORG_POLICY_BYTES) {
    fail(file, path, `expected a policy document of at most ${MAX_ORG_POLICY_BYTES / 1024} KiB`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    fail(
      file,
      path,
      `expected a policy document (a JSON object) (found ${quoteForMessage(document)})`,
    );
  }
  return document as PolicyDocument;
}

/**
 * Maps the organization format of docs/formats.md to the model's Organization and the accounts it
 * names. Validates one root, parents that exist, no OU cycles, and JSON policy content; policy
 * types other than SCPs and RCPs are skipped with a notice.
 */
export function mapOrganization(json: unknown, file: string): SnapshotPart {
  const org = parseWithSchema(organizationFileSchema, json, file);
  const root = org.Roots[0];
  if (org.Roots.length !== 1 || !root) {
    fail(file, ['Roots'], `expected exactly one root (found ${org.Roots.length})`);
  }
  checkUnique(
    file,
    org.OrganizationalUnits.map((unit) => unit.Id),
    'OrganizationalUnits',
    'OU',
  );
  checkUnique(
    file,
    org.Accounts.map((account) => account.Id),
    'Accounts',
    'account',
  );
  checkUnique(
    file,
    org.Policies.map((policy) => policy.PolicySummary.Id),
    'Policies',
    'policy',
  );
  checkTree(file, org, root.Id);

  const notices: Notice[] = [];
  const knownTargets = new Set([
    root.Id,
    ...org.OrganizationalUnits.map((unit) => unit.Id),
    ...org.Accounts.map((account) => account.Id),
  ]);
  const policies: OrgPolicy[] = [];
  org.Policies.forEach((entry, index) => {
    const summary = entry.PolicySummary;
    const type = EVALUATED_POLICY_TYPES.find((known) => known === summary.Type);
    if (!type) {
      notices.push({
        file,
        detail: `skipped policy ${summary.Name} (${summary.Id}) of type ${summary.Type}: iamsight evaluates only service and resource control policies`,
      });
      return;
    }
    const targetIds = entry.Targets.map((target) => target.TargetId);
    for (const targetId of targetIds) {
      if (!knownTargets.has(targetId)) {
        notices.push({
          file,
          detail: `policy ${summary.Name} (${summary.Id}) is attached to ${targetId}, which is not the root, an OU or an account of the file`,
        });
      }
    }
    policies.push({
      id: summary.Id,
      arn: summary.Arn,
      name: summary.Name,
      type,
      awsManaged: summary.AwsManaged,
      document: parseContent(file, index, entry.Content),
      targetIds,
    });
  });

  const units: OrgUnit[] = org.OrganizationalUnits.map((unit) => ({
    id: unit.Id,
    name: unit.Name,
    parentId: unit.ParentId,
  }));
  const orgAccounts: OrgAccount[] = org.Accounts.map((account) => ({
    id: account.Id,
    name: account.Name ?? null,
    email: account.Email ?? null,
    status: account.Status ?? account.State ?? null,
    parentId: account.ParentId,
  }));
  const organization: Organization = {
    id: org.Organization.Id,
    arn: org.Organization.Arn ?? null,
    managementAccountId: org.Organization.MasterAccountId,
    rootId: root.Id,
    units,
    accounts: orgAccounts,
    policies,
    delegatedAdministrators: org.DelegatedAdministrators.flatMap(
      (admin): Organization['delegatedAdministrators'] =>
        admin.ServicePrincipals && admin.ServicePrincipals.length > 0
          ? admin.ServicePrincipals.map((servicePrincipal) => ({
              accountId: admin.Id,
              servicePrincipal,
            }))
          : [{ accountId: admin.Id, servicePrincipal: null }],
    ),
  };
  const accounts: Account[] = orgAccounts.map((account) => ({
    id: account.id,
    name: account.name,
    sources: [file],
  }));
  return { organization, accounts, notices };
}

/** Reads an organization file (`--org`, docs/formats.md) and maps it with {@link mapOrganization}. */
export async function importOrganization(
  file: string,
  options: ReadOptions = {},
): Promise<SnapshotPart> {
  return mapOrganization(await readJsonFile(file, options), file);
}

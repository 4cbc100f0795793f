/**
 * The organization (`--org`): accounts, the OU tree, SCPs and RCPs with their targets, and the
 * delegated administrators, written in the organization format of docs/formats.md (the AWS
 * Organizations responses, plus each OU's and account's `ParentId`).
 */
import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListAccountsForParentCommand,
  ListDelegatedAdministratorsCommand,
  ListDelegatedServicesForAccountCommand,
  ListOrganizationalUnitsForParentCommand,
  ListPoliciesCommand,
  ListRootsCommand,
  ListTargetsForPolicyCommand,
  type OrganizationsClient,
  type PolicyType,
} from '@aws-sdk/client-organizations';
import { attempt, readPages, type GapSink } from './aws.js';
import { plain } from './config-item.js';

/** Bounds of what is read from Organizations. */
export const ORG_LIMITS = {
  accounts: 20_000,
  units: 5_000,
  /** Depth of the OU tree (AWS allows 5 levels below the root). */
  depth: 8,
  policies: 5_000,
  /** A policy's content (AWS allows 5,120 characters for SCPs). */
  policyBytes: 1024 * 1024,
} as const;

/** What the organization collector read. */
export interface OrganizationData {
  /** The organization document (docs/formats.md). */
  readonly document: Record<string, unknown>;
  /** The accounts whose status is ACTIVE, in the order listed. */
  readonly activeAccounts: readonly { readonly id: string; readonly name: string | null }[];
}

const POLICY_TYPES: readonly PolicyType[] = ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'];

/**
 * Reads the organization from the management account or a delegated administrator. Null (with a
 * gap `org`) when the organization itself cannot be described; parts that fail are gaps
 * (`org:accounts`, `org:scp`, `org:rcp`, `org:delegated-administrators`).
 */
export async function collectOrganization(
  client: Pick<OrganizationsClient, 'send'>,
  sink: GapSink,
): Promise<OrganizationData | null> {
  const described = await attempt(sink, 'org', 'organizations:DescribeOrganization', () =>
    client.send(new DescribeOrganizationCommand({})),
  );
  if (!described?.Organization) return null;
  const roots = await attempt(sink, 'org', 'organizations:ListRoots', () =>
    readPages(
      (NextToken) => client.send(new ListRootsCommand({ NextToken })),
      (page) => page.Roots,
      (page) => page.NextToken,
    ),
  );
  if (!roots) return null;

  // Walk the tree from each root: every OU and every account gets its ParentId.
  const units: Record<string, unknown>[] = [];
  const accounts: Record<string, unknown>[] = [];
  let frontier = roots.items.map((root) => root.Id).filter((id): id is string => Boolean(id));
  for (let depth = 0; depth < ORG_LIMITS.depth && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const parentId of frontier) {
      const children = await attempt(
        sink,
        'org:accounts',
        `organizations:ListAccountsForParent ${parentId}`,
        () =>
          readPages(
            (NextToken) =>
              client.send(new ListAccountsForParentCommand({ ParentId: parentId, NextToken })),
            (page) => page.Accounts,
            (page) => page.NextToken,
          ),
      );
      for (const account of children?.items ?? [])
        if (accounts.length < ORG_LIMITS.accounts)
          accounts.push({ ...(plain(account) as object), ParentId: parentId });
      const ous = await attempt(
        sink,
        'org:accounts',
        `organizations:ListOrganizationalUnitsForParent ${parentId}`,
        () =>
          readPages(
            (NextToken) =>
              client.send(
                new ListOrganizationalUnitsForParentCommand({ ParentId: parentId, NextToken }),
              ),
            (page) => page.OrganizationalUnits,
            (page) => page.NextToken,
          ),
      );
      for (const unit of ous?.items ?? []) {
        if (!unit.Id || units.length >= ORG_LIMITS.units) continue;
        units.push({ ...(plain(unit) as object), ParentId: parentId });
        next.push(unit.Id);
      }
    }
    frontier = next;
  }

  const policies: Record<string, unknown>[] = [];
  for (const type of POLICY_TYPES) {
    const source = type === 'SERVICE_CONTROL_POLICY' ? 'org:scp' : 'org:rcp';
    const listed = await attempt(sink, source, `organizations:ListPolicies ${type}`, async () => {
      try {
        return await readPages(
          (NextToken) => client.send(new ListPoliciesCommand({ Filter: type, NextToken })),
          (page) => page.Policies,
          (page) => page.NextToken,
        );
      } catch (error) {
        // A policy type not enabled in the organization (RCPs are opt-in) has no policies: AWS
        // applies none of that type, which is what an empty list tells the importer.
        if ((error as { name?: unknown }).name === 'PolicyTypeNotEnabledException')
          return { items: [], truncated: false };
        throw error;
      }
    });
    for (const summary of (listed?.items ?? []).slice(0, ORG_LIMITS.policies)) {
      const policyId = summary.Id;
      if (!policyId) continue;
      const policy = await attempt(sink, source, `organizations:DescribePolicy ${policyId}`, () =>
        client.send(new DescribePolicyCommand({ PolicyId: policyId })),
      );
      const targets = await attempt(
        sink,
        source,
        `organizations:ListTargetsForPolicy ${policyId}`,
        () =>
          readPages(
            (NextToken) =>
              client.send(new ListTargetsForPolicyCommand({ PolicyId: policyId, NextToken })),
            (page) => page.Targets,
            (page) => page.NextToken,
          ),
      );
      if (!policy?.Policy || !targets) continue;
      const content = policy.Policy.Content ?? '';
      if (Buffer.byteLength(content) > ORG_LIMITS.policyBytes) {
        sink.add({
          source,
          accountId: sink.accountId,
          region: null,
          detail: `organizations:DescribePolicy ${policyId}: the policy is larger than 1 MiB; it was not read`,
        });
        continue;
      }
      policies.push({
        PolicySummary: plain(policy.Policy.PolicySummary ?? summary),
        Content: content,
        Targets: plain(targets.items),
      });
    }
  }

  const delegated: Record<string, unknown>[] = [];
  const admins = await attempt(
    sink,
    'org:delegated-administrators',
    'organizations:ListDelegatedAdministrators',
    () =>
      readPages(
        (NextToken) => client.send(new ListDelegatedAdministratorsCommand({ NextToken })),
        (page) => page.DelegatedAdministrators,
        (page) => page.NextToken,
      ),
  );
  for (const admin of admins?.items ?? []) {
    const accountId = admin.Id;
    if (!accountId) continue;
    const services = await attempt(
      sink,
      'org:delegated-administrators',
      `organizations:ListDelegatedServicesForAccount ${accountId}`,
      () =>
        readPages(
          (NextToken) =>
            client.send(
              new ListDelegatedServicesForAccountCommand({ AccountId: accountId, NextToken }),
            ),
          (page) => page.DelegatedServices,
          (page) => page.NextToken,
        ),
    );
    delegated.push({
      ...(plain(admin) as object),
      ServicePrincipals: (services?.items ?? [])
        .map((s) => s.ServicePrincipal)
        .filter((p): p is string => Boolean(p)),
    });
  }

  return {
    document: {
      Organization: plain(described.Organization),
      Roots: plain(roots.items),
      OrganizationalUnits: units,
      Accounts: accounts,
      Policies: policies,
      DelegatedAdministrators: delegated,
    },
    // Account ids name folders of the snapshot: only 12-digit ids are taken.
    activeAccounts: accounts
      .filter((a) => a.Status === 'ACTIVE' || (a.Status === undefined && a.State === 'ACTIVE'))
      .filter((a) => typeof a.Id === 'string' && /^\d{12}$/.test(a.Id))
      .map((a) => ({ id: String(a.Id), name: typeof a.Name === 'string' ? a.Name : null })),
  };
}

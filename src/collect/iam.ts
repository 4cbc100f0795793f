/**
 * IAM of one account: the authorization details (every page, merged into the document
 * `aws iam get-account-authorization-details` prints), the credential report (generated, polled,
 * decoded) and the SAML and OIDC identity providers (as configuration items).
 */
import {
  GenerateCredentialReportCommand,
  GetAccountAuthorizationDetailsCommand,
  GetCredentialReportCommand,
  GetOpenIDConnectProviderCommand,
  GetSAMLProviderCommand,
  ListOpenIDConnectProvidersCommand,
  ListSAMLProvidersCommand,
  type GetAccountAuthorizationDetailsCommandOutput,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { attempt, classifyAwsError, describeFailure, readPages, type GapSink } from './aws.js';
import { configItem, plain, tagsOf, type ConfigItem } from './config-item.js';

/** Bounds of what is read from IAM. */
export const IAM_LIMITS = {
  /** Pages of GetAccountAuthorizationDetails (1,000 entities each). */
  authzPages: 500,
  /** The credential report (AWS caps it far below this; a larger one is not read). */
  credentialReportBytes: 64 * 1024 * 1024,
  /** Identity providers of each kind. */
  providers: 1000,
} as const;

/** What the IAM collector read; each part is null when it could not be read (a gap says why). */
export interface IamData {
  /** The document `aws iam get-account-authorization-details` prints. */
  readonly authz: Record<string, unknown> | null;
  /** The decoded credential report CSV. */
  readonly credentialReport: string | null;
  /** AWS::IAM::SAMLProvider and AWS::IAM::OIDCProvider items. */
  readonly items: readonly ConfigItem[];
}

/** The clock and waiting of the credential report's polling (tests pass ones that return at once). */
export interface IamDependencies {
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => Date;
  /** Checks of the credential report's state before giving up (2 s apart; default 60). */
  readonly reportPolls?: number;
}

const LISTS = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'] as const;

/** Reads every page of the authorization details and merges them. */
export async function readAuthorizationDetails(
  client: Pick<IAMClient, 'send'>,
  sink: GapSink,
): Promise<Record<string, unknown> | null> {
  const result = await attempt(
    sink,
    'iam:authorization-details',
    'iam:GetAccountAuthorizationDetails',
    () =>
      readPages(
        (Marker) =>
          client.send(new GetAccountAuthorizationDetailsCommand({ Marker, MaxItems: 1000 })),
        (page: GetAccountAuthorizationDetailsCommandOutput) => [page],
        (page) => (page.IsTruncated ? page.Marker : undefined),
        IAM_LIMITS.authzPages,
      ),
  );
  if (!result) return null;
  if (result.truncated) {
    sink.add({
      source: 'iam:authorization-details',
      accountId: sink.accountId,
      region: null,
      detail: `iam:GetAccountAuthorizationDetails: more than ${IAM_LIMITS.authzPages} pages; the rest was not read`,
    });
  }
  const merged: Record<string, unknown[]> = {
    UserDetailList: [],
    GroupDetailList: [],
    RoleDetailList: [],
    Policies: [],
  };
  for (const page of result.items) {
    for (const list of LISTS) merged[list]!.push(...((plain(page[list]) as unknown[]) ?? []));
  }
  return merged;
}

/** Generates the credential report, waits for it and returns it decoded; null (and a gap) if not. */
export async function readCredentialReport(
  client: Pick<IAMClient, 'send'>,
  sink: GapSink,
  dependencies: IamDependencies,
): Promise<string | null> {
  const gap = (detail: string): null => {
    sink.add({ source: 'iam:credential-report', accountId: sink.accountId, region: null, detail });
    return null;
  };
  const polls = dependencies.reportPolls ?? 60;
  for (let poll = 0; poll < polls; poll++) {
    const generated = await attempt(
      sink,
      'iam:credential-report',
      'iam:GenerateCredentialReport',
      () => client.send(new GenerateCredentialReportCommand({})),
    );
    if (!generated) return null;
    if (generated.State === 'COMPLETE') break;
    if (poll === polls - 1)
      return gap(
        `iam:GenerateCredentialReport: the report was still ${String(generated.State)} after ${polls} checks`,
      );
    await dependencies.sleep(2000);
  }
  try {
    const report = await client.send(new GetCredentialReportCommand({}));
    const content = report.Content;
    if (!content || content.length === 0)
      return gap('iam:GetCredentialReport: the report was empty');
    if (content.length > IAM_LIMITS.credentialReportBytes)
      return gap(`iam:GetCredentialReport: the report is larger than 64 MiB; it was not read`);
    return Buffer.from(content).toString('utf8');
  } catch (error) {
    const failure = classifyAwsError(error);
    if (!failure) throw error;
    return gap(`iam:GetCredentialReport: ${describeFailure(failure)}`);
  }
}

/** The account's SAML and OIDC providers as configuration items. */
export async function readIdentityProviders(
  client: Pick<IAMClient, 'send'>,
  sink: GapSink,
  now: Date,
): Promise<ConfigItem[]> {
  const items: ConfigItem[] = [];
  const accountId = sink.accountId;
  const saml = await attempt(sink, 'config:AWS::IAM::SAMLProvider', 'iam:ListSAMLProviders', () =>
    client.send(new ListSAMLProvidersCommand({})),
  );
  for (const provider of (saml?.SAMLProviderList ?? []).slice(0, IAM_LIMITS.providers)) {
    const arn = provider.Arn;
    if (!arn) continue;
    const details = await attempt(
      sink,
      'config:AWS::IAM::SAMLProvider',
      `iam:GetSAMLProvider ${arn}`,
      () => client.send(new GetSAMLProviderCommand({ SAMLProviderArn: arn })),
    );
    if (!details) continue;
    const name = arn.slice(arn.indexOf(':saml-provider/') + ':saml-provider/'.length);
    items.push(
      configItem({
        type: 'AWS::IAM::SAMLProvider',
        arn,
        id: arn,
        name,
        accountId,
        region: 'global',
        // The metadata document is large and not needed: its expiry is what iamsight reads.
        configuration: {
          Arn: arn,
          Name: name,
          ValidUntil: details.ValidUntil ?? provider.ValidUntil ?? null,
          CreateDate: details.CreateDate ?? provider.CreateDate ?? null,
        },
        tags: tagsOf(details.Tags),
        createdAt: details.CreateDate ?? null,
        capturedAt: now,
      }),
    );
  }
  const oidc = await attempt(
    sink,
    'config:AWS::IAM::OIDCProvider',
    'iam:ListOpenIDConnectProviders',
    () => client.send(new ListOpenIDConnectProvidersCommand({})),
  );
  for (const provider of (oidc?.OpenIDConnectProviderList ?? []).slice(0, IAM_LIMITS.providers)) {
    const arn = provider.Arn;
    if (!arn) continue;
    const details = await attempt(
      sink,
      'config:AWS::IAM::OIDCProvider',
      `iam:GetOpenIDConnectProvider ${arn}`,
      () => client.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })),
    );
    if (!details) continue;
    const url = details.Url ?? arn.slice(arn.indexOf(':oidc-provider/') + ':oidc-provider/'.length);
    items.push(
      configItem({
        type: 'AWS::IAM::OIDCProvider',
        arn,
        id: arn,
        name: url,
        accountId,
        region: 'global',
        configuration: {
          Arn: arn,
          Url: url,
          ClientIdList: details.ClientIDList ?? [],
          ThumbprintList: details.ThumbprintList ?? [],
        },
        tags: tagsOf(details.Tags),
        createdAt: details.CreateDate ?? null,
        capturedAt: now,
      }),
    );
  }
  return items;
}

/** Collects the IAM data of one account. */
export async function collectIam(
  client: Pick<IAMClient, 'send'>,
  sink: GapSink,
  dependencies: IamDependencies,
): Promise<IamData> {
  const authz = await readAuthorizationDetails(client, sink);
  const credentialReport = await readCredentialReport(client, sink, dependencies);
  const items = await readIdentityProviders(client, sink, dependencies.now());
  return { authz, credentialReport, items };
}

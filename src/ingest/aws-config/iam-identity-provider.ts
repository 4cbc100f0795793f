import type { IdentityProvider } from '../../model/index.js';
import type { ConfigExtractor, ConfigItem } from './extractor.js';
import type { ItemContext } from './fields.js';
import { stringAt, stringsAt } from './fields.js';

/** The IAM identity provider types read from configuration items (AWS Config records both). */
export const IDENTITY_PROVIDER_TYPES: ReadonlyMap<string, ConfigExtractor> = new Map(
  (['AWS::IAM::OIDCProvider', 'AWS::IAM::SAMLProvider'] as const).map((type) => [
    type,
    { type, extract: () => ({}) },
  ]),
);

/**
 * Maps an `AWS::IAM::OIDCProvider` (GetOpenIDConnectProvider: `Url`, `ClientIdList`) or
 * `AWS::IAM::SAMLProvider` (GetSAMLProvider: `ValidUntil`) item to an identity provider.
 * The authorization details do not list providers, so this is where trust analysis learns them.
 */
export function readIdentityProvider(item: ConfigItem, ctx: ItemContext): IdentityProvider {
  const configuration = item.configuration;
  if (item.resourceType === 'AWS::IAM::OIDCProvider') {
    const url = stringAt(ctx, configuration, 'Url') ?? item.name;
    return {
      arn: item.arn,
      accountId: item.accountId,
      kind: 'oidc',
      url: url.replace(/^https:\/\//, ''),
      clientIds: stringsAt(ctx, configuration, 'ClientIdList'),
      validUntil: null,
    };
  }
  const validUntil = stringAt(ctx, configuration, 'ValidUntil');
  const validUntilDate = validUntil ? new Date(validUntil) : null;
  return {
    arn: item.arn,
    accountId: item.accountId,
    kind: 'saml',
    url: null,
    clientIds: [],
    validUntil:
      validUntilDate && !Number.isNaN(validUntilDate.getTime())
        ? validUntilDate.toISOString()
        : null,
  };
}

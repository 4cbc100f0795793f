/**
 * Amazon Cognito identity pools: SetIdentityPoolRoles binds a role to a pool's authenticated or
 * unauthenticated identities, and anyone who gets an identity from the pool (for the
 * unauthenticated slot: any caller, unsigned) obtains the role's credentials through
 * GetCredentialsForIdentity or GetOpenIdToken + sts:AssumeRoleWithWebIdentity.
 *
 * The role trusts `cognito-identity.amazonaws.com` as a *Federated* principal
 * (sts:AssumeRoleWithWebIdentity, usually with `cognito-identity.amazonaws.com:aud` pinning the
 * pool and `…:amr` the identity kind), not as a Service principal: the target is selected with
 * `federated: true`. The pool itself and the trust's aud/amr conditions are not checked (identity
 * pools are not in the snapshot model).
 * Sources: pathfinding.cloud cognitoidentity-001 (newer than the corpus snapshot), anchors.md §B.9
 * row 59.
 */
import type { Technique } from './types.js';

export const COGNITOIDENTITY_TECHNIQUES: readonly Technique[] = [
  {
    id: 'cognitoidentity-001',
    name: 'iam:PassRole + cognito-identity:SetIdentityPoolRoles',
    category: 'new-passrole',
    target: {
      kind: 'passable-role',
      service: 'cognito-identity.amazonaws.com',
      federated: true,
    },
    permissions: [
      { action: 'iam:PassRole', on: 'role' },
      { action: 'cognito-identity:SetIdentityPoolRoles', on: 'any' },
    ],
    gain: 'target',
    reason:
      '{actor} can bind {target} to a Cognito identity pool and obtain its credentials as an identity of that pool',
    source:
      'pathfinding.cloud cognitoidentity-001; anchors §B.9 row 59 (Prowler COGNITOIDENTITY-001)',
  },
];

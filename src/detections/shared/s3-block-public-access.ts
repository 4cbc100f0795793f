/**
 * S3 Block Public Access as S3 applies it: each of the four settings is on when the bucket's or
 * the account's setting turns it on. The answer says which level decided, for evidence.
 */
import type { Resource, S3PublicAccessBlock, Snapshot } from '../../model/index.js';

/** The two levels of a bucket's Block Public Access, and their combination. */
export interface EffectiveBlockPublicAccess {
  /** The bucket's own settings; null when the bucket has none configured. */
  readonly bucket: S3PublicAccessBlock | null;
  /** The account's settings; null when they are not in the snapshot (unknown). */
  readonly account: S3PublicAccessBlock | null;
  /** Each setting on when either level turns it on (unknown account level counts as off). */
  readonly effective: S3PublicAccessBlock;
  /** Which level turns RestrictPublicBuckets on; null when neither does. */
  readonly restrictPublicBucketsFrom: 'bucket' | 'account' | 'bucket and account' | null;
}

const OFF: S3PublicAccessBlock = {
  blockPublicAcls: false,
  ignorePublicAcls: false,
  blockPublicPolicy: false,
  restrictPublicBuckets: false,
};

/** The Block Public Access that applies to `bucket`, from its own and its account's settings. */
export function effectiveBlockPublicAccess(
  snapshot: Snapshot,
  bucket: Resource,
): EffectiveBlockPublicAccess {
  const own = bucket.exposure.publicAccessBlock ?? null;
  const account =
    snapshot.accounts.find((candidate) => candidate.id === bucket.accountId)?.s3PublicAccessBlock ??
    null;
  const b = own ?? OFF;
  const a = account ?? OFF;
  const effective: S3PublicAccessBlock = {
    blockPublicAcls: b.blockPublicAcls || a.blockPublicAcls,
    ignorePublicAcls: b.ignorePublicAcls || a.ignorePublicAcls,
    blockPublicPolicy: b.blockPublicPolicy || a.blockPublicPolicy,
    restrictPublicBuckets: b.restrictPublicBuckets || a.restrictPublicBuckets,
  };
  const restrictPublicBucketsFrom =
    b.restrictPublicBuckets && a.restrictPublicBuckets
      ? 'bucket and account'
      : b.restrictPublicBuckets
        ? 'bucket'
        : a.restrictPublicBuckets
          ? 'account'
          : null;
  return { bucket: own, account, effective, restrictPublicBucketsFrom };
}

/** The evidence of a finding on a bucket: both levels, the effective settings, and a note when the account level is unknown. */
export function blockPublicAccessEvidence(
  access: EffectiveBlockPublicAccess,
): Readonly<Record<string, unknown>> {
  return {
    publicAccessBlock: {
      bucket: access.bucket,
      account: access.account,
      effective: access.effective,
      restrictPublicBucketsSetBy: access.restrictPublicBucketsFrom,
    },
    ...(access.account
      ? {}
      : {
          note: `${access.bucket ? 'bucket-level Block Public Access does not restrict public policies' : 'no bucket-level Block Public Access'}; account-level settings are not in the snapshot`,
        }),
  };
}

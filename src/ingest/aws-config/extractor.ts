import type { Exposure, PolicyDocument, S3PublicAccessBlock, Tags } from '../../model/index.js';
import type { ItemContext, Node } from './fields.js';

/** A configuration item whose envelope has been validated; `configuration` is always an object. */
export interface ConfigItem {
  readonly resourceType: string;
  readonly arn: string;
  readonly accountId: string;
  readonly partition: string;
  readonly region: string | null;
  readonly name: string;
  readonly resourceId: string | null;
  readonly tags: Tags;
  readonly configuration: Node;
  readonly supplementary: Node;
  /** Written by iamsight's collector in AWS Config's envelope, not by AWS Config itself. */
  readonly fromCollector: boolean;
  /** `configurationItemCaptureTime`, or null; the latest capture of a resource wins. */
  readonly capturedAt: string | null;
}

/** What an extractor found in one item; the importer fills the rest of the Resource. */
export interface Extraction {
  /** The resource policy; null when the item says there is none, undefined when it does not say. */
  readonly policy?: PolicyDocument | null;
  readonly roleArns?: readonly string[];
  readonly instanceProfileArn?: string | null;
  readonly exposure?: Exposure;
  /** Display excerpt; the importer bounds it. */
  readonly properties?: Readonly<Record<string, unknown>>;
  /** Things this item could not tell (one sentence each); they become gaps, counted per account and region. */
  readonly unknowns?: readonly string[];
  /** Settings of the item's account (only from an extractor whose `target` is `account`). */
  readonly account?: AccountSettings;
}

/** Account-wide settings an item can describe; merged into the snapshot's `Account`. */
export interface AccountSettings {
  readonly s3PublicAccessBlock?: S3PublicAccessBlock;
}

/** The parts of an item an ARN can be built from when the item carries none. */
export interface ArnParts {
  readonly resourceId: string;
  readonly resourceName: string | null;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
}

/** Reads one AWS Config resource type. Registered once in `registry.ts`. */
export interface ConfigExtractor {
  /** The AWS Config / CloudFormation type name, e.g. `AWS::S3::Bucket`. */
  readonly type: string;
  /** Builds the ARN when the item has only a `resourceId` that is not an ARN. */
  readonly arnFromId?: (parts: ArnParts) => string;
  /**
   * `account`: the item describes a setting of its account, not a resource; the extraction's
   * `account` settings go on the account and no Resource is created. Default `resource`.
   */
  readonly target?: 'resource' | 'account';
  readonly extract: (item: ConfigItem, ctx: ItemContext) => Extraction;
}

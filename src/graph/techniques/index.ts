/** Every technique, in a fixed order (ties in path search are broken by id, not by this order). */
import { IAM_TECHNIQUES, STS_TECHNIQUES } from './iam.js';
import { LAMBDA_TECHNIQUES } from './lambda.js';
import type { Technique } from './types.js';

export type { Technique } from './types.js';

export const TECHNIQUES: readonly Technique[] = [
  ...IAM_TECHNIQUES,
  ...STS_TECHNIQUES,
  ...LAMBDA_TECHNIQUES,
];

export const TECHNIQUES_BY_ID: ReadonlyMap<string, Technique> = new Map(
  TECHNIQUES.map((t) => [t.id, t]),
);
